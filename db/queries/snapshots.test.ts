import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { queryRows } from "@/db/client";
import { refreshContinuousAggregates } from "@/db/migrate";
import { flightQuery, priceSnapshot } from "@/db/schema";
import { addDays } from "@/server/core/time";
import { describeEachEngine } from "@/test/engines";
import { makeOffers, uniqueQuery } from "@/test/fixtures";
import { dailyPriceHistory } from "./price-daily";
import { recordSearch, recordSearches, SNAPSHOT_BATCH_SIZE, SNAPSHOTS_PER_STATEMENT, upsertFlightQuery } from "./snapshots";

describeEachEngine("price snapshots", ({ database }) => {
  const db = () => database().db;

  it("records a search: one query row and one snapshot per offer, in batches", async () => {
    const query = uniqueQuery();
    const offers = makeOffers(query, SNAPSHOT_BATCH_SIZE * 2 + 17, (i) => 30_000 + i * 10);
    const observedAt = new Date("2026-11-20T10:00:00Z");
    const { queryId, written } = await recordSearch(db(), query, observedAt, offers);
    expect(written).toBe(offers.length);
    const rows = await db().select().from(priceSnapshot).where(eq(priceSnapshot.queryId, queryId));
    expect(rows).toHaveLength(offers.length);
    const first = rows.find((r) => r.itineraryKey === offers[0]!.itineraryKey)!;
    expect(first).toMatchObject({
      observedAt,
      provider: "test-a",
      origin: "LHR",
      destination: "JFK",
      departureDate: query.departureDate,
      returnDate: null,
      cabin: "economy",
      carriers: ["BA"],
      flightNumbers: ["BA100"],
      priceMinor: 30_000,
      currency: "GBP",
      departureAt: offers[0]!.departureAt,
    });
  });

  it("is idempotent: the same observation written twice adds nothing; a later one adds rows", async () => {
    const query = uniqueQuery();
    const offers = makeOffers(query, 5, (i) => 20_000 + i);
    const at = new Date("2026-11-20T11:00:00Z");
    const first = await recordSearch(db(), query, at, offers);
    const again = await recordSearch(db(), query, at, offers);
    expect(again).toEqual({ queryId: first.queryId, written: 0 });
    const later = await recordSearch(db(), query, new Date("2026-11-20T12:00:00Z"), offers);
    expect(later.written).toBe(5);
    const [row] = await db().select().from(flightQuery).where(eq(flightQuery.id, first.queryId));
    expect(row).toMatchObject({
      searchCount: 3,
      firstSearchedAt: new Date("2026-11-20T11:00:00Z"),
      lastSearchedAt: new Date("2026-11-20T12:00:00Z"),
    });
  });

  it("records several searches together: their rows under their own queries, a query searched twice counted twice, a replay adding nothing", async () => {
    const a = uniqueQuery({ origin: "OSL", destination: "BGO" });
    const oneWay = uniqueQuery({ origin: "OSL", destination: "TRD" });
    const b = { ...oneWay, returnDate: addDays(oneWay.departureDate, 7) };
    const known = uniqueQuery({ origin: "OSL", destination: "SVG" });
    const knownId = await upsertFlightQuery(db(), known, new Date("2026-11-01T00:00:00Z"));
    const at = (minute: number) => new Date(Date.UTC(2026, 10, 20, 10, minute));
    const big = makeOffers(b, SNAPSHOTS_PER_STATEMENT + 3, (i) => 40_000 + i);
    const searches = [
      { query: a, observedAt: at(1), snapshots: makeOffers(a, 3, (i) => 20_000 + i) },
      { query: b, observedAt: at(2), snapshots: big },
      { query: a, observedAt: at(3), snapshots: makeOffers(a, 2, (i) => 19_000 + i) },
      { query: known, observedAt: at(4), snapshots: [] },
    ];
    const results = await db().transaction((tx) => recordSearches(tx, searches));
    expect(results.map((r) => r.written)).toEqual([3, big.length, 2, 0]);
    expect(results[0]!.queryId).toBe(results[2]!.queryId);
    expect(results[3]!.queryId).toBe(knownId);
    const [rowA] = await db().select().from(flightQuery).where(eq(flightQuery.id, results[0]!.queryId));
    expect(rowA).toMatchObject({ searchCount: 2, firstSearchedAt: at(1), lastSearchedAt: at(3) });
    const [rowKnown] = await db().select().from(flightQuery).where(eq(flightQuery.id, knownId));
    expect(rowKnown).toMatchObject({ searchCount: 2, firstSearchedAt: new Date("2026-11-01T00:00:00Z"), lastSearchedAt: at(4) });
    const counts = await queryRows<{ query_id: number; n: number }>(
      db(),
      `SELECT query_id::int AS query_id, count(*)::int AS n FROM price_snapshot WHERE query_id IN (${results[0]!.queryId}, ${results[1]!.queryId}) GROUP BY 1 ORDER BY 1`,
    );
    expect(counts).toEqual([
      { query_id: results[0]!.queryId, n: 5 },
      { query_id: results[1]!.queryId, n: big.length },
    ]);
    // Written again (a retried flush): no rows, and the queries counted again.
    const again = await db().transaction((tx) => recordSearches(tx, searches));
    expect(again).toEqual(results.map((r) => ({ ...r, written: 0 })));
  });

  it("keeps one row per canonical query, one-way (no return date) included", async () => {
    const oneWay = uniqueQuery();
    const at = new Date("2026-11-21T08:00:00Z");
    const a = await upsertFlightQuery(db(), oneWay, at);
    const b = await upsertFlightQuery(db(), { ...oneWay }, at);
    expect(b).toBe(a);
    const roundTrip = await upsertFlightQuery(db(), { ...oneWay, returnDate: "2027-12-31" }, at);
    const business = await upsertFlightQuery(db(), { ...oneWay, cabin: "business" }, at);
    const family = await upsertFlightQuery(db(), { ...oneWay, adults: 2, children: 1 }, at);
    expect(new Set([a, roundTrip, business, family]).size).toBe(4);
  });

  it("refuses an impossible query at the database too", async () => {
    const at = new Date();
    await expect(upsertFlightQuery(db(), uniqueQuery({ adults: 1, infants: 2 }), at)).rejects.toThrow();
    await expect(upsertFlightQuery(db(), uniqueQuery({ destination: "LHR" }), at)).rejects.toThrow();
    await expect(upsertFlightQuery(db(), uniqueQuery({ departureDate: "2027-05-02", returnDate: "2027-05-01" }), at)).rejects.toThrow();
    await expect(upsertFlightQuery(db(), uniqueQuery({ adults: 5, children: 5 }), at)).rejects.toThrow();
  });

  it("deletes a query's snapshots with the query", async () => {
    const query = uniqueQuery({ origin: "CDG", destination: "NRT" });
    const { queryId } = await recordSearch(db(), query, new Date("2026-11-19T00:00:00Z"), makeOffers(query, 3, () => 50_000));
    await db().delete(flightQuery).where(eq(flightQuery.id, queryId));
    expect(await db().select().from(priceSnapshot).where(eq(priceSnapshot.queryId, queryId))).toHaveLength(0);
  });

  const DAY = 86_400_000;
  const today = () => new Date(Math.floor(Date.now() / DAY) * DAY);
  const isoDay = (d: Date) => d.toISOString().slice(0, 10);

  it("aggregates snapshots into price_daily per day, route, dates, cabin and currency, up to the last write", async () => {
    const query = uniqueQuery({ origin: "MAD", destination: "BOG" });
    const yesterday = new Date(today().getTime() - DAY);
    const yesterdayLate = new Date(today().getTime() - 1000);
    const todayEarly = new Date(today().getTime() + 1000);
    await recordSearch(db(), query, new Date(yesterday.getTime() + 6 * 3600_000), makeOffers(query, 4, (i) => 40_000 + i * 1_000));
    await recordSearch(db(), query, yesterdayLate, makeOffers(query, 2, (i) => 39_000 + i * 10_000)); // 39,000 and 49,000
    await recordSearch(db(), query, todayEarly, makeOffers(query, 3, () => 45_500));
    await recordSearch(db(), { ...query, currency: "EUR" }, todayEarly, makeOffers({ ...query, currency: "EUR" }, 3, () => 1));

    const rows = await queryRows<{ day: string; min: number; avg: string; max: number; n: number }>(
      db(),
      `SELECT to_char(day AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, min_price_minor::int AS min, avg_price_minor::text AS avg,
              max_price_minor::int AS max, sample_count::int AS n
       FROM price_daily WHERE origin = 'MAD' AND destination = 'BOG' AND currency = 'GBP' ORDER BY day`,
    );
    expect(rows.map((r) => ({ ...r, avg: Number(r.avg) }))).toEqual([
      { day: isoDay(yesterday), min: 39_000, avg: (40_000 + 41_000 + 42_000 + 43_000 + 39_000 + 49_000) / 6, max: 49_000, n: 6 },
      { day: isoDay(today()), min: 45_500, avg: 45_500, max: 45_500, n: 3 },
    ]);

    const history = () => dailyPriceHistory(db(), { origin: "MAD", destination: "BOG", currency: "GBP", days: 30 });
    const before = await history();
    expect(before).toEqual([
      { day: isoDay(yesterday), minMinor: 39_000, avgMinor: 42_333, maxMinor: 49_000, samples: 6 },
      { day: isoDay(today()), minMinor: 45_500, avgMinor: 45_500, maxMinor: 45_500, samples: 3 },
    ]);
    // A one-day window is today only.
    const recent = await dailyPriceHistory(db(), { origin: "MAD", destination: "BOG", currency: "GBP", days: 1 });
    expect(recent.map((p) => p.day)).toEqual([isoDay(today())]);

    // Materialising the continuous aggregate (TimescaleDB) changes nothing the reader sees...
    await refreshContinuousAggregates(db());
    expect(await history()).toEqual(before);
    // ...and a search made now still shows at once: today is served in real time.
    await recordSearch(db(), query, new Date(), makeOffers(query, 1, () => 10_000, "test-b"));
    const [, todayAfter] = await history();
    expect(todayAfter).toMatchObject({ day: isoDay(today()), minMinor: 10_000, samples: 4 });
  });

  it("compares prices per adult, whatever the party size", async () => {
    const solo = uniqueQuery({ origin: "SYD", destination: "AKL" });
    const family = { ...solo, adults: 2, children: 2 };
    const at = new Date();
    await recordSearch(db(), solo, at, makeOffers(solo, 1, () => 30_000));
    await recordSearch(db(), family, at, makeOffers(family, 1, () => 30_000));
    const [point] = await dailyPriceHistory(db(), { origin: "SYD", destination: "AKL", currency: "GBP", days: 1 });
    expect(point).toMatchObject({ minMinor: 30_000, maxMinor: 30_000, samples: 2 });
  });

  it("keeps price_daily right when snapshots are removed or corrected", async () => {
    const query = uniqueQuery({ origin: "OSL", destination: "KEF" });
    const at = new Date();
    const { queryId } = await recordSearch(db(), query, at, makeOffers(query, 3, (i) => [30_000, 20_000, 40_000][i]!));
    const today = () => dailyPriceHistory(db(), { origin: "OSL", destination: "KEF", currency: "GBP", days: 1 });
    expect(await today()).toMatchObject([{ minMinor: 20_000, avgMinor: 30_000, maxMinor: 40_000, samples: 3 }]);

    // The cheapest one goes: the minimum must come back up, which no running total can do.
    await queryRows(db(), `DELETE FROM price_snapshot WHERE query_id = ${queryId} AND price_per_adult_minor = 20000`);
    expect(await today()).toMatchObject([{ minMinor: 30_000, avgMinor: 35_000, maxMinor: 40_000, samples: 2 }]);

    await queryRows(db(), `UPDATE price_snapshot SET price_per_adult_minor = 50000 WHERE query_id = ${queryId} AND price_per_adult_minor = 40000`);
    expect(await today()).toMatchObject([{ minMinor: 30_000, avgMinor: 40_000, maxMinor: 50_000, samples: 2 }]);

    await db().delete(flightQuery).where(eq(flightQuery.id, queryId));
    expect(await today()).toEqual([]);
  });
});
