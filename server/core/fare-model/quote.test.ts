import { beforeAll, describe, expect, it } from "vitest";
import { buildReferenceData } from "@/db/seed/reference-data";
import { providerQuery } from "@/test/fixtures";
import { totalStops } from "@/server/core/offer";
import { addDays } from "@/server/core/time";
import { LOW_COST } from "./carriers";
import { distanceKm } from "./geo";
import { buildReference, type Reference as Market } from "@/server/core/reference";
import { quote, SIMULATED_SOURCES, type QuoteRequest } from "./index";
import { leadFactor } from "./pricing";

let market: Market;
beforeAll(async () => {
  const data = await buildReferenceData();
  market = buildReference(data.airports, data.airlines);
});

const [skyway, farefinder] = SIMULATED_SOURCES as [(typeof SIMULATED_SOURCES)[0], (typeof SIMULATED_SOURCES)[0]];
const observedAt = new Date("2026-11-22T12:00:00Z");
const inDays = (days: number) => addDays("2026-11-22", days);
const request = (overrides: Partial<QuoteRequest> = {}): QuoteRequest => providerQuery({ departureDate: inDays(45), ...overrides });
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const medianPrice = (offers: { pricePerAdult: { amountMinor: number } }[]) => median(offers.map((o) => o.pricePerAdult.amountMinor));

describe("the simulated market", () => {
  it("offers London to New York nonstop on the transatlantic carriers, and connections, at believable prices", () => {
    const offers = quote(market, request(), skyway, observedAt);
    expect(offers.length).toBeGreaterThanOrEqual(10);
    const nonstops = offers.filter((o) => totalStops(o) === 0);
    const carriers = new Set(nonstops.map((o) => o.slices[0]!.segments[0]!.carrier));
    expect([...carriers].filter((c) => ["BA", "VS", "AA", "DL", "B6", "UA"].includes(c)).length).toBeGreaterThanOrEqual(2);
    for (const offer of nonstops) {
      const slice = offer.slices[0]!;
      // Westbound against the jet stream: about 7.5 to 8.5 hours.
      expect(slice.durationMinutes).toBeGreaterThanOrEqual(430);
      expect(slice.durationMinutes).toBeLessThanOrEqual(510);
      expect(slice.departureLocal).toMatch(/T\d\d:\d\d:00\+00:00$/);
      expect(slice.arrivalLocal).toMatch(/-05:00$/);
      expect(offer.pricePerAdult.amountMinor).toBeGreaterThan(150_00);
      expect(offer.pricePerAdult.amountMinor).toBeLessThan(1_200_00);
      expect(offer.simulated).toBe(true);
      expect(offer.deepLink).toMatch(/^https:\/\/skyway\.example\.com\/book\?/);
    }
    expect(offers.some((o) => totalStops(o) === 1)).toBe(true);
  });

  it("flies eastbound faster than westbound", () => {
    const west = quote(market, request(), skyway, observedAt).filter((o) => totalStops(o) === 0);
    const east = quote(market, request({ origins: ["JFK"], destinations: ["LHR"] }), skyway, observedAt).filter((o) => totalStops(o) === 0);
    expect(median(east.map((o) => o.slices[0]!.durationMinutes))).toBeLessThan(median(west.map((o) => o.slices[0]!.durationMinutes)));
  });

  it("gives the same offers for the same inputs and observation time", () => {
    expect(quote(market, request(), skyway, new Date(observedAt))).toEqual(quote(market, request(), skyway, observedAt));
  });

  it("moves prices as time passes: small moves within hours, larger ones over days", () => {
    const now = quote(market, request(), skyway, observedAt);
    const byKey = (offers: typeof now) => new Map(offers.map((o) => [o.itineraryKey, o.price.amountMinor]));
    const base = byKey(now);
    const change = (later: Date) => {
      const moved = [...byKey(quote(market, request(), skyway, later))].filter(([key]) => base.has(key));
      return moved.map(([key, price]) => Math.abs(price / base.get(key)! - 1));
    };
    const hours = change(new Date(observedAt.getTime() + 3 * 3_600_000));
    const days = change(new Date(observedAt.getTime() + 9 * 86_400_000));
    expect(hours.some((c) => c > 0)).toBe(true);
    expect(median(hours)).toBeLessThan(0.05);
    expect(median(days)).toBeGreaterThan(median(hours));
  });

  it("has two sellers that share part of the inventory at different prices", () => {
    const a = quote(market, request(), skyway, observedAt);
    const b = quote(market, request(), farefinder, observedAt);
    const shared = b.filter((o) => a.some((x) => x.itineraryKey === o.itineraryKey));
    expect(shared.length).toBeGreaterThan(0);
    expect(b.length).toBeLessThan(a.length);
    expect(shared.some((o) => a.find((x) => x.itineraryKey === o.itineraryKey)!.price.amountMinor !== o.price.amountMinor)).toBe(true);
    expect(new Set(b.map((o) => o.provider))).toEqual(new Set(["farefinder"]));
  });

  it("prices cabins in order, and sells only economy on low-cost carriers", () => {
    const cabins = (["economy", "premium_economy", "business", "first"] as const).map((cabin) =>
      medianPrice(quote(market, request({ cabin }), skyway, observedAt)),
    );
    expect(cabins[1]!).toBeGreaterThan(cabins[0]! * 1.3);
    expect(cabins[2]!).toBeGreaterThan(cabins[1]! * 1.5);
    expect(cabins[3]!).toBeGreaterThan(cabins[2]! * 1.3);
    const shortHaulBusiness = quote(market, request({ origins: ["LGW"], destinations: ["BCN"], cabin: "business" }), skyway, observedAt);
    expect(shortHaulBusiness.every((o) => !LOW_COST.has(o.slices[0]!.segments[0]!.carrier))).toBe(true);
    const shortHaulEconomy = quote(market, request({ origins: ["LGW"], destinations: ["BCN"] }), skyway, observedAt);
    expect(shortHaulEconomy.some((o) => LOW_COST.has(o.slices[0]!.segments[0]!.carrier))).toBe(true);
    expect(quote(market, request({ origins: ["LGW"], destinations: ["BCN"], cabin: "first" }), skyway, observedAt)).toEqual([]);
  });

  it("is dearest in the last days before departure and cheapest weeks to months out", () => {
    expect(leadFactor(1)).toBeGreaterThan(leadFactor(10));
    expect(leadFactor(10)).toBeGreaterThan(leadFactor(50));
    expect(leadFactor(300)).toBeGreaterThan(leadFactor(50));
    const close = medianPrice(quote(market, request({ departureDate: inDays(3) }), skyway, observedAt));
    const ahead = medianPrice(quote(market, request({ departureDate: inDays(52) }), skyway, observedAt));
    expect(close).toBeGreaterThan(ahead * 1.3);
  });

  it("charges children 75% and lap infants 10% of the adult fare", () => {
    const solo = quote(market, request(), skyway, observedAt);
    const family = quote(market, request({ adults: 2, children: 1, infants: 1 }), skyway, observedAt);
    const offer = family[0]!;
    const adult = offer.pricePerAdult.amountMinor;
    const single = solo.find((o) => o.itineraryKey === offer.itineraryKey)!;
    expect(single.pricePerAdult.amountMinor).toBe(adult);
    expect(offer.price.amountMinor).toBe(2 * adult + Math.round((adult * 0.75) / 100) * 100 + Math.round((adult * 0.1) / 100) * 100);
  });

  it("connects small airports through hubs on the great-circle path", () => {
    const offers = quote(market, request({ origins: ["INV"], destinations: ["BOS"] }), skyway, observedAt);
    expect(offers.length).toBeGreaterThan(0);
    expect(offers.every((o) => totalStops(o) >= 1)).toBe(true);
    for (const offer of offers) {
      const [first, second] = offer.slices[0]!.segments;
      expect(Date.parse(second!.departureAt) - Date.parse(first!.arrivalAt)).toBeGreaterThanOrEqual(55 * 60_000);
      const via = market.airports.get(first!.destination)!;
      const detour =
        (distanceKm(market.airports.get("INV")!, via) + distanceKm(via, market.airports.get("BOS")!)) /
        distanceKm(market.airports.get("INV")!, market.airports.get("BOS")!);
      expect(detour).toBeLessThan(1.3);
    }
  });

  it("builds round trips on one carrier, the return after the outbound lands", () => {
    const offers = quote(market, request({ returnDate: inDays(52) }), skyway, observedAt);
    expect(offers.length).toBeGreaterThan(10);
    for (const offer of offers) {
      expect(offer.slices).toHaveLength(2);
      const [out, back] = offer.slices as [(typeof offer.slices)[0], (typeof offer.slices)[0]];
      expect(back.segments[0]!.carrier).toBe(out.segments[0]!.carrier);
      expect([out.origin, out.destination]).toEqual([back.destination, back.origin]);
      expect(Date.parse(back.departureAt)).toBeGreaterThan(Date.parse(out.arrivalAt));
    }
  });

  it("searches every airport of a metro code", () => {
    const offers = quote(market, request({ origins: ["LHR", "LGW", "STN", "LCY"], destinations: ["JFK", "EWR", "LGA"] }), skyway, observedAt);
    expect(new Set(offers.map((o) => o.slices[0]!.origin)).size).toBeGreaterThanOrEqual(2);
    expect(new Set(offers.map((o) => o.slices[0]!.destination)).size).toBeGreaterThanOrEqual(2);
  });

  it("has nothing between airports too close to fly, and nothing departing within two hours", () => {
    expect(quote(market, request({ origins: ["LHR"], destinations: ["LGW"] }), skyway, observedAt)).toEqual([]);
    const today = quote(market, request({ departureDate: "2026-11-22" }), skyway, observedAt);
    expect(today.every((o) => Date.parse(o.slices[0]!.departureAt) > observedAt.getTime() + 2 * 3_600_000)).toBe(true);
  });

  it("quotes in the requested currency, in whole units", () => {
    const yen = quote(market, request({ currency: "JPY" }), skyway, observedAt);
    expect(yen[0]!.price.currency).toBe("JPY");
    expect(yen.every((o) => o.pricePerAdult.amountMinor % 100 === 0)).toBe(true);
    const euros = quote(market, request({ currency: "EUR" }), skyway, observedAt);
    expect(euros.every((o) => o.pricePerAdult.amountMinor % 100 === 0)).toBe(true);
  });
});
