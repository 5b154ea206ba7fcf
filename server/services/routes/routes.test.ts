import { expect, it } from "vitest";
import { refreshContinuousAggregates } from "@/db/migrate";
import { ValidationError } from "@/server/core/errors";
import { addDays } from "@/server/core/time";
import { makeOffers, uniqueQuery } from "@/test/fixtures";
import { describeEachEngine } from "@/test/engines";
import { dateGrid } from "@/db/queries/price-daily";
import { recordSearch } from "@/db/queries/snapshots";
import { resolveRoute } from "@/server/core/route-query";
import { parseRouteSlug } from "@/server/core/routes";
import { priceStats } from "./price-stats";

const DAY = 86_400_000;
const today = () => new Date().toISOString().slice(0, 10);

describeEachEngine(
  "route prices",
  ({ database, reference }) => {
    const db = () => database().db;

    it("resolves airports and metro codes, and refuses unknown ones per field", async () => {
      const route = resolveRoute(reference(), "lon", "JFK");
      expect(route.origin.kind).toBe("metro");
      expect(route.origins).toEqual(expect.arrayContaining(["LHR", "LGW"]));
      expect(route.destinations).toEqual(["JFK"]);
      expect(route.currency).toBe("GBP");
      const error = (() => {
        try {
          return resolveRoute(reference(), "QQQ", "ZZZ");
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(ValidationError);
      expect(Object.keys((error as ValidationError).fields)).toEqual(["origin", "destination"]);
      expect(() => resolveRoute(reference(), "LHR", "LON")).toThrow(ValidationError);
      expect(parseRouteSlug("lhr-jfk")).toEqual(["LHR", "JFK"]);
      expect(() => parseRouteSlug("LHR")).toThrow(/not a route/);
    });

    it("computes the typical range from the daily cheapest prices around the date", async () => {
      const departure = addDays(today(), 40);
      const route = { origins: ["MAD"], destinations: ["LIM"], currency: "EUR", cabin: "economy" as const };
      // Ten days of observations, the day's cheapest 100.00, 110.00, ... 190.00 EUR.
      for (let back = 1; back <= 10; back++) {
        const query = uniqueQuery({ origin: "MAD", destination: "LIM", currency: "EUR", departureDate: departure });
        const cheapest = 10_000 + (back - 1) * 1_000;
        await recordSearch(db(), query, new Date(Date.now() - back * DAY), makeOffers(query, 3, (i) => cheapest + i * 500));
      }
      // Outside the window, a round trip and another currency: all ignored.
      const far = uniqueQuery({ origin: "MAD", destination: "LIM", currency: "EUR", departureDate: addDays(departure, 10) });
      await recordSearch(db(), far, new Date(Date.now() - DAY), makeOffers(far, 1, () => 1_000));
      const round = uniqueQuery({ origin: "MAD", destination: "LIM", currency: "EUR", departureDate: departure, returnDate: addDays(departure, 7) });
      await recordSearch(db(), round, new Date(Date.now() - DAY), makeOffers(round, 1, () => 1_000));
      const usd = uniqueQuery({ origin: "MAD", destination: "LIM", currency: "USD", departureDate: departure });
      await recordSearch(db(), usd, new Date(Date.now() - DAY), makeOffers(usd, 1, () => 1_000));
      await refreshContinuousAggregates(db());

      const { stats, samples, days } = await priceStats(db(), { ...route, departureDate: addDays(departure, 2), roundTrip: false });
      expect(samples).toBe(30);
      expect(days).toBe(10);
      expect(stats).toMatchObject({ p25Minor: 12_250, medianMinor: 14_500, p75Minor: 16_750, currency: "EUR", windowDays: 3 });
      // Four days away is outside the window.
      expect((await priceStats(db(), { ...route, departureDate: addDays(departure, 4), roundTrip: false })).stats).toBeNull();
      expect((await priceStats(db(), { ...route, departureDate: departure, roundTrip: true })).samples).toBe(1);
    });

    it("gives the cheapest one-way price seen per departure date", async () => {
      const from = addDays(today(), 5);
      for (const [offset, prices] of [[0, [30_000, 28_000]], [2, [41_000]]] as const) {
        for (const [n, price] of prices.entries()) {
          const query = uniqueQuery({ origin: "BCN", destination: "FCO", currency: "EUR", departureDate: addDays(from, offset) });
          await recordSearch(db(), query, new Date(Date.now() - (n + 1) * DAY), makeOffers(query, 2, (i) => price + i * 100));
        }
      }
      const before = uniqueQuery({ origin: "BCN", destination: "FCO", currency: "EUR", departureDate: addDays(from, -1) });
      await recordSearch(db(), before, new Date(), makeOffers(before, 1, () => 100));
      await refreshContinuousAggregates(db());
      const cells = await dateGrid(db(), { origins: ["BCN"], destinations: ["FCO"], currency: "EUR", cabin: "economy", from, days: 30 });
      expect(cells.map(({ departureDate, minMinor, samples }) => ({ departureDate, minMinor, samples }))).toEqual([
        { departureDate: from, minMinor: 28_000, samples: 4 },
        { departureDate: addDays(from, 2), minMinor: 41_000, samples: 2 },
      ]);
      expect(cells[0]!.lastObserved).toBe(new Date(Date.now() - DAY).toISOString().slice(0, 10));
    });
  },
  { seed: true },
);
