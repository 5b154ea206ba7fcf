import crypto from "node:crypto";
import { addDays, daysBetween } from "./time";

/**
 * When the scheduler refreshes a tracked query, and which concrete searches a flexible tracked
 * route stands for (issue 11). Pure: the scheduler and the worker call these with the clock.
 */

/** From this many days before departure on, refresh every `everyHours`. */
export interface CadenceTier {
  fromDays: number;
  everyHours: number;
}

/** More than 60 days out: every 12 h; 14 to 60: every 6 h; under 14: every 2 h. */
export const DEFAULT_CADENCE: readonly CadenceTier[] = [
  { fromDays: 60, everyHours: 12 },
  { fromDays: 14, everyHours: 6 },
  { fromDays: 0, everyHours: 2 },
];

/**
 * A cadence as configuration writes it: `days:hours` pairs, "60:12,14:6,0:2" (a period may be in
 * minutes, "0:5m", for demonstrations and tests). Tiers sorted by
 * days, farthest first; one must start at 0 days so every future departure has a cadence.
 */
export function parseCadence(text: string): { ok: true; tiers: CadenceTier[] } | { ok: false; error: string } {
  const tiers: CadenceTier[] = [];
  for (const part of text.split(",").map((p) => p.trim()).filter(Boolean)) {
    const match = /^(\d{1,3}):(\d{1,4}(?:\.\d+)?)(m|h)?$/.exec(part);
    if (!match) return { ok: false, error: `"${part}" is not days:hours, such as 14:6 (or 0:5m for minutes)` };
    const tier = { fromDays: Number(match[1]), everyHours: match[3] === "m" ? Number(match[2]) / 60 : Number(match[2]) };
    if (tier.everyHours < 1 / 60 || tier.everyHours > 168) return { ok: false, error: `"${part}": the period must be from 1 minute to 168 hours` };
    if (tiers.some((t) => t.fromDays === tier.fromDays)) return { ok: false, error: `${tier.fromDays} days is given twice` };
    tiers.push(tier);
  }
  if (!tiers.some((t) => t.fromDays === 0)) return { ok: false, error: "one tier must start at 0 days (such as 0:2)" };
  return { ok: true, tiers: tiers.sort((a, b) => b.fromDays - a.fromDays) };
}

/** Hours between refreshes of a departure this many days away; null once it has left. */
export function cadenceHours(daysToDeparture: number, tiers: readonly CadenceTier[] = DEFAULT_CADENCE): number | null {
  if (daysToDeparture < 0) return null;
  return tiers.find((tier) => daysToDeparture >= tier.fromDays)?.everyHours ?? null;
}

/** A fraction in [0, 1) fixed by the text: the same query always lands at the same place in its period. */
function spread(text: string): number {
  return crypto.createHash("sha256").update(text).digest().readUInt32BE(0) / 2 ** 32;
}

/** How far either side of its period a refresh may move, as a share of the period. */
const JITTER = 0.1;

/**
 * When a query is next due. Never observed: somewhere in its first period, placed by its key, so
 * that 10,000 routes tracked at once do not all fall due at once. Observed: one period later,
 * moved by up to 10% either way (by its key and that observation), so that queries tracked
 * together drift apart instead of staying in step.
 */
export function nextDueAt(key: string, everyHours: number, lastObservedAt: Date | null, now: Date): Date {
  const period = everyHours * 3_600_000;
  if (!lastObservedAt) return new Date(now.getTime() + Math.floor(spread(key) * period));
  const offset = (spread(`${key}@${lastObservedAt.toISOString()}`) * 2 - 1) * JITTER * period;
  return new Date(lastObservedAt.getTime() + period + Math.round(offset));
}

const YEAR_MS = 365 * 86_400_000;

/**
 * When a query observed at `observedAt` is next due, by its days to departure (UTC dates):
 * nextDueAt with its tier's period; a year away once it has departed (the scheduler skips it
 * anyway).
 */
export function nextRefresh(queryId: number, departureDate: string, observedAt: Date, tiers: readonly CadenceTier[] = DEFAULT_CADENCE): Date {
  const hours = cadenceHours(daysBetween(observedAt.toISOString().slice(0, 10), departureDate), tiers);
  return hours === null ? new Date(observedAt.getTime() + YEAR_MS) : nextDueAt(String(queryId), hours, observedAt, observedAt);
}

/** A flexible tracked route's dates: departures in a window, and for a round trip a range of nights. */
export interface FlexibleDates {
  departFrom: string;
  departTo: string;
  /** Round trips: nights away, inclusive. */
  nights?: { min: number; max: number };
}

/** The most concrete searches one flexible tracked route may stand for. */
export const MAX_QUERIES_PER_ROUTE = 60;

/**
 * The concrete (departure, return) pairs a flexible route is refreshed by: every departure from
 * today on in its window, times every length of stay, in date order. Past the limit, evenly
 * spaced pairs across the whole window are kept (the first and the last among them), so the
 * lowest price is sought across all of it rather than only in its first days.
 */
export function expandFlexible(dates: FlexibleDates, today: string, limit = MAX_QUERIES_PER_ROUTE): { departureDate: string; returnDate?: string }[] {
  const first = dates.departFrom < today ? today : dates.departFrom;
  const pairs: { departureDate: string; returnDate?: string }[] = [];
  for (let day = 0; day <= daysBetween(first, dates.departTo); day++) {
    const departureDate = addDays(first, day);
    if (!dates.nights) {
      pairs.push({ departureDate });
      continue;
    }
    for (let nights = dates.nights.min; nights <= dates.nights.max; nights++) pairs.push({ departureDate, returnDate: addDays(departureDate, nights) });
  }
  if (pairs.length <= limit) return pairs;
  if (limit <= 1) return pairs.slice(0, limit);
  return Array.from({ length: limit }, (_, i) => pairs[Math.round((i * (pairs.length - 1)) / (limit - 1))]!);
}
