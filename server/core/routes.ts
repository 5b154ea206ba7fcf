import { NotFoundError } from "@/server/core/errors";

// Client-safe (the route page's components read these): no reference data, no schemas here.

/** Periods of a route's price history, in days of observation. */
export const HISTORY_RANGES = [30, 90, 180] as const;
export type HistoryRange = (typeof HISTORY_RANGES)[number];
export const DEFAULT_HISTORY_DAYS: HistoryRange = 90;

/** Departure dates the date grid shows, from today at the origin. */
export const DATE_GRID_DAYS = 120;

/** Parses the route page's path segment "LHR-JFK". */
export function parseRouteSlug(slug: string): [string, string] {
  const match = /^([A-Za-z]{3})-([A-Za-z]{3})$/.exec(slug);
  if (!match) throw new NotFoundError(`${slug} is not a route: use two IATA codes such as LHR-JFK`);
  return [match[1]!.toUpperCase(), match[2]!.toUpperCase()];
}
