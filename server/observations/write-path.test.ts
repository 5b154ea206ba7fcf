import { sql } from "drizzle-orm";
import { expect, it, vi } from "vitest";
import { queryRows, type Db } from "@/db/client";
import { getSetting, putSetting } from "@/db/queries/app-settings";
import type { ObservationInput } from "@/server/core/observation";
import type { ProviderReport } from "@/server/core/provider-report";
import { searchInputSchema } from "@/server/core/search-query";
import { addDays } from "@/server/core/time";
import { metrics } from "@/server/metrics";
import { DEFAULT_RESILIENCE } from "@/server/providers/registry";
import { ResilientProvider } from "@/server/providers/resilience";
import { searchFlights } from "@/server/services/search/search-flights";
import { describeEachEngine } from "@/test/engines";
import { makeOffers, uniqueQuery } from "@/test/fixtures";
import { ObservationRegistry } from "./registry";
import { registerObservationSubscribers } from "./subscribers";
import { ObservationWriter } from "./writer";

const report = (provider: string, overrides: Partial<ProviderReport> = {}): ProviderReport => ({
  provider,
  name: provider,
  simulated: false,
  status: "ok",
  latencyMs: 120,
  offerCount: 3,
  error: null,
  attempts: 1,
  ...overrides,
});

const today = new Date().toISOString().slice(0, 10);

describeEachEngine(
  "the observation write path",
  ({ database, app }) => {
    const db = () => database().db;
    const count = async (query: string) => (await queryRows<{ n: number }>(db(), query))[0]!.n;
    const input = (origin: string, destination: string, prices: number[], providers = [report("test-a")]): ObservationInput => {
      const query = uniqueQuery({ origin, destination });
      const snapshots = makeOffers(query, prices.length, (i) => prices[i]!);
      return { query, observedAt: new Date(), snapshots, providers };
    };

    it("publishes one observation per write, after the commit, with its query id, lowest price and reports", async () => {
      const heard: { queryId: number; rowsVisible: number }[] = [];
      const observers = new ObservationRegistry().onCommit("test", async (o) => {
        // Committed: the prices are readable by the time a subscriber hears of them.
        heard.push({ queryId: o.queryId, rowsVisible: await count(`SELECT count(*)::int AS n FROM price_snapshot WHERE query_id = ${o.queryId}`) });
      });
      const writer = new ObservationWriter(db(), { observers });
      const first = input("BER", "LIS", [30_000, 21_000, 25_000], [report("test-a"), report("test-b", { status: "timeout", offerCount: 0, error: "No answer in time" })]);
      const observation = await writer.record(first, { immediate: true });
      const [row] = await queryRows<{ id: number }>(
        db(),
        sql`SELECT id::int AS id FROM flight_query WHERE origin = 'BER' AND destination = 'LIS' AND departure_date = ${first.query.departureDate}`,
      );
      expect(observation).toMatchObject({ queryId: row!.id, offerCount: 3, written: 3, providers: first.providers });
      expect(observation!.lowest).toMatchObject({ pricePerAdultMinor: 21_000, itineraryKey: first.snapshots[1]!.itineraryKey, provider: "test-a" });
      expect(heard).toEqual([{ queryId: row!.id, rowsVisible: 3 }]);
      // The same observation again adds no rows, and is still published.
      expect(await writer.record(first, { immediate: true })).toMatchObject({ queryId: row!.id, written: 0 });
      expect(heard).toHaveLength(2);
      expect((await writer.record(input("BER", "OPO", []), { immediate: true }))!.lowest).toBeNull();
    });

    it("commits or rolls back what an on-write subscriber writes together with the prices", async () => {
      const failures = metrics.snapshotWriteFailures;
      vi.spyOn(console, "error").mockImplementation(() => {});
      const observers = new ObservationRegistry().onWrite("outbox", async (observations, tx: Db) => {
        for (const o of observations) {
          await putSetting(tx, `outbox:${o.queryId}`, o.query.destination);
          if (o.query.destination === "ATH") throw new Error("the outbox is full");
        }
      });
      const writer = new ObservationWriter(db(), { observers, maxDelayMs: 60_000 });
      const failing = writer.record(input("MUC", "ATH", [10_000, 11_000]));
      const passing = writer.record(input("MUC", "OSL", [12_000]));
      await writer.flush();
      expect(await failing).toBeNull();
      const written = await passing;
      expect(written).not.toBeNull();
      expect(await getSetting(db(), `outbox:${written!.queryId}`)).toBe("OSL");
      expect(await count("SELECT count(*)::int AS n FROM price_snapshot WHERE destination = 'ATH'")).toBe(0);
      expect(await count("SELECT count(*)::int AS n FROM app_setting WHERE key LIKE 'outbox:%' AND value = 'ATH'")).toBe(0);
      expect(metrics.snapshotWriteFailures).toBe(failures + 1);
      vi.restoreAllMocks();
    });

    it("keeps a failing on-commit subscriber from the write and from the other subscribers", async () => {
      const failures = metrics.observerFailures;
      vi.spyOn(console, "error").mockImplementation(() => {});
      const heard: string[] = [];
      const observers = new ObservationRegistry()
        .onCommit("broken", () => {
          throw new Error("mailer down");
        })
        .onCommit("listening", (o) => void heard.push(o.query.destination));
      const observation = await new ObservationWriter(db(), { observers }).record(input("VIE", "KRK", [9_000]), { immediate: true });
      expect(observation).not.toBeNull();
      expect(heard).toEqual(["KRK"]);
      expect(metrics.observerFailures).toBe(failures + 1);
      vi.restoreAllMocks();
    });

    it("registers every subscriber in one place; provider calls are written once per observation", async () => {
      const observers = registerObservationSubscribers();
      expect(observers.names()).toEqual({ onWrite: ["provider-calls", "ingestion-runs", "tracked-queries"], onCommit: ["metrics", "alerts"] });
      const writer = new ObservationWriter(db(), { observers });
      const observed = input("CPH", "HEL", [8_000], [report("test-a", { latencyMs: 87.6, attempts: 2 }), report("test-b", { status: "error", offerCount: 0, error: "answered 503", attempts: 3 })]);
      const { queryId } = (await writer.record(observed, { immediate: true }))!;
      await writer.record(observed, { immediate: true });
      const calls = await queryRows<Record<string, unknown>>(
        db(),
        sql`SELECT provider, status, latency_ms, offer_count, attempts, error FROM provider_call WHERE query_id = ${queryId} ORDER BY provider`,
      );
      expect(calls).toEqual([
        { provider: "test-a", status: "ok", latency_ms: 88, offer_count: 3, attempts: 2, error: null },
        { provider: "test-b", status: "error", latency_ms: 120, offer_count: 0, attempts: 3, error: "answered 503" },
      ]);
    });

    it("keeps each snapshot's simulated flag", async () => {
      const observed = input("GVA", "NCE", [7_000, 7_100, 7_200]);
      observed.snapshots = observed.snapshots.map((s, i) => ({ ...s, simulated: i !== 1 }));
      await new ObservationWriter(db()).record(observed, { immediate: true });
      const rows = await queryRows<{ price_minor: number; simulated: boolean }>(db(), "SELECT price_minor::int AS price_minor, simulated FROM price_snapshot WHERE destination = 'NCE' ORDER BY price_minor");
      expect(rows.map((r) => r.simulated)).toEqual([true, false, true]);
    });

    it("records a live search's providers, a failing one included, and nothing for a cached repeat", async () => {
      const broken = new ResilientProvider(
        {
          id: "broken",
          name: "Broken (test)",
          simulated: false,
          async search() {
            throw new Error("upstream exploded");
          },
        },
        { ...DEFAULT_RESILIENCE, retries: 0 },
      );
      const ctx = app();
      const search = searchInputSchema.parse({ originCode: "DUB", destinationCode: "AMS", departureDate: addDays(today, 52) });
      const result = await searchFlights(app({ providers: [...ctx.providers, broken], cache: ctx.cache }), search);
      const calls = await queryRows<{ provider: string; status: string; offer_count: number; error: string | null }>(
        db(),
        sql`SELECT c.provider, c.status, c.offer_count, c.error FROM provider_call c JOIN flight_query q ON q.id = c.query_id
            WHERE q.origin = 'DUB' AND q.destination = 'AMS' AND q.departure_date = ${search.departureDate} ORDER BY c.provider`,
      );
      expect(calls).toEqual([
        { provider: "broken", status: "error", offer_count: 0, error: "The provider failed" },
        { provider: "farefinder", status: "ok", offer_count: result.providers.find((p) => p.provider === "farefinder")!.offerCount, error: null },
        { provider: "skyway", status: "ok", offer_count: result.providers.find((p) => p.provider === "skyway")!.offerCount, error: null },
      ]);
      const flags = await queryRows<{ simulated: boolean }>(db(), sql`SELECT DISTINCT simulated FROM price_snapshot WHERE origin = 'DUB' AND departure_date = ${search.departureDate}`);
      expect(flags).toEqual([{ simulated: true }]);

      const observations = metrics.observations;
      const again = await searchFlights(app({ providers: [...ctx.providers, broken], cache: ctx.cache }), search);
      expect(again.cache).toBe("hit");
      expect(metrics.observations).toBe(observations);
      expect(await count("SELECT count(*)::int AS n FROM provider_call WHERE provider = 'broken'")).toBe(1);
    });
  },
  { seed: true },
);
