import { totalStops, type Offer } from "@/server/core/offer";
import { addDays, weekday } from "@/server/core/time";
import type { Reference as Market } from "@/server/core/reference";
import { quote, type QuoteRequest } from "./quote";
import { SIMULATED_SOURCES } from "./sources";

/**
 * The simulated market measured as a user of the API would see it: both simulated sellers asked,
 * the cheapest offer kept, economy, one adult, one way. Three published facts (Google Flights'
 * booking data) that the market is calibrated to reproduce, each over a sample of routes and
 * dates; `npm run market:report` prints them, and a test pins them on a fixed sample.
 *  1. Across routes, the cheapest nonstop is on average about 25% dearer than the cheapest
 *     connection.
 *  2. Domestic fares are cheapest about 38 days before departure, within 21 to 52 days.
 *  3. Departures from Monday to Wednesday are about 13% cheaper than the rest of the week.
 */

const sellers = SIMULATED_SOURCES;

/** Every offer for a one-way economy search of one adult, from every simulated seller. */
export function marketOffers(market: Market, origin: string, destination: string, departureDate: string, observedAt: Date): Offer[] {
  const request: QuoteRequest = {
    origins: [origin],
    destinations: [destination],
    departureDate,
    returnDate: null,
    cabin: "economy",
    adults: 1,
    children: 0,
    infants: 0,
    currency: "EUR",
  };
  return sellers.flatMap((seller) => quote(market, request, seller, observedAt));
}

const cheapest = (offers: Offer[]): number | null => (offers.length ? Math.min(...offers.map((o) => o.pricePerAdult.amountMinor)) : null);
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)]! : Number.NaN;
};

/** An observation at noon UTC, `days` before a departure date. */
export function observedBefore(departureDate: string, days: number): Date {
  return new Date(`${addDays(departureDate, -days)}T12:00:00Z`);
}

export interface NonstopPremium {
  /** Route and date pairs sampled, and those with both a nonstop and a connection. */
  sampled: number;
  compared: number;
  /** Cheapest nonstop over cheapest connection, minus one, in percent: mean and median. */
  meanPct: number;
  medianPct: number;
  /** Share of compared pairs where the nonstop is the cheaper (low-cost carriers, mostly). */
  nonstopCheaperShare: number;
  /** Each route's mean premium, in percent. */
  perRoute: { route: string; pct: number }[];
}

/** Fact 1, over routes and departure dates, each searched `leadDays` ahead. */
export function nonstopPremium(market: Market, routes: [string, string][], dates: string[], leadDays = 30): NonstopPremium {
  const premiums: number[] = [];
  const perRoute: { route: string; pct: number }[] = [];
  for (const [origin, destination] of routes) {
    const routePremiums: number[] = [];
    for (const date of dates) {
      const offers = marketOffers(market, origin, destination, date, observedBefore(date, leadDays));
      const nonstop = cheapest(offers.filter((o) => totalStops(o) === 0));
      const connection = cheapest(offers.filter((o) => totalStops(o) > 0));
      if (nonstop === null || connection === null) continue;
      routePremiums.push((nonstop / connection - 1) * 100);
    }
    premiums.push(...routePremiums);
    if (routePremiums.length) perRoute.push({ route: `${origin}-${destination}`, pct: mean(routePremiums) });
  }
  return {
    sampled: routes.length * dates.length,
    compared: premiums.length,
    meanPct: mean(premiums),
    medianPct: median(premiums),
    nonstopCheaperShare: premiums.filter((p) => p < 0).length / Math.max(1, premiums.length),
    perRoute,
  };
}

export interface BookingWindow {
  samples: number;
  /** The lead (days before departure) at which the average price over all samples is lowest. */
  cheapestLeadOfMean: number;
  /** Each sample's own cheapest lead: median, and the share within 21 to 52 days. */
  medianCheapestLead: number;
  shareWithin21To52: number;
  /** Average price index (1 = the sample's own mean) by lead, for the curve. */
  indexByLead: { lead: number; index: number }[];
}

/** Fact 2: each route and departure date searched every day from `maxLead` days out to the day before. */
export function bookingWindow(market: Market, routes: [string, string][], departureDates: string[], maxLead = 120): BookingWindow {
  const leads = Array.from({ length: maxLead }, (_, i) => i + 1);
  const sums = new Array<number>(maxLead).fill(0);
  const bestLeads: number[] = [];
  let samples = 0;
  for (const [origin, destination] of routes) {
    for (const date of departureDates) {
      const prices = leads.map((lead) => cheapest(marketOffers(market, origin, destination, date, observedBefore(date, lead))));
      if (prices.some((p) => p === null)) continue;
      const values = prices as number[];
      const average = mean(values);
      values.forEach((price, i) => (sums[i]! += price / average));
      bestLeads.push(leads[values.indexOf(Math.min(...values))]!);
      samples++;
    }
  }
  const indexByLead = leads.map((lead, i) => ({ lead, index: sums[i]! / Math.max(1, samples) }));
  const lowest = indexByLead.reduce((best, point) => (point.index < best.index ? point : best));
  return {
    samples,
    cheapestLeadOfMean: lowest.lead,
    medianCheapestLead: median(bestLeads),
    shareWithin21To52: bestLeads.filter((lead) => lead >= 21 && lead <= 52).length / Math.max(1, bestLeads.length),
    indexByLead,
  };
}

export interface WeekdayEffect {
  /** Route and week pairs compared. */
  weeks: number;
  /** Mean price of Monday to Wednesday departures against Thursday to Sunday ones, minus one, in percent. */
  midweekPct: number;
  /** Mean price index by weekday of departure, Sunday first. */
  indexByWeekday: number[];
}

/** Fact 3: every departure of `weeks` weeks from `firstDate`, each searched `leadDays` ahead. */
export function weekdayEffect(market: Market, routes: [string, string][], firstDate: string, weeks: number, leadDays = 40): WeekdayEffect {
  const ratios: number[] = [];
  const byDay = Array.from({ length: 7 }, (): number[] => []);
  for (const [origin, destination] of routes) {
    for (let week = 0; week < weeks; week++) {
      const early: number[] = [];
      const late: number[] = [];
      const days: [number, number][] = [];
      for (let d = 0; d < 7; d++) {
        const date = addDays(firstDate, week * 7 + d);
        const price = cheapest(marketOffers(market, origin, destination, date, observedBefore(date, leadDays)));
        if (price === null) continue;
        const day = weekday(date);
        (day >= 1 && day <= 3 ? early : late).push(price);
        days.push([day, price]);
      }
      if (!early.length || !late.length) continue;
      ratios.push(mean(early) / mean(late));
      const average = mean(days.map(([, p]) => p));
      for (const [day, price] of days) byDay[day]!.push(price / average);
    }
  }
  return { weeks: ratios.length, midweekPct: (mean(ratios) - 1) * 100, indexByWeekday: byDay.map(mean) };
}

export interface DomesticConnections {
  connections: number;
  /** Connections of domestic trips through a hub in another country, and which. */
  viaForeignHub: number;
  foreignHubs: string[];
}

/** Connections of domestic trips should stay in the country (no US trip via Toronto). */
export function domesticConnections(market: Market, routes: [string, string][], dates: string[]): DomesticConnections {
  let connections = 0;
  let viaForeignHub = 0;
  const foreignHubs = new Set<string>();
  for (const [origin, destination] of routes) {
    const country = market.airports.get(origin)!.countryCode;
    for (const date of dates) {
      for (const offer of marketOffers(market, origin, destination, date, observedBefore(date, 30))) {
        const stops = offer.slices[0]!.segments.slice(1).map((s) => s.origin);
        if (!stops.length) continue;
        connections++;
        const foreign = stops.filter((code) => market.airports.get(code)!.countryCode !== country);
        if (foreign.length) {
          viaForeignHub++;
          foreign.forEach((code) => foreignHubs.add(`${origin}-${destination} via ${code}`));
        }
      }
    }
  }
  return { connections, viaForeignHub, foreignHubs: [...foreignHubs] };
}

/** The sample the report and the test use: routes chosen across regions, fixed dates. */
export const CALIBRATION_SAMPLE = {
  /** Routes with both nonstops and connections in the real market, short and long haul. */
  mixedRoutes: [
    ["LHR", "JFK"], ["CDG", "JFK"], ["FRA", "ORD"], ["AMS", "SFO"], ["LHR", "DXB"], ["LHR", "SIN"], ["CDG", "NRT"],
    ["JFK", "LAX"], ["BOS", "SFO"], ["ORD", "LAX"], ["SEA", "MIA"], ["ATL", "SEA"], ["DEN", "JFK"], ["YYZ", "YVR"],
    ["MAD", "MEX"], ["GRU", "LIS"], ["SYD", "SIN"], ["HND", "SIN"], ["ICN", "BKK"], ["DEL", "DXB"], ["JNB", "LHR"],
    ["MAN", "JFK"], ["BCN", "LHR"], ["DUB", "BOS"], ["FCO", "JFK"], ["MUC", "LIS"], ["CPH", "BCN"], ["ARN", "ATH"],
    ["IST", "LHR"], ["DOH", "BOM"], ["SYD", "LAX"], ["MEL", "PER"], ["BNE", "PER"], ["DEL", "BLR"], ["MEX", "CUN"],
  ] as [string, string][],
  /** Domestic routes (both ends in one country). */
  domesticRoutes: [
    ["JFK", "LAX"], ["ORD", "MIA"], ["ATL", "DEN"], ["SEA", "SFO"], ["BOS", "ORD"], ["DFW", "LAS"], ["YYZ", "YVR"],
    ["SYD", "MEL"], ["DEL", "BOM"], ["MAD", "BCN"], ["HND", "CTS"], ["GRU", "SSA"],
  ] as [string, string][],
  /** Departure dates spread over a year, for facts 1 and 2. */
  dates: ["2027-01-20", "2027-03-10", "2027-05-05", "2027-06-16", "2027-09-22", "2027-11-10"],
  /** Fact 3: weeks of departures from this Sunday. */
  firstSunday: "2027-02-07",
  weeks: 8,
};
