import { eq, sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { queryRows } from "@/db/client";
import { priceDaily, priceSnapshot } from "@/db/schema";
import { describeEachEngine } from "@/test/engines";
import { makeOffers, uniqueQuery } from "@/test/fixtures";
import { dropExpiredHistory } from "./retention";
import { recordSearch } from "./snapshots";

const DAY = 86_400_000;

describeEachEngine("retention", ({ database, engine }) => {
  const db = () => database().db;

  it("drops raw snapshots older than the cutoff and keeps the daily figures of those days; newer ones stay", async () => {
    const query = uniqueQuery();
    const now = Date.now();
    const old = new Date(now - 500 * DAY);
    const recent = new Date(now - 2 * DAY);
    const { queryId } = await recordSearch(db(), query, old, makeOffers(query, 30, (i) => 40_000 + i * 100));
    await recordSearch(db(), query, recent, makeOffers(query, 20, (i) => 50_000 + i * 100));
    const dailyFor = async () =>
      (await db().select().from(priceDaily).where(eq(priceDaily.departureDate, query.departureDate))).map((d) => [d.day.toISOString().slice(0, 10), Number(d.minPriceMinor), Number(d.sampleCount)]).sort();
    const before = await dailyFor();
    expect(before).toHaveLength(2);

    const result = await dropExpiredHistory(db(), new Date(now - 400 * DAY), new Date(now - 30 * DAY));
    expect(result.engine).toBe(engine === "server" ? "postgres" : "timescale");
    expect(result.snapshots).toBeGreaterThan(0);
    const left = await db().select().from(priceSnapshot).where(eq(priceSnapshot.queryId, queryId));
    expect(left).toHaveLength(20);
    expect(left.every((s) => s.observedAt.getTime() === recent.getTime())).toBe(true);
    // The day 500 days ago keeps its min and count in the daily aggregate.
    expect(await dailyFor()).toEqual(before);
    // Nothing older than the cutoff is left anywhere in the raw history.
    const [row] = await queryRows<{ n: number }>(db(), sql`SELECT count(*)::int AS n FROM price_snapshot WHERE observed_at < now() - interval '400 days'`);
    expect(row!.n).toBe(0);
  });
});
