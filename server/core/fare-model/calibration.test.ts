import { beforeAll, describe, expect, it } from "vitest";
import { buildReferenceData } from "@/db/seed/reference-data";
import { buildReference, type Reference as Market } from "@/server/core/reference";
import { bookingWindow, CALIBRATION_SAMPLE, domesticConnections, nonstopPremium, weekdayEffect } from "./calibration";

// The three published facts the simulated market is calibrated to (README, "Calibration"), on
// the fixed sample `npm run market:report` prints: deterministic, so these are exact inputs.
let market: Market;
beforeAll(async () => {
  const data = await buildReferenceData();
  market = buildReference(data.airports, data.airlines, data.metros);
});
const sample = CALIBRATION_SAMPLE;

describe("the simulated market, sampled as a user of the API would", () => {
  it("prices the cheapest nonstop about 25% above the cheapest connection, while low-cost nonstops still undercut on some routes", () => {
    const premium = nonstopPremium(market, sample.mixedRoutes, sample.dates);
    expect(premium.compared).toBeGreaterThanOrEqual(150);
    expect(premium.meanPct).toBeGreaterThan(18);
    expect(premium.meanPct).toBeLessThan(32);
    expect(premium.medianPct).toBeGreaterThan(10);
    expect(premium.nonstopCheaperShare).toBeGreaterThan(0.05);
    expect(premium.nonstopCheaperShare).toBeLessThan(0.4);
  });

  it("makes domestic fares cheapest about 38 days out, within 21 to 52 days", () => {
    const window = bookingWindow(market, sample.domesticRoutes, sample.dates);
    expect(window.samples).toBeGreaterThanOrEqual(60);
    expect(window.cheapestLeadOfMean).toBeGreaterThanOrEqual(32);
    expect(window.cheapestLeadOfMean).toBeLessThanOrEqual(44);
    expect(window.medianCheapestLead).toBeGreaterThanOrEqual(21);
    expect(window.medianCheapestLead).toBeLessThanOrEqual(52);
    expect(window.shareWithin21To52).toBeGreaterThan(0.6);
    // Dearest in the last week, and dearer far ahead than at the bottom.
    const at = (lead: number) => window.indexByLead[lead - 1]!.index;
    expect(at(3)).toBeGreaterThan(at(38) * 1.4);
    expect(at(110)).toBeGreaterThan(at(38) * 1.05);
  });

  it("makes Monday to Wednesday departures about 13% cheaper than the rest of the week", () => {
    const week = weekdayEffect(market, [...sample.mixedRoutes, ...sample.domesticRoutes], sample.firstSunday, sample.weeks);
    expect(week.weeks).toBeGreaterThanOrEqual(300);
    expect(week.midweekPct).toBeGreaterThan(-17);
    expect(week.midweekPct).toBeLessThan(-9);
    // Friday and Sunday are the dearest days, Tuesday or Wednesday the cheapest.
    const order = week.indexByWeekday.map((index, day) => ({ index, day })).sort((a, b) => a.index - b.index);
    expect([2, 3]).toContain(order[0]!.day);
    expect(order.slice(-2).map((d) => d.day).sort()).toEqual([0, 5]);
  });

  it("connects domestic trips through hubs of their own country", () => {
    const domestic = domesticConnections(market, sample.domesticRoutes, sample.dates);
    expect(domestic.connections).toBeGreaterThan(100);
    expect(domestic.foreignHubs).toEqual([]);
  });
});
