import { describe, expect, it } from "vitest";
import { makeOffer } from "@/test/offers";
import { applyFilters, bestScore, mergeOffers, rankOffers } from "./aggregate";
import { InvalidCursorError, paginate, resultFingerprint } from "./pagination";
import { itineraryKey } from "./itinerary-key";
import { totalDuration } from "./offer";

describe("itineraryKey", () => {
  it("is the same for the same flights whoever sells them, and differs otherwise", () => {
    const a = makeOffer({ provider: "a", price: 100 });
    const b = makeOffer({ provider: "b", price: 90 });
    expect(a.itineraryKey).toBe(b.itineraryKey);
    expect(makeOffer({ number: 1 }).itineraryKey).not.toBe(a.itineraryKey);
    expect(makeOffer({ departure: "2027-01-15T10:00:00Z" }).itineraryKey).not.toBe(a.itineraryKey);
    expect(itineraryKey(a.slices)).toBe(a.itineraryKey);
  });
});

describe("mergeOffers", () => {
  it("keeps the cheapest price of an itinerary and lists every provider's, cheapest first", () => {
    const merged = mergeOffers([
      makeOffer({ provider: "direct", price: 45_000 }),
      makeOffer({ provider: "agency", price: 43_900 }),
      makeOffer({ provider: "meta", price: 47_000 }),
      makeOffer({ provider: "direct", price: 30_000, number: 2 }),
    ]);
    expect(merged).toHaveLength(2);
    const shared = merged.find((o) => o.sources.length === 3)!;
    expect(shared.price.amountMinor).toBe(43_900);
    expect(shared.provider).toBe("agency");
    expect(shared.deepLink).toBe("https://agency.test/x");
    expect(shared.sources.map((s) => [s.provider, s.price.amountMinor])).toEqual([
      ["agency", 43_900],
      ["direct", 45_000],
      ["meta", 47_000],
    ]);
  });

  it("keeps the same flights in different cabins apart, and a provider's cheaper repeat once", () => {
    const merged = mergeOffers([
      makeOffer({ cabin: "economy", price: 40_000 }),
      makeOffer({ cabin: "business", price: 190_000 }),
      makeOffer({ cabin: "economy", price: 38_000 }),
    ]);
    expect(merged.map((o) => [o.cabin, o.price.amountMinor, o.sources.length])).toEqual([
      ["economy", 38_000, 1],
      ["business", 190_000, 1],
    ]);
  });

  it("refuses to compare prices in different currencies", () => {
    expect(() => mergeOffers([makeOffer({ currency: "GBP" }), makeOffer({ currency: "EUR" })])).toThrow(/one currency/);
  });
});

describe("rankOffers", () => {
  const nonstopDear = makeOffer({ price: 45_000, carriers: ["BA"], flightMinutes: 480, number: 1 });
  const oneStopCheap = makeOffer({ price: 40_000, carriers: ["EI", "EI"], flightMinutes: 300, layoverMinutes: 120, number: 2 });
  const twoStopCheapest = makeOffer({ price: 30_000, carriers: ["FI", "FI", "FI"], flightMinutes: 240, layoverMinutes: 300, number: 3 });
  const nonstopFast = makeOffer({ price: 90_000, carriers: ["VS"], flightMinutes: 430, number: 4 });
  const all = [twoStopCheapest, nonstopFast, oneStopCheap, nonstopDear];

  it("sorts by price, then duration, for cheapest", () => {
    expect(rankOffers(all, "cheapest")).toEqual([twoStopCheapest, oneStopCheap, nonstopDear, nonstopFast]);
  });

  it("sorts by total duration, then price, for fastest", () => {
    expect(rankOffers(all, "fastest")).toEqual([nonstopFast, nonstopDear, oneStopCheap, twoStopCheapest]);
  });

  it("blends price, duration and stops for best", () => {
    const ranked = rankOffers(all, "best");
    expect(ranked[0]).toBe(nonstopDear);
    // A cheap itinerary that takes more than twice as long comes after a modestly dearer nonstop.
    expect(ranked.indexOf(twoStopCheapest)).toBeGreaterThan(ranked.indexOf(nonstopDear));
    const cheapest = 30_000;
    const shortest = totalDuration(nonstopFast);
    expect(bestScore(nonstopDear, cheapest, shortest)).toBeCloseTo(45_000 / 30_000 + 0.75 * (480 / 430 - 1), 6);
  });

  it("is stable: equal offers keep an order defined by departure time", () => {
    const early = makeOffer({ departure: "2027-01-15T08:00:00Z", number: 5 });
    const late = makeOffer({ departure: "2027-01-15T18:00:00Z", number: 6 });
    expect(rankOffers([late, early], "cheapest")).toEqual([early, late]);
    expect(rankOffers([], "best")).toEqual([]);
  });
});

describe("applyFilters", () => {
  const nonstop = makeOffer({ carriers: ["BA"], departure: "2027-01-15T08:00:00Z", price: 50_000, number: 1 });
  const oneStop = makeOffer({ carriers: ["EI", "AA"], departure: "2027-01-15T14:00:00Z", price: 35_000, number: 2 });
  const late = makeOffer({ carriers: ["VS"], departure: "2027-01-15T21:30:00Z", flightMinutes: 600, price: 42_000, number: 3 });
  const all = [nonstop, oneStop, late];

  it.each([
    [{ maxStops: 0 }, [nonstop, late]],
    [{ maxStops: 1 }, all],
    [{ airlines: ["BA", "VS"] }, [nonstop, late]],
    [{ airlines: ["EI"] }, []],
    [{ airlines: ["EI", "AA"] }, [oneStop]],
    [{ excludeAirlines: ["AA"] }, [nonstop, late]],
    [{ departAfter: "09:00" }, [oneStop, late]],
    [{ departBefore: "14:00" }, [nonstop, oneStop]],
    [{ departAfter: "08:00", departBefore: "08:00" }, [nonstop]],
    // Arrivals compare by time of day: oneStop lands at 05:30 and late at 07:30 the next morning.
    [{ arriveBefore: "07:00" }, [oneStop]],
    [{ arriveAfter: "07:00" }, [nonstop, late]],
    [{ arriveAfter: "07:00", arriveBefore: "12:00" }, [late]],
    [{ maxDurationMinutes: 500 }, [nonstop]],
    [{ maxPriceMinor: 42_000 }, [oneStop, late]],
    [{ maxStops: 0, maxPriceMinor: 45_000 }, [late]],
    [{}, all],
  ])("%j", (filters, expected) => {
    expect(applyFilters(all, filters)).toEqual(expected);
  });
});

describe("paginate", () => {
  const items = Array.from({ length: 25 }, (_, i) => i);
  const fingerprint = resultFingerprint({ q: "LHR-JFK", sort: "best" });

  it("walks the list page by page with opaque cursors", () => {
    const first = paginate(items, { limit: 10, fingerprint });
    expect(first).toMatchObject({ items: items.slice(0, 10), total: 25 });
    const second = paginate(items, { limit: 10, fingerprint, cursor: first.nextCursor });
    expect(second.items).toEqual(items.slice(10, 20));
    const third = paginate(items, { limit: 10, fingerprint, cursor: second.nextCursor });
    expect(third).toEqual({ items: items.slice(20), nextCursor: null, total: 25 });
  });

  it("refuses a cursor from another search, sort or filter, and a forged one", () => {
    const first = paginate(items, { limit: 10, fingerprint });
    const other = resultFingerprint({ q: "LHR-JFK", sort: "cheapest" });
    expect(() => paginate(items, { limit: 10, fingerprint: other, cursor: first.nextCursor })).toThrow(InvalidCursorError);
    for (const cursor of ["nonsense", "e30", Buffer.from('{"o":-5,"f":"x"}').toString("base64url"), "%%%"]) {
      expect(() => paginate(items, { limit: 10, fingerprint, cursor })).toThrow(InvalidCursorError);
    }
  });
});
