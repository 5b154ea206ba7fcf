import { TRPCError } from "@trpc/server";
import { expect, it } from "vitest";
import { addDays } from "@/server/core/time";
import type { RateLimiter } from "@/server/ratelimit";
import { MemoryRateLimiter } from "@/server/ratelimit/memory";
import { createCaller } from "@/server/trpc/root";
import { describeEachEngine } from "@/test/engines";
import { procedureContext } from "@/test/trpc";

const today = new Date().toISOString().slice(0, 10);

describeEachEngine(
  "flight router",
  ({ app }) => {
    const context = procedureContext(app);

    it("flight.search returns typed, ranked results", async () => {
      const caller = createCaller(context());
      const result = await caller.flight.search({ originCode: "lhr", destinationCode: "JFK", departureDate: addDays(today, 40), cabins: ["economy"] });
      expect(result.origin.code).toBe("LHR");
      expect(result.offers.length).toBeGreaterThan(0);
      expect(result.providers.every((p) => p.status === "ok")).toBe(true);
      expect(typeof result.offers[0]!.price.amountMinor).toBe("number");
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

    it("limits searches per client with TOO_MANY_REQUESTS", async () => {
      const limiter: RateLimiter = new MemoryRateLimiter(1, 60_000);
      const caller = createCaller(context({ limiter: () => limiter }));
      const search = { originCode: "LHR", destinationCode: "CDG", departureDate: addDays(today, 41) };
      await caller.flight.search(search);
      await expect(caller.flight.search(search)).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    });
  },
  { seed: true },
);
