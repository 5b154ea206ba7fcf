import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { queryRows } from "@/db/client";
import { metrics } from "@/server/metrics";
import { describeEachEngine } from "@/test/engines";
import { makeOffers, uniqueQuery } from "@/test/fixtures";
import { ObservationWriter } from "./writer";

describeEachEngine("ObservationWriter", ({ database }) => {
  const count = async (origin: string) =>
    (await queryRows<{ n: number }>(database().db, sql`SELECT count(*)::int AS n FROM price_snapshot WHERE origin = ${origin}`))[0]!.n;

  it("writes queued searches together, after at most its delay", async () => {
    const writer = new ObservationWriter(database().db, { maxDelayMs: 50 });
    const a = uniqueQuery({ origin: "BER", destination: "OSL" });
    const b = uniqueQuery({ origin: "BER", destination: "OSL" });
    void writer.record({ query: a, observedAt: new Date(), snapshots: makeOffers(a, 3, () => 10_000), providers: [] });
    void writer.record({ query: b, observedAt: new Date(), snapshots: makeOffers(b, 4, () => 11_000), providers: [] });
    expect(await count("BER")).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 150));
    await writer.flush();
    expect(await count("BER")).toBe(7);
  });

  it("flushes at once past its row limit", async () => {
    const writer = new ObservationWriter(database().db, { maxDelayMs: 60_000, maxRows: 5 });
    const query = uniqueQuery({ origin: "VIE", destination: "ZRH" });
    void writer.record({ query, observedAt: new Date(), snapshots: makeOffers(query, 6, () => 9_000), providers: [] });
    await writer.flush();
    expect(await count("VIE")).toBe(6);
  });

  it("keeps the good searches of a batch when one fails, and counts the failure", async () => {
    const writer = new ObservationWriter(database().db, { maxDelayMs: 60_000 });
    const good = uniqueQuery({ origin: "WAW", destination: "PRG" });
    const bad = uniqueQuery({ origin: "WAW", destination: "WAW" }); // violates the query's check constraint
    const failures = metrics.snapshotWriteFailures;
    void writer.record({ query: bad, observedAt: new Date(), snapshots: makeOffers(bad, 2, () => 5_000), providers: [] });
    void writer.record({ query: good, observedAt: new Date(), snapshots: makeOffers(good, 2, () => 5_000), providers: [] });
    await writer.flush();
    expect(await count("WAW")).toBe(2);
    expect(metrics.snapshotWriteFailures).toBe(failures + 1);
  });
});
