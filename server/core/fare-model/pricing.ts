import type { Cabin } from "@/server/core/offer";
import { LOW_COST, PREMIUM } from "./carriers";
import { between, hash32, smoothNoise, unit } from "./hash";

/**
 * The price of one slice for one adult, in euros, before a seller's margin. Every factor is a
 * plain function of the itinerary, the dates and the observation time; the README lists them.
 */

const DAY_MS = 86_400_000;

/** Economy base fare for a distance flown: €40, then 7.5 c/km to 1,000 km, then 6.5 c/km. */
export function baseFare(km: number): number {
  return 40 + 0.075 * Math.min(km, 1_000) + 0.065 * Math.max(0, km - 1_000);
}

export function cabinFactor(cabin: Cabin, km: number): number {
  switch (cabin) {
    case "economy":
      return 1;
    case "premium_economy":
      return 1.65;
    case "business":
      return km < 1_500 ? 2.2 : km < 4_000 ? 3 : 3.9;
    case "first":
      return 6.3;
  }
}

/** Low-cost carriers sell economy only; premium economy and first exist on long flights only. */
export function cabinOffered(carrier: string, cabin: Cabin, km: number): boolean {
  if (LOW_COST.has(carrier)) return cabin === "economy";
  if (cabin === "premium_economy") return km >= 3_000;
  if (cabin === "first") return km >= 5_000 && (PREMIUM.has(carrier) || ["BA", "AA", "LH", "AF", "UA", "DL", "KE", "AI"].includes(carrier));
  return true;
}

/**
 * Days before departure: dearest in the last days, cheapest some weeks out, dearer again far
 * ahead. Linear between these points. Domestic fares bottom out about 38 days out (within 21 to
 * 52, as Google Flights' booking data has it); international ones later and over a longer
 * stretch, two to three months out.
 */
const DOMESTIC_LEAD_CURVE: [number, number][] = [
  [0, 1.85],
  [3, 1.55],
  [7, 1.3],
  [14, 1.1],
  [21, 0.99],
  [38, 0.88],
  [52, 0.92],
  [75, 0.98],
  [120, 1.02],
  [180, 1.06],
  [366, 1.1],
];
const INTERNATIONAL_LEAD_CURVE: [number, number][] = [
  [0, 1.85],
  [3, 1.55],
  [7, 1.32],
  [14, 1.12],
  [21, 1.0],
  [45, 0.93],
  [65, 0.9],
  [90, 0.92],
  [180, 1.04],
  [366, 1.1],
];

export function leadFactor(daysAhead: number, domestic = false): number {
  const curve = domestic ? DOMESTIC_LEAD_CURVE : INTERNATIONAL_LEAD_CURVE;
  const days = Math.max(0, daysAhead);
  for (let i = 1; i < curve.length; i++) {
    const [d1, f1] = curve[i]!;
    const [d0, f0] = curve[i - 1]!;
    if (days <= d1) return f0 + ((days - d0) / (d1 - d0)) * (f1 - f0);
  }
  return curve.at(-1)![1];
}

/**
 * Sunday .. Saturday of the departure: Fridays and Sundays dear, Monday to Wednesday cheap
 * (about 13% below the rest of the week, as Google Flights' booking data has it).
 */
const WEEKDAY = [1.08, 0.93, 0.89, 0.89, 1.0, 1.1, 0.96];

/** January .. December, with the Christmas fortnight on top. */
const MONTH = [0.88, 0.9, 0.95, 1.02, 1.0, 1.08, 1.2, 1.18, 0.98, 1.0, 0.9, 1.05];

export function seasonFactor(date: string): number {
  const month = Number(date.slice(5, 7));
  const day = Number(date.slice(8, 10));
  const christmas = (month === 12 && day >= 18) || (month === 1 && day <= 3);
  return MONTH[month - 1]! * (christmas ? 1.18 : 1);
}

export function weekdayFactor(date: string): number {
  return WEEKDAY[new Date(`${date}T00:00:00Z`).getUTCDay()]!;
}

/** Local departure hour: red-eyes and dawn flights cheaper, business peaks dearer. */
export function timeOfDayFactor(localHour: number): number {
  if (localHour < 7 || localHour >= 21) return 0.93;
  if ((localHour >= 7 && localHour < 9) || (localHour >= 17 && localHour < 19)) return 1.05;
  return 1;
}

const LOW_COST_FACTOR = 0.8;

export function carrierFactor(carrier: string, origin: string, destination: string): number {
  const type = LOW_COST.has(carrier) ? LOW_COST_FACTOR : PREMIUM.has(carrier) ? 1.08 : 1;
  return type * between(0.95, 1.05, "carrier", carrier, origin, destination);
}

/**
 * Connections sell for less than the nonstop they compete with: travellers pay for the time a
 * nonstop saves. With the fare priced on the trip's own distance, not the distance flown.
 */
export function stopsFactor(stops: number): number {
  return [1, STOPS[1], STOPS[2]][Math.min(stops, 2)]!;
}
const STOPS = [1, 0.74, 0.68];

/** Routes differ in competition: a fixed 0.85 .. 1.2 per airport pair. */
export function routeFactor(origin: string, destination: string): number {
  const [a, b] = origin < destination ? [origin, destination] : [destination, origin];
  return between(0.85, 1.2, "route", a, b);
}

const JUMP_LEVELS = [0.86, 0.92, 1.08, 1.14, 1.22];
const BUCKET_HOURS = 12;

/**
 * How an itinerary's price moves with the time it is observed: a slow wander of about ±5% over
 * days, and now and then (about one 12-hour window in 14) a jump to another fare level that
 * holds until the next jump or for a week. Plain functions of the key and the time, so two
 * searches at the same moment agree, and searches hours apart see real changes.
 */
export function driftFactor(key: string, observedAt: Date): number {
  const hours = observedAt.getTime() / 3_600_000;
  const wander = 1 + 0.05 * smoothNoise(hours / 36, "wander", key);
  const bucket = Math.floor(hours / BUCKET_HOURS);
  let level = 1;
  for (let b = bucket; b > bucket - 14; b--) {
    if (unit("jump", key, b) < 0.07) {
      level = JUMP_LEVELS[hash32("level", key, b) % JUMP_LEVELS.length]!;
      break;
    }
  }
  return wander * level;
}

/** Demand for one flight on one day: some fill up, some do not. */
export function demandFactor(flightNumbers: string[], date: string): number {
  return between(0.9, 1.15, "demand", flightNumbers.join(">"), date);
}

export interface SliceForPricing {
  carrier: string;
  origin: string;
  destination: string;
  flightNumbers: string[];
  /** The trip's own (great-circle) distance: fares are set per market, not per distance flown. */
  tripKm: number;
  stops: number;
  /** Both ends in one country. */
  domestic: boolean;
  /** Local departure date and hour at the origin. */
  localDate: string;
  localHour: number;
  departureAt: Date;
}

export function sliceFareEur(slice: SliceForPricing, cabin: Cabin, observedAt: Date, key: string): number {
  const daysAhead = (slice.departureAt.getTime() - observedAt.getTime()) / DAY_MS;
  return (
    baseFare(slice.tripKm) *
    cabinFactor(cabin, slice.tripKm) *
    routeFactor(slice.origin, slice.destination) *
    carrierFactor(slice.carrier, slice.origin, slice.destination) *
    stopsFactor(slice.stops) *
    leadFactor(daysAhead, slice.domestic) *
    weekdayFactor(slice.localDate) *
    seasonFactor(slice.localDate) *
    timeOfDayFactor(slice.localHour) *
    demandFactor(slice.flightNumbers, slice.localDate) *
    driftFactor(`${key}|${cabin}`, observedAt)
  );
}

/** Children pay 75% of the adult fare, infants on a lap 10%. */
export const CHILD_SHARE = 0.75;
export const INFANT_SHARE = 0.1;

/** Round trips with full-service airlines are cheaper than two one-ways; low-cost ones are not. */
export function roundTripFactor(carrier: string): number {
  return LOW_COST.has(carrier) ? 1 : 0.92;
}
