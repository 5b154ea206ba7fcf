import { weekday, zonedToUtc } from "@/server/core/time";
import { HUBS, LOW_COST, PAN_EUROPEAN_LOW_COST, PREMIUM } from "./carriers";
import { blockMinutes, distanceKm } from "./geo";
import { hash32, unit } from "./hash";
// The simulated market's world is the app's reference data.
import type { Reference as Market, ReferenceAirport as MarketAirport } from "@/server/core/reference";

/** A way to fly a route: one carrier along a path of airports (2 = nonstop, 3 = one stop, ...). */
export interface RouteOption {
  carrier: string;
  path: string[];
}

export interface ScheduledFlight {
  carrier: string;
  flightNumber: string;
  origin: string;
  destination: string;
  departureAt: Date;
  arrivalAt: Date;
  minutes: number;
}

export interface Itinerary {
  carrier: string;
  flights: ScheduledFlight[];
}

const MIN_ROUTE_KM = 100;

/** Longest nonstop that a pair of airports of these sizes plausibly sees, in km. */
function nonstopRangeKm(a: MarketAirport, b: MarketAirport): number {
  const [big, small] = a.sizeRank <= b.sizeRank ? [a.sizeRank, b.sizeRank] : [b.sizeRank, a.sizeRank];
  if (small === 0) return 16_500;
  if (small === 1) return big === 0 ? 4_500 : 3_000;
  if (small === 2) return big <= 1 ? 1_300 : 600;
  return 400;
}

export function nonstopPlausible(a: MarketAirport, b: MarketAirport): boolean {
  const km = distanceKm(a, b);
  return km >= MIN_ROUTE_KM && km <= nonstopRangeKm(a, b);
}

function knownCarrier(code: string): boolean {
  return LOW_COST.has(code) || PREMIUM.has(code) || Object.values(HUBS).some((carriers) => carriers.includes(code));
}

/** The airlines a country's travellers would expect: the well-known ones, else two of the country's own. */
function homeCarriers(market: Market, countryCode: string): string[] {
  const national = [...market.airlines.values()].filter((a) => a.countryCode === countryCode);
  const known = national.filter((a) => knownCarrier(a.code)).map((a) => a.code);
  if (known.length > 0) return known;
  return national
    .map((a) => a.code)
    .sort((x, y) => hash32(countryCode, x) - hash32(countryCode, y))
    .slice(0, 2);
}

function hubCarriers(market: Market, code: string): string[] {
  return (HUBS[code] ?? []).filter((carrier) => market.airlines.has(carrier));
}

/**
 * Carriers that fly a pair nonstop. Hub carriers at either end are most likely to; then the
 * countries' own airlines; within Europe, the pan-European low-cost carriers. Each candidate
 * flies the route or not by a fixed draw, likelier between bigger airports.
 */
function nonstopCarriers(market: Market, a: MarketAirport, b: MarketAirport): string[] {
  const km = distanceKm(a, b);
  const size = Math.max(a.sizeRank, b.sizeRank);
  const odds = (base: number) => base * [1, 0.6, 0.3, 0.2][size]!;
  const candidates = new Map<string, number>();
  const consider = (carrier: string, probability: number) => {
    if (LOW_COST.has(carrier) && km > 4_500) return;
    candidates.set(carrier, Math.max(candidates.get(carrier) ?? 0, probability));
  };
  for (const carrier of [...hubCarriers(market, a.code), ...hubCarriers(market, b.code)]) consider(carrier, odds(0.9));
  for (const carrier of [...homeCarriers(market, a.countryCode), ...homeCarriers(market, b.countryCode)]) consider(carrier, odds(0.55));
  if (a.continent === "EU" && b.continent === "EU" && km < 3_500) {
    for (const carrier of PAN_EUROPEAN_LOW_COST) if (market.airlines.has(carrier)) consider(carrier, odds(0.45));
  }
  const [first, second] = a.code < b.code ? [a.code, b.code] : [b.code, a.code];
  const flying = [...candidates]
    .filter(([carrier, probability]) => unit("nonstop", first, second, carrier) < probability)
    .map(([carrier]) => carrier)
    .sort((x, y) => hash32(first, second, x) - hash32(first, second, y));
  // A pair this plausible has at least one airline flying it.
  if (flying.length === 0 && size <= 1 && candidates.size > 0) {
    flying.push([...candidates.keys()].sort((x, y) => hash32(first, second, x) - hash32(first, second, y))[0]!);
  }
  return flying.slice(0, 5);
}

/**
 * Every way to fly from `a` to `b`: nonstops where plausible, one stop via hubs near the
 * great-circle path (at most 30% longer, 60% for short routes), and two stops, via a hub
 * near each end, where nothing shorter exists.
 */
export function routeOptions(market: Market, a: MarketAirport, b: MarketAirport): RouteOption[] {
  const direct = distanceKm(a, b);
  if (direct < MIN_ROUTE_KM) return [];
  const options: RouteOption[] = [];
  if (nonstopPlausible(a, b)) {
    for (const carrier of nonstopCarriers(market, a, b)) options.push({ carrier, path: [a.code, b.code] });
  }

  // A domestic trip connects at home: no US trip via Toronto, no Indian one via Dubai.
  const domestic = a.countryCode === b.countryCode;
  const hubs = Object.keys(HUBS)
    .map((code) => market.airports.get(code))
    .filter((hub): hub is MarketAirport => hub !== undefined && hub.code !== a.code && hub.code !== b.code)
    .filter((hub) => !domestic || hub.countryCode === a.countryCode);
  const maxDetour = direct < 1_500 ? 1.6 : 1.3;
  const viaOne = hubs
    .map((hub) => ({ hub, detour: (distanceKm(a, hub) + distanceKm(hub, b)) / direct }))
    .filter(({ hub, detour }) => detour <= maxDetour && nonstopPlausible(a, hub) && nonstopPlausible(hub, b))
    .sort((x, y) => x.detour - y.detour)
    .slice(0, 4);
  for (const { hub } of viaOne) {
    const [carrier] = hubCarriers(market, hub.code);
    if (carrier) options.push({ carrier, path: [a.code, hub.code, b.code] });
  }

  if (options.length < 2) {
    const near = (end: MarketAirport) =>
      hubs
        .filter((hub) => nonstopPlausible(end, hub))
        .sort((x, y) => distanceKm(end, x) - distanceKm(end, y))
        .slice(0, 2);
    const pairs = near(a)
      .flatMap((first) => near(b).map((second) => ({ first, second })))
      .filter(({ first, second }) => first.code !== second.code && nonstopPlausible(first, second))
      .map((pair) => ({ ...pair, detour: (distanceKm(a, pair.first) + distanceKm(pair.first, pair.second) + distanceKm(pair.second, b)) / direct }))
      .filter(({ detour }) => detour <= 1.8)
      .sort((x, y) => x.detour - y.detour)
      .slice(0, 2);
    for (const { first, second } of pairs) {
      const [carrier] = hubCarriers(market, first.code);
      if (carrier) options.push({ carrier, path: [a.code, first.code, second.code, b.code] });
    }
  }
  return options;
}

function flightNumber(carrier: string, origin: string, destination: string, slot: number): string {
  return `${carrier} ${1 + (hash32("flight", carrier, origin, destination, slot) % 2999)}`;
}

const round5 = (minutes: number) => Math.round(minutes / 5) * 5;

/**
 * The departures of a route option on a local date at its origin: a stable daily timetable
 * (the same times and flight numbers every week), with thinner routes skipping some weekdays.
 * Connections leave the hub 55 to 150 minutes after the inbound lands.
 */
export function schedule(market: Market, option: RouteOption, date: string): Itinerary[] {
  const airports = option.path.map((code) => market.airports.get(code)!);
  const [origin, destination] = [airports[0]!, airports.at(-1)!];
  const km = distanceKm(origin, destination);
  const key = option.path.join("-");
  const sizes = Math.max(origin.sizeRank, destination.sizeRank);
  const nonstop = option.path.length === 2;
  let frequency = nonstop ? [3, 2, 1, 1][sizes]! : 2;
  if (km > 6_000) frequency = Math.min(frequency, 2);
  frequency = Math.max(1, frequency + (unit("frequency", option.carrier, key) < 0.4 ? 1 : 0) - (unit("thin", option.carrier, key) < 0.2 ? 1 : 0));
  if (frequency === 1 && sizes > 0 && unit("days", option.carrier, key, weekday(date)) > 0.7) return [];

  const slots: number[] = [];
  for (let slot = 0; slot < frequency; slot++) {
    // Between 06:00 and 22:00 local, at least 90 minutes apart.
    let minute = round5(360 + unit("slot", option.carrier, key, slot) * 960);
    while (slots.some((m) => Math.abs(m - minute) < 90)) minute = (minute + 95) % 1380;
    slots.push(minute);
  }
  slots.sort((x, y) => x - y);

  return slots.map((minute, slot) => {
    const hh = String(Math.floor(minute / 60)).padStart(2, "0");
    const mm = String(minute % 60).padStart(2, "0");
    let departure = zonedToUtc(date, `${hh}:${mm}`, origin.timeZone).getTime();
    const flights: ScheduledFlight[] = [];
    for (let leg = 0; leg < airports.length - 1; leg++) {
      const from = airports[leg]!;
      const to = airports[leg + 1]!;
      const minutes = blockMinutes(from, to);
      const arrival = departure + minutes * 60_000;
      flights.push({
        carrier: option.carrier,
        flightNumber: flightNumber(option.carrier, from.code, to.code, nonstop ? slot : hash32(key, slot) % 7),
        origin: from.code,
        destination: to.code,
        departureAt: new Date(departure),
        arrivalAt: new Date(arrival),
        minutes,
      });
      departure = arrival + round5(55 + unit("connection", key, slot, leg) * 95) * 60_000;
    }
    return { carrier: option.carrier, flights };
  });
}
