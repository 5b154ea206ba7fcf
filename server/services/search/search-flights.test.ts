import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { queryRows } from "@/db/client";
import { totalStops } from "@/server/core/offer";
import { ValidationError } from "@/server/core/errors";
import { searchInputSchema, type SearchInput } from "@/server/core/search-query";
import { addDays } from "@/server/core/time";
import { MemoryCache } from "@/server/cache/memory";
import type { Cache } from "@/server/cache/types";
import { metrics } from "@/server/metrics";
import { DEFAULT_RESILIENCE } from "@/server/providers/registry";
import { ResilientProvider } from "@/server/providers/resilience";
import { sleep, type FlightProvider } from "@/server/providers/types";
import { duffelProvider } from "@/server/providers/duffel";
import { describeEachEngine } from "@/test/engines";
import type { TestContextOverrides } from "@/test/app-context";
import { lhrJfkOffers } from "@/test/fixtures/duffel";
import { startReplayServer } from "@/test/http-replay";
import { searchFlights } from "./search-flights";

const today = new Date().toISOString().slice(0, 10);
let dateOffset = 20;
/** Each test searches its own departure date, so that tests never share cache entries or rows. */
function input(overrides: Partial<Record<keyof SearchInput, unknown>> = {}): SearchInput {
  return searchInputSchema.parse({ originCode: "LHR", destinationCode: "JFK", departureDate: addDays(today, dateOffset++), ...overrides });
}

/** A cache that remembers the TTL of each write. */
class RecordingCache extends MemoryCache {
  ttls: number[] = [];
  override async set<T>(key: string, value: T, ttlSeconds: number) {
    this.ttls.push(ttlSeconds);
    return super.set(key, value, ttlSeconds);
  }
}

/** Counts calls to the wrapped providers. */
function counted(providers: ResilientProvider[]) {
  const calls: Record<string, number> = {};
  const wrapped = providers.map((p) => {
    const inner = p.provider;
    const provider: FlightProvider = {
      ...inner,
      search: (query, context) => {
        calls[inner.id] = (calls[inner.id] ?? 0) + 1;
        return inner.search(query, context);
      },
    };
    return new ResilientProvider(provider, p.options);
  });
  return { providers: wrapped, calls };
}

const failing = (id: string, behaviour: "error" | "hang"): ResilientProvider =>
  new ResilientProvider(
    {
      id,
      name: `${id} (test)`,
      simulated: false,
      async search(_query, { signal }) {
        if (behaviour === "hang") await sleep(60_000, signal);
        throw new Error("upstream exploded");
      },
    },
    { ...DEFAULT_RESILIENCE, retries: 0, timeoutMs: 300 },
  );

describeEachEngine(
  "searchFlights",
  ({ database, app }) => {
    const deps = (overrides: TestContextOverrides = {}) => app(overrides);
    const snapshotCount = async (origin = "LHR") => {
      const [row] = await queryRows<{ n: number }>(database().db, sql`SELECT count(*)::int AS n FROM price_snapshot WHERE origin = ${origin}`);
      return row!.n;
    };

    it("finds ranked, labelled offers from both simulated sellers, and records every price", async () => {
      const search = input();
      const before = await snapshotCount();
      const result = await searchFlights(deps(), search);
      expect(result.cache).toBe("miss");
      expect(result.currency).toBe("GBP");
      expect(result.simulated).toBe(true);
      expect(result.offers.length).toBeGreaterThan(5);
      expect(result.totalResults).toBe(result.totalUnfiltered);
      expect(result.providers.map((p) => [p.provider, p.status])).toEqual([
        ["skyway", "ok"],
        ["farefinder", "ok"],
      ]);
      expect(result.offers.some((o) => o.sources.length === 2)).toBe(true);
      expect(result.origin).toMatchObject({ code: "LHR", kind: "airport" });
      const sources = result.offers.length === result.totalResults ? result.offers.reduce((n, o) => n + o.sources.length, 0) : null;
      const written = (await snapshotCount()) - before;
      expect(written).toBeGreaterThan(0);
      if (sources !== null) expect(written).toBe(sources);
      const [query] = await queryRows<{ search_count: number }>(
        database().db,
        sql`SELECT search_count FROM flight_query WHERE origin = 'LHR' AND destination = 'JFK' AND departure_date = ${search.departureDate}`,
      );
      expect(query?.search_count).toBe(1);
    });

    it("with a snapshot writer, answers first and records the prices right after", async () => {
      const { ObservationWriter } = await import("@/server/observations/writer");
      const writer = new ObservationWriter(database().db, { maxDelayMs: 60_000 });
      const before = await snapshotCount();
      const result = await searchFlights(deps({ observations: writer, search: { writeBehind: true } }), input());
      expect(result.offers.length).toBeGreaterThan(0);
      expect(await snapshotCount()).toBe(before);
      await writer.flush();
      expect(await snapshotCount()).toBeGreaterThan(before);
    });

    it("serves the same search from the cache, unchanged and without writing again", async () => {
      const shared = deps();
      const search = input();
      const first = await searchFlights(shared, search);
      const rows = await snapshotCount();
      const second = await searchFlights(shared, search);
      expect(second.cache).toBe("hit");
      expect(second.lastUpdated).toBe(first.lastUpdated);
      expect(second.offers).toEqual(first.offers);
      expect(await snapshotCount()).toBe(rows);
    });

    it("shares one fan-out between concurrent identical searches", async () => {
      const { providers, calls } = counted(deps().providers);
      const shared = deps({ providers });
      const search = input();
      const results = await Promise.all(Array.from({ length: 5 }, () => searchFlights(shared, search)));
      expect(calls).toEqual({ skyway: 1, farefinder: 1 });
      expect(new Set(results.map((r) => r.lastUpdated)).size).toBe(1);
    });

    it("searches several cabins, each its own canonical query", async () => {
      const search = input({ cabins: ["economy", "business"], limit: 100 });
      const result = await searchFlights(deps(), search);
      expect(result.totalResults).toBeLessThanOrEqual(100);
      expect(new Set(result.offers.map((o) => o.cabin))).toEqual(new Set(["economy", "business"]));
      const rows = await queryRows<{ cabin: string }>(
        database().db,
        sql`SELECT cabin FROM flight_query WHERE origin = 'LHR' AND destination = 'JFK' AND departure_date = ${search.departureDate} ORDER BY cabin`,
      );
      expect(rows.map((r) => r.cabin)).toEqual(["economy", "business"]);
    });

    it("searches every airport of a metro code", async () => {
      const result = await searchFlights(deps(), input({ originCode: "LON", destinationCode: "NYC", limit: 100 }));
      expect(result.origin).toMatchObject({ kind: "metro", code: "LON", airports: expect.arrayContaining(["LHR", "LGW"]) });
      expect(new Set(result.offers.map((o) => o.slices[0]!.origin)).size).toBeGreaterThan(1);
      expect(new Set(result.offers.map((o) => o.slices[0]!.destination)).size).toBeGreaterThan(1);
    });

    it("sorts, filters and pages without asking the providers again", async () => {
      const { providers, calls } = counted(deps().providers);
      const shared = deps({ providers });
      const search = { departureDate: addDays(today, dateOffset++) };
      const cheapest = await searchFlights(shared, input({ ...search, sort: "cheapest" }));
      const prices = cheapest.offers.map((o) => o.price.amountMinor);
      expect(prices).toEqual([...prices].sort((a, b) => a - b));
      const nonstop = await searchFlights(shared, input({ ...search, filters: { maxStops: 0 } }));
      expect(nonstop.offers.every((o) => totalStops(o) === 0)).toBe(true);
      expect(nonstop.totalResults).toBeLessThan(nonstop.totalUnfiltered);
      const page1 = await searchFlights(shared, input({ ...search, limit: 3 }));
      const page2 = await searchFlights(shared, input({ ...search, limit: 3, cursor: page1.nextCursor }));
      expect(page2.offers.map((o) => o.itineraryKey)).not.toEqual(page1.offers.map((o) => o.itineraryKey));
      await expect(searchFlights(shared, input({ ...search, limit: 3, sort: "fastest", cursor: page1.nextCursor }))).rejects.toMatchObject({
        fields: { cursor: [expect.stringMatching(/not valid/)] },
      });
      expect(calls).toEqual({ skyway: 1, farefinder: 1 });
    });

    it("quotes in the currency asked for, else the origin country's", async () => {
      expect((await searchFlights(deps(), input({ currency: "EUR" }))).offers[0]!.price.currency).toBe("EUR");
      expect((await searchFlights(deps(), input({ originCode: "CDG", destinationCode: "JFK" }))).currency).toBe("EUR");
      expect((await searchFlights(deps(), input({ originCode: "NRT", destinationCode: "ICN" }))).currency).toBe("JPY");
    });

    it("still answers when a provider fails or hangs, saying which, and caches that only briefly", async () => {
      const cache = new RecordingCache();
      const base = deps();
      const started = Date.now();
      const result = await searchFlights(
        deps({ cache, providers: [base.providers[0]!, failing("broken", "error"), failing("stuck", "hang")], search: { timeoutMs: 1_000 } }),
        input(),
      );
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(result.offers.length).toBeGreaterThan(0);
      expect(result.providers.map((p) => [p.provider, p.status])).toEqual([
        ["skyway", "ok"],
        ["broken", "error"],
        ["stuck", "timeout"],
      ]);
      expect(cache.ttls).toEqual([60]);
    });

    it("caches nothing when no provider answers", async () => {
      const cache = new RecordingCache();
      const result = await searchFlights(deps({ cache, providers: [failing("broken", "error")] }), input());
      expect(result.offers).toEqual([]);
      expect(result.providers[0]).toMatchObject({ status: "error", error: "The provider failed" });
      expect(cache.ttls).toEqual([]);
    });

    it("degrades to no cache when the cache fails", async () => {
      const broken: Cache = {
        name: "memory",
        get: () => Promise.reject(new Error("cache down")),
        set: () => Promise.reject(new Error("cache down")),
        delete: () => Promise.reject(new Error("cache down")),
      };
      const { SafeCache } = await import("@/server/cache/safe");
      const result = await searchFlights(deps({ cache: new SafeCache(broken) }), input());
      expect(result.offers.length).toBeGreaterThan(0);
    });

    it("still answers when the snapshots cannot be written, and counts the failure", async () => {
      const db = database().db;
      const failures = metrics.snapshotWriteFailures;
      await queryRows(db, "ALTER TABLE flight_query RENAME TO flight_query_away");
      try {
        const result = await searchFlights(deps(), input());
        expect(result.offers.length).toBeGreaterThan(0);
      } finally {
        await queryRows(db, "ALTER TABLE flight_query_away RENAME TO flight_query");
      }
      expect(metrics.snapshotWriteFailures).toBe(failures + 1);
    });

    it("refuses what the reference data rules out, naming the field, and writes nothing", async () => {
      const queries = async () => (await queryRows<{ n: number }>(database().db, "SELECT count(*)::int AS n FROM flight_query"))[0]!.n;
      const before = await queries();
      const cases: [Partial<Record<keyof SearchInput, unknown>>, string][] = [
        [{ originCode: "QQQ" }, "originCode"],
        [{ destinationCode: "ZZZ" }, "destinationCode"],
        [{ originCode: "LON", destinationCode: "LHR" }, "destinationCode"],
        [{ originCode: "NYC", destinationCode: "EWR" }, "destinationCode"],
      ];
      for (const [overrides, field] of cases) {
        const error = await searchFlights(deps(), input(overrides)).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ValidationError);
        expect(Object.keys((error as ValidationError).fields)).toEqual([field]);
      }
      // Yesterday is still today somewhere, so the schema lets it through; at the origin it is past.
      const yesterday = searchInputSchema.parse({ originCode: "LHR", destinationCode: "JFK", departureDate: addDays(today, -1) });
      const past = await searchFlights(deps({ clock: () => new Date(`${today}T12:00:00Z`) }), yesterday).catch((e: unknown) => e);
      expect((past as ValidationError).fields).toEqual({ departureDate: [expect.stringMatching(/must not be in the past \(it is \d{4}-\d\d-\d\d in London\)/)] });
      expect(await queries()).toBe(before);
    });
  
    it("merges a real provider quoting in another currency, converted at the reference rates", async () => {
      const replay = await startReplayServer();
      try {
        const search = input({ currency: "EUR", limit: 100 });
        replay.script({ status: 201, body: lhrJfkOffers(search.departureDate) });
        const duffel = new ResilientProvider(duffelProvider({ token: "duffel_test_token", baseUrl: replay.url }), DEFAULT_RESILIENCE);
        const result = await searchFlights(deps({ providers: [...deps().providers, duffel], }), search);
        const fromDuffel = result.offers.filter((o) => o.sources.some((s) => s.provider === "duffel"));
        expect(fromDuffel.length).toBe(2);
        for (const offer of fromDuffel) {
          const source = offer.sources.find((s) => s.provider === "duffel")!;
          expect(source.price.currency).toBe("EUR");
          expect(source.simulated).toBe(false);
        }
        // 452.30 GBP at the reference rates (0.85 GBP per EUR).
        expect(fromDuffel.map((o) => o.sources.find((s) => s.provider === "duffel")!.price.amountMinor)).toContain(53_212);
        expect(result.providers.map((p) => p.provider)).toEqual(["skyway", "farefinder", "duffel"]);
      } finally {
        await replay.close();
      }
    });

    it("keeps a Duffel test-mode price simulated in the price history and its CSV export, as in the search", async () => {
      const replay = await startReplayServer();
      try {
        const search = input({ limit: 100 });
        replay.script({ status: 201, body: lhrJfkOffers(search.departureDate, { liveMode: false }) });
        const duffel = new ResilientProvider(duffelProvider({ token: "duffel_test_token", baseUrl: replay.url }), DEFAULT_RESILIENCE);
        const result = await searchFlights(deps({ providers: [duffel] }), search);
        expect(result.simulated).toBe(true);
        const rows = await queryRows<{ simulated: boolean }>(
          database().db,
          sql`SELECT simulated FROM price_snapshot WHERE provider = 'duffel' AND departure_date = ${search.departureDate}`,
        );
        expect(rows.length).toBeGreaterThan(0);
        expect(rows.every((r) => r.simulated === true)).toBe(true);
        const { snapshotCsv, CSV_COLUMNS } = await import("@/server/services/routes/export-snapshots");
        let csv = "";
        for await (const chunk of snapshotCsv(database().db, { origins: ["LHR"], destinations: ["JFK"], days: 1, departureDate: search.departureDate }, { maxRows: 100 })) csv += chunk;
        const simulatedColumn = CSV_COLUMNS.indexOf("simulated");
        const lines = csv.trim().split("\r\n").slice(1);
        expect(lines.length).toBe(rows.length);
        expect(lines.every((line) => line.split(",")[simulatedColumn] === "true")).toBe(true);
      } finally {
        await replay.close();
      }
    });

    it("reports each provider as it answers, to every search sharing the fan-out, then the cached answer at once", async () => {
      const search = input({ limit: 5 });
      const slowSecond = counted(deps().providers).providers.map((p, n) =>
        n === 0 ? p : new ResilientProvider({ ...p.provider, search: async (q, c) => (await sleep(150), p.provider.search(q, c)) }, p.options),
      );
      const shared = deps({ providers: slowSecond });
      const first: string[] = [];
      const second: string[] = [];
      const [a] = await Promise.all([
        searchFlights(shared, search, { onProvider: (e) => first.push(`${e.report.provider}:${e.report.status}:${e.offers.length > 0}`) }),
        (async () => {
          await sleep(50);
          return searchFlights(shared, search, { onProvider: (e) => second.push(`${e.report.provider}:${e.offers.length > 0}`) });
        })(),
      ]);
      expect(first).toEqual(["skyway:ok:true", "farefinder:ok:true"]);
      // Joined after skyway answered: hears it at once, then farefinder.
      expect(second).toEqual(["skyway:true", "farefinder:true"]);
      // Every offer in the one-page answer; the paged answer stops at the limit.
      const all = await searchFlights(shared, search, { allOffers: true, onProvider: (e) => second.push(`cached:${e.report.provider}`) });
      expect(all.cache).toBe("hit");
      expect(all.offers.length).toBe(all.totalResults);
      expect(all.nextCursor).toBeNull();
      expect(a.offers.length).toBe(5);
      expect(second.slice(-2)).toEqual(["cached:skyway", "cached:farefinder"]);
      // A listener that throws does not fail the search.
      const other = input();
      await expect(searchFlights(deps(), other, { onProvider: () => { throw new Error("page gone"); } })).resolves.toBeTruthy();
    });

    it("judges the cheapest price against the route's history, or says the history is thin", async () => {
      const search = input({ originCode: "OSL", destinationCode: "TRD" });
      const thin = await searchFlights(deps(), search);
      expect(thin.insight).toMatchObject({ status: "insufficient", cabin: "economy", currency: "NOK" });
      // Twenty days of earlier observations for this date, all far dearer than today's fares.
      const { recordSearch } = await import("@/db/queries/snapshots");
      const { makeOffers } = await import("@/test/fixtures");
      const { refreshContinuousAggregates } = await import("@/db/migrate");
      const canonical = { origin: "OSL", destination: "TRD", departureDate: search.departureDate, returnDate: null, cabin: "economy" as const, adults: 1, children: 0, infants: 0, currency: "NOK" };
      for (let back = 1; back <= 20; back++) {
        await recordSearch(database().db, canonical, new Date(Date.now() - back * 86_400_000), makeOffers(canonical, 2, (n) => 50_000_000 + back * 1000 + n));
      }
      await refreshContinuousAggregates(database().db);
      const judged = await searchFlights(deps(), search);
      expect(judged.insight).toMatchObject({ status: "ok", cabin: "economy", currency: "NOK", days: 21 });
      if (judged.insight?.status !== "ok") throw new Error("no insight");
      expect(judged.insight.level).toBe("low");
      expect(judged.insight.samples).toBeGreaterThanOrEqual(40);
      const cheapest = Math.min(...judged.offers.map((o) => o.pricePerAdult.amountMinor));
      expect(judged.insight.priceMinor).toBe(cheapest);
      expect(judged.insight.p25Minor).toBeLessThanOrEqual(judged.insight.p75Minor);
    });
  },
  { seed: true },
);
