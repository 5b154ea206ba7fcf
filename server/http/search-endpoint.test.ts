import { expect, it } from "vitest";
import { MemoryCache } from "@/server/cache/memory";
import { queryRows } from "@/db/client";
import { ServiceUnavailableError } from "@/server/core/errors";
import type { AppContext } from "@/server/context";
import type { Limiters, RateLimiter } from "@/server/ratelimit";
import { MemoryRateLimiter } from "@/server/ratelimit/memory";
import { setProviderPaused } from "@/server/providers/pauses";
import { searchPlaces } from "@/server/services/places/search-places";
import { addDays } from "@/server/core/time";
import { badSearchRequests, goodSearchQuery } from "@/test/bad-search-requests";
import { describeEachEngine } from "@/test/engines";
import { schemaErrors } from "@/test/openapi";
import { seedSchemaErrors } from "@/test/seed-openapi";
import { handleAirportSearch, handleFlightSearch, searchEndpointDeps, type SearchEndpointDeps } from "./search-endpoint";

const today = new Date().toISOString().slice(0, 10);
/** The app's limiters as one limiter for every limit and caller. */
const only = (limiter: RateLimiter | null): Limiters => () => limiter;

describeEachEngine(
  "GET /api/v1/flights/search",
  ({ database, app }) => {
    let ctx: AppContext | undefined;
    // The endpoint's dependencies as the app builds them, on one test context for the file.
    const endpoint = (overrides: Partial<SearchEndpointDeps> = {}): SearchEndpointDeps => ({ ...searchEndpointDeps((ctx ??= app())), ...overrides });
    const get = (query: string, deps = endpoint(), headers: Record<string, string> = {}) =>
      handleFlightSearch(new Request(`http://localhost/api/v1/flights/search?${query}`, { headers }), deps);

    it("answers LHR to JFK a month out with ranked, labelled flights from both simulated providers, as documented", async () => {
      const response = await get(`originCode=LHR&destinationCode=JFK&departureDate=${addDays(today, 30)}`);
      expect(response.status).toBe(200);
      expect(response.headers.get("x-cache")).toBe("MISS");
      const body = await response.json();
      expect(schemaErrors("FlightSearchResponse", body)).toEqual([]);
      expect(seedSchemaErrors("FlightSearchResponse", body)).toEqual([]);
      expect(body).toMatchObject({ currency: "GBP", cache: "miss", simulated: true });
      expect(body.providers.map((p: { provider: string; status: string }) => [p.provider, p.status])).toEqual([
        ["skyway", "ok"],
        ["farefinder", "ok"],
      ]);
      const flight = body.flights[0];
      expect(flight).toMatchObject({
        origin: { code: "LHR", name: "London Heathrow Airport" },
        destination: { code: "JFK", name: "John F. Kennedy International Airport" },
        price: { currency: "GBP" },
        cabin: "economy",
        simulated: true,
      });
      expect(flight.airlineName).not.toBe(flight.airlineCode);
      expect(flight.departureTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00[+-]\d\d:\d\d$/);
      expect(flight.duration).toMatch(/^PT(\d+H)?(\d+M)?$/);
      expect(flight.duration).toBe(`PT${Math.floor(flight.durationMinutes / 60)}H${flight.durationMinutes % 60 ? `${flight.durationMinutes % 60}M` : ""}`);
      expect(flight.deepLink).toMatch(/^https:\/\/\w+\.example\.com\/book\?/);
      expect(body.totalResults).toBeGreaterThanOrEqual(body.flights.length);

      const again = await get(`originCode=LHR&destinationCode=JFK&departureDate=${addDays(today, 30)}`);
      expect(again.headers.get("x-cache")).toBe("HIT");
      expect((await again.json()).lastUpdated).toBe(body.lastUpdated);
    });

    it("answers a full round-trip family search in several cabins, as documented", async () => {
      const response = await get(goodSearchQuery);
      expect(response.status).toBe(200);
      const body = await response.json();
      expect(schemaErrors("FlightSearchResponse", body)).toEqual([]);
      expect(seedSchemaErrors("FlightSearchResponse", body)).toEqual([]);
      expect(body.search).toMatchObject({ cabins: ["economy", "business"], adults: 2, children: 1, infants: 1, sort: "cheapest" });
      expect(body.flights.every((f: { slices: unknown[]; stops: number }) => f.slices.length === 2 && f.stops <= 1)).toBe(true);
    });

    it.each(badSearchRequests.map((c) => [c.name, c] as const))("answers 400 naming the parameter: %s", async (_, c) => {
      const before = (await queryRows<{ n: number }>(database().db, "SELECT count(*)::int AS n FROM flight_query"))[0]!.n;
      const response = await get(c.query);
      expect(response.status).toBe(400);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      const body = await response.json();
      expect(schemaErrors("Problem", body)).toEqual([]);
      expect(seedSchemaErrors("ErrorResponse", body)).toEqual([]);
      expect(body).toMatchObject({ title: "Invalid request", status: 400 });
      expect(Object.keys(body.errors)).toContain(c.field);
      const after = (await queryRows<{ n: number }>(database().db, "SELECT count(*)::int AS n FROM flight_query"))[0]!.n;
      expect(after).toBe(before);
    });

    it("answers 429 with Retry-After past the rate limit, per client address", async () => {
      const deps = endpoint({ limiter: only(new MemoryRateLimiter(2, 60_000)), trustedProxies: 0 });
      const query = `originCode=LHR&destinationCode=JFK&departureDate=${addDays(today, 31)}`;
      const from = (address: string) => ({ "x-forwarded-for": address });
      expect((await get(query, deps, from("203.0.113.7"))).status).toBe(200);
      expect((await get(query, deps, from("203.0.113.7"))).status).toBe(200);
      const refused = await get(query, deps, from("203.0.113.7"));
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
      const problem = await refused.json();
      expect(schemaErrors("Problem", problem)).toEqual([]);
      expect(seedSchemaErrors("ErrorResponse", problem)).toEqual([]);
      expect((await get(query, deps, from("198.51.100.1"))).status).toBe(200);
    });

    it("serves the same URL again from its kept answer: no search, the same flights", async () => {
      let searches = 0;
      const base = endpoint();
      const deps = { ...base, search: (input: Parameters<SearchEndpointDeps["search"]>[0]) => (searches++, base.search(input)) };
      const query = `originCode=LHR&destinationCode=ORD&departureDate=${addDays(today, 44)}&sort=cheapest`;
      const first = await get(query, deps);
      const body = await first.json();
      expect([first.headers.get("x-cache"), body.cache, searches]).toEqual(["MISS", "miss", 1]);
      const again = await get(query, deps);
      expect(again.headers.get("x-cache")).toBe("HIT");
      const kept = await again.json();
      expect(kept).toEqual({ ...body, cache: "hit" });
      expect(schemaErrors("FlightSearchResponse", kept)).toEqual([]);
      expect(searches).toBe(1);
      // Another URL (another sort) is another answer.
      await get(`${query.replace("cheapest", "fastest")}`, deps);
      expect(searches).toBe(2);
    });

    it("serves no answer kept before an admin paused a provider, nor one kept during the pause after it is resumed", async () => {
      const deps = endpoint();
      const providers = async (response: Response) => [response.headers.get("x-cache"), ...((await response.json()) as { providers: { provider: string; status: string }[] }).providers.map((p) => `${p.provider} ${p.status}`)];
      const pause = async (paused: boolean) => {
        await database().db.transaction((tx) => setProviderPaused(tx, "farefinder", paused ? { pausedAt: new Date().toISOString(), pausedBy: null, reason: "test" } : null));
        // Another instance's change, seen by this one after its second of staleness.
        ctx!.providerPauses.invalidate();
      };
      const query = `originCode=LHR&destinationCode=SEA&departureDate=${addDays(today, 49)}`;
      expect(await providers(await get(query, deps))).toEqual(["MISS", "skyway ok", "farefinder ok"]);
      try {
        await pause(true);
        expect(await providers(await get(query, deps))).toEqual(["MISS", "skyway ok", "farefinder paused"]);
        expect(await providers(await get(query, deps))).toEqual(["HIT", "skyway ok", "farefinder paused"]);
      } finally {
        await pause(false);
      }
      expect(await providers(await get(query, deps))).toEqual(["HIT", "skyway ok", "farefinder ok"]);
    });

    it("keeps no answer that nothing answered, a partial one at most a minute, and none for tomorrow", async () => {
      const ttls: number[] = [];
      const recording = new MemoryCache();
      const set = recording.set.bind(recording);
      recording.set = async (key, value, ttl) => (ttls.push(ttl), set(key, value, ttl));
      const base = endpoint();
      const answers = { cache: recording, scope: async () => "test" };
      const withStatuses = (statuses: ("ok" | "error")[]): SearchEndpointDeps => ({
        ...base,
        answers,
        search: async (input) => {
          const result = await base.search(input);
          return { ...result, providers: statuses.map((status, i) => ({ ...result.providers[0]!, provider: `p${i}`, status })) };
        },
      });
      await get(`originCode=LHR&destinationCode=MIA&departureDate=${addDays(today, 45)}`, withStatuses(["error", "error"]));
      expect(ttls).toEqual([]);
      await get(`originCode=LHR&destinationCode=MIA&departureDate=${addDays(today, 46)}`, withStatuses(["ok", "error"]));
      expect(ttls).toHaveLength(1);
      expect(ttls[0]).toBeLessThanOrEqual(60);
      await get(`originCode=LHR&destinationCode=MIA&departureDate=${addDays(today, 47)}`, withStatuses(["ok", "ok"]));
      expect(ttls[1]).toBeGreaterThan(200);
      await get(`originCode=LHR&destinationCode=MIA&departureDate=${addDays(today, 1)}`, withStatuses(["ok", "ok"]));
      expect(ttls).toHaveLength(2);
    });

    it("still counts a kept answer against the rate limit", async () => {
      const deps = endpoint({ limiter: only(new MemoryRateLimiter(2, 60_000)) });
      const query = `originCode=LHR&destinationCode=BOS&departureDate=${addDays(today, 48)}`;
      const from = { "x-forwarded-for": "203.0.113.77" };
      expect((await get(query, deps, from)).status).toBe(200);
      expect((await get(query, deps, from)).headers.get("x-cache")).toBe("HIT");
      expect((await get(query, deps, from)).status).toBe(429);
    });

    it("answers 503, not 500, when the database cannot be reached", async () => {
      const response = await get(goodSearchQuery, endpoint({ answers: null, search: () => Promise.reject(new ServiceUnavailableError("The database cannot be reached")) }));
      expect(response.status).toBe(503);
      expect((await response.json()).detail).toMatch(/database/);
    });

    it("hides an unexpected error behind a 500 without details", async () => {
      const response = await get(goodSearchQuery, endpoint({ answers: null, search: () => Promise.reject(new Error("secret internals")) }));
      expect(response.status).toBe(500);
      expect(await response.text()).not.toContain("secret");
    });
  },
  { seed: true },
);

describeEachEngine(
  "GET /api/v1/airports",
  ({ database }) => {
    const get = (query: string, limiter: RateLimiter | null = null) =>
      handleAirportSearch(new Request(`http://localhost/api/v1/airports?${query}`, { headers: { "x-forwarded-for": "203.0.113.9" } }), {
        lookup: (q, limit) => searchPlaces(database(), q, { limit }),
        principal: async () => null,
        limiter: only(limiter),
        trustedProxies: 0,
      });

    it("finds places as documented", async () => {
      const response = await get("q=lon&limit=5");
      expect(response.status).toBe(200);
      const body = await response.json();
      expect(schemaErrors("AirportSearchResponse", body)).toEqual([]);
      expect(body.places[0]).toMatchObject({ kind: "metro", code: "LON" });
      expect(body.places).toHaveLength(5);
    });

    it.each([["", "q"], ["q=", "q"], ["q=lon&limit=0", "limit"], ["q=lon&limit=abc", "limit"], ["q=lon&q=par", "q"], ["q=lon&x=1", "x"], [`q=${"a".repeat(65)}`, "q"], ["q=%00", "q"], ["q=lon%00don", "q"], ["q=lon%0Adon", "q"], ["q=lon&limit=5%00", "limit"]])(
      "answers 400 for %s",
      async (query, field) => {
        const response = await get(query);
        expect(response.status).toBe(400);
        expect(Object.keys((await response.json()).errors)).toContain(field);
      },
    );

    it("limits lookups per client address with 429 and Retry-After", async () => {
      const limiter = new MemoryRateLimiter(2, 60_000);
      expect((await get("q=lon", limiter)).status).toBe(200);
      expect((await get("q=par", limiter)).status).toBe(200);
      const refused = await get("q=ber", limiter);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    });
  },
  { seed: true },
);
