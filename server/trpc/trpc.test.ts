import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { TRPCError } from "@trpc/server";
import superjson from "superjson";
import { expect, it } from "vitest";
import { addDays } from "@/server/core/time";
import { MemoryRateLimiter } from "@/server/ratelimit/memory";
import type { RateLimiter } from "@/server/ratelimit";
import type { AppContext } from "@/server/context";
import { describeEachEngine } from "@/test/engines";
import { createInnerContext, type InnerContext } from "./init";
import { appRouter, createCaller } from "./root";

const today = new Date().toISOString().slice(0, 10);

describeEachEngine(
  "tRPC",
  ({ app }) => {
    let shared: AppContext | undefined;
    const context = (overrides: Partial<InnerContext> = {}): InnerContext => createInnerContext({ ...(shared ??= app()), clientAddress: "192.0.2.1", ...overrides });

    it("flight.search returns typed, ranked results", async () => {
      const caller = createCaller(context());
      const result = await caller.flight.search({ originCode: "lhr", destinationCode: "JFK", departureDate: addDays(today, 40), cabins: ["economy"] });
      expect(result.origin.code).toBe("LHR");
      expect(result.offers.length).toBeGreaterThan(0);
      expect(result.providers.every((p) => p.status === "ok")).toBe(true);
      expect(typeof result.offers[0]!.price.amountMinor).toBe("number");
    });

    it("airport.search finds places", async () => {
      const places = await createCaller(context()).airport.search({ query: "zurich", limit: 3 });
      expect(places[0]!.code).toBe("ZRH");
    });

    it("refuses bad input with BAD_REQUEST, and unknown places from the service the same way", async () => {
      const caller = createCaller(context());
      await expect(caller.flight.search({ originCode: "LHR", destinationCode: "LHR", departureDate: addDays(today, 5) })).rejects.toMatchObject({
        code: "BAD_REQUEST",
      });
      const unknown = await caller.flight.search({ originCode: "QQQ", destinationCode: "JFK", departureDate: addDays(today, 5) }).catch((e: unknown) => e);
      expect(unknown).toBeInstanceOf(TRPCError);
      expect(unknown).toMatchObject({ code: "BAD_REQUEST", cause: { fields: { originCode: [expect.any(String)] } } });
    });

    it("flight.results returns every offer with names, and streams each provider's answer to the context", async () => {
      const heard: string[] = [];
      const caller = createCaller(context({ onSearchProgress: (p) => heard.push(`${p.report.provider}:${p.report.status}`) }));
      const result = await caller.flight.results({ originCode: "LON", destinationCode: "NYC", departureDate: addDays(today, 41) });
      expect(result.offers.length).toBe(result.totalResults);
      expect(result.offers.length).toBeGreaterThan(100);
      expect(result.nextCursor).toBeNull();
      expect(result.names.airlines.BA).toBe("British Airways");
      expect(result.names.airports.JFK).toMatch(/Kennedy/);
      expect(heard.sort()).toEqual(["farefinder:ok", "skyway:ok"]);
      expect(result.insight).not.toBeNull();
    });

    it("route procedures read the history, the date grid and the route; unknown codes are BAD_REQUEST", async () => {
      const caller = createCaller(context());
      await caller.flight.search({ originCode: "LHR", destinationCode: "AMS", departureDate: addDays(today, 12) });
      const info = await caller.route.info({ origin: "lhr", destination: "AMS" });
      expect(info).toMatchObject({ currency: "GBP", cabin: "economy", origins: ["LHR"], destinations: ["AMS"] });
      const history = await caller.route.history({ origin: "LHR", destination: "AMS", days: 30 });
      expect(history.points).toHaveLength(1);
      expect(history.points[0]!.minMinor).toBeLessThanOrEqual(history.points[0]!.maxMinor);
      const grid = await caller.route.dateGrid({ origin: "LHR", destination: "AMS" });
      expect(grid.cells.map((c) => c.departureDate)).toEqual([addDays(today, 12)]);
      await expect(caller.route.history({ origin: "LHR", destination: "AMS", days: 45 as 30 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
      await expect(caller.route.info({ origin: "QQQ", destination: "AMS" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    });

    it("limits searches per client with TOO_MANY_REQUESTS", async () => {
      const limiter: RateLimiter = new MemoryRateLimiter(1, 60_000);
      const caller = createCaller(context({ limiter: () => limiter }));
      const search = { originCode: "LHR", destinationCode: "CDG", departureDate: addDays(today, 41) };
      await caller.flight.search(search);
      await expect(caller.flight.search(search)).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    });

    it("over HTTP, exposes a message per field and the zod tree to the client", async () => {
      const input = { originCode: "L1R", destinationCode: "JFK", departureDate: "2020-01-01", adults: 0 };
      const url = `http://localhost/api/trpc/flight.search?input=${encodeURIComponent(JSON.stringify(superjson.serialize(input)))}`;
      const response = await fetchRequestHandler({ endpoint: "/api/trpc", req: new Request(url), router: appRouter, createContext: async () => context() });
      expect(response.status).toBe(400);
      const body = await response.json();
      expect(body.error.json.data.fieldErrors).toMatchObject({
        originCode: [expect.stringMatching(/3-letter/)],
        departureDate: [expect.stringMatching(/past/)],
        adults: [expect.any(String)],
      });
      expect(body.error.json.data.zodError).toBeTruthy();
    });

    it("over HTTP, a service validation error keeps its field messages", async () => {
      const input = { originCode: "ZZZ", destinationCode: "JFK", departureDate: addDays(today, 10) };
      const url = `http://localhost/api/trpc/flight.search?input=${encodeURIComponent(JSON.stringify(superjson.serialize(input)))}`;
      const response = await fetchRequestHandler({ endpoint: "/api/trpc", req: new Request(url), router: appRouter, createContext: async () => context() });
      expect(response.status).toBe(400);
      expect((await response.json()).error.json.data.fieldErrors).toEqual({ originCode: ["ZZZ is not a known airport or city code"] });
    });
  },
  { seed: true },
);
