import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { queryRows } from "@/db/client";
import { metrics } from "@/server/metrics";
import { describeEachEngine } from "@/test/engines";
import { makeOffers, uniqueQuery } from "@/test/fixtures";
import { SnapshotWriter } from "./snapshot-writer";

describeEachEngine("SnapshotWriter", ({ database }) => {
  const count = async (origin: string) =>
    (await queryRows<{ n: number }>(database().db, sql`SELECT count(*)::int AS n FROM price_snapshot WHERE origin = ${origin}`))[0]!.n;

  it("writes queued searches together, after at most its delay", async () => {
    const writer = new SnapshotWriter(database().db, { maxDelayMs: 50 });
    const a = uniqueQuery({ origin: "BER", destination: "OSL" });
    const b = uniqueQuery({ origin: "BER", destination: "OSL" });
    writer.enqueue(a, new Date(), makeOffers(a, 3, () => 10_000));
    writer.enqueue(b, new Date(), makeOffers(b, 4, () => 11_000));
    expect(await count("BER")).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 150));
    await writer.flush();
    expect(await count("BER")).toBe(7);
  });

  it("flushes at once past its row limit", async () => {
    const writer = new SnapshotWriter(database().db, { maxDelayMs: 60_000, maxRows: 5 });
    const query = uniqueQuery({ origin: "VIE", destination: "ZRH" });
    writer.enqueue(query, new Date(), makeOffers(query, 6, () => 9_000));
    await writer.flush();
    expect(await count("VIE")).toBe(6);
  });

  it("keeps the good searches of a batch when one fails, and counts the failure", async () => {
    const writer = new SnapshotWriter(database().db, { maxDelayMs: 60_000 });
    const good = uniqueQuery({ origin: "WAW", destination: "PRG" });
    const bad = uniqueQuery({ origin: "WAW", destination: "WAW" }); // violates the query's check constraint
    const failures = metrics.snapshotWriteFailures;
    writer.enqueue(bad, new Date(), makeOffers(bad, 2, () => 5_000));
    writer.enqueue(good, new Date(), makeOffers(good, 2, () => 5_000));
    await writer.flush();
    expect(await count("WAW")).toBe(2);
    expect(metrics.snapshotWriteFailures).toBe(failures + 1);
  });
});
