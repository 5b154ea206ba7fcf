import { and, eq, gte, inArray, isNotNull, isNull, lte, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { priceDaily } from "@/db/schema";
import { NotFoundError, ValidationError } from "@/server/core/errors";
import { percentile, type PriceStats } from "@/server/core/insight";
import { countryCurrency } from "@/server/core/country-currency";
import type { Cabin } from "@/server/core/offer";
import { addDays, utcDayStart } from "@/server/core/time";
import type { PlaceSuggestion } from "@/server/services/airports";
import { airportsOf, getMarket, placeFromMarket } from "@/server/services/market";

/**
 * Reads of a route's price history for the route page and the price insight: all from the
 * `price_daily` read model. A route's ends may be metro codes (LON): history is kept per
 * airport flown, so a metro reads every airport it stands for.
 */

export interface Route {
  origin: PlaceSuggestion;
  destination: PlaceSuggestion;
  /** The airports each end stands for. */
  origins: string[];
  destinations: string[];
  /** The currency the route's prices are recorded in by default: the origin country's. */
  currency: string;
}

/** "LHR-JFK" (or two codes) to a route; unknown codes are a ValidationError naming the field. */
export async function resolveRoute(db: Db, originCode: string, destinationCode: string): Promise<Route> {
  const market = await getMarket(db);
  const origin = placeFromMarket(market, originCode.toUpperCase());
  const destination = placeFromMarket(market, destinationCode.toUpperCase());
  const errors: Record<string, string[]> = {};
  if (!origin) errors.origin = [`${originCode} is not a known airport or city code`];
  if (!destination) errors.destination = [`${destinationCode} is not a known airport or city code`];
  if (!origin || !destination) throw new ValidationError(errors);
  const origins = airportsOf(origin);
  const destinations = airportsOf(destination);
  if (origins.some((code) => destinations.includes(code))) throw ValidationError.of("destination", "must differ from the origin");
  return { origin, destination, origins, destinations, currency: countryCurrency(origin.countryCode) };
}

/** Parses the route page's path segment "LHR-JFK". */
export function parseRouteSlug(slug: string): [string, string] {
  const match = /^([A-Za-z]{3})-([A-Za-z]{3})$/.exec(slug);
  if (!match) throw new NotFoundError(`${slug} is not a route: use two IATA codes such as LHR-JFK`);
  return [match[1]!.toUpperCase(), match[2]!.toUpperCase()];
}

export interface RouteFilter {
  origins: string[];
  destinations: string[];
  currency: string;
  cabin: Cabin;
}

function routeConditions(filter: RouteFilter): SQL[] {
  return [
    inArray(priceDaily.origin, filter.origins),
    inArray(priceDaily.destination, filter.destinations),
    eq(priceDaily.currency, filter.currency),
    eq(priceDaily.cabin, filter.cabin),
  ];
}

export interface DateGridCell {
  departureDate: string;
  /** Cheapest price per adult ever observed for a departure on that date. */
  minMinor: number;
  samples: number;
  /** UTC day of the latest observation, YYYY-MM-DD. */
  lastObserved: string;
}

/** The cheapest observed one-way price per departure date from `from`, for `days` days. */
export async function dateGrid(db: Db, filter: RouteFilter & { from: string; days: number }): Promise<DateGridCell[]> {
  return db
    .select({
      departureDate: priceDaily.departureDate,
      minMinor: sql<number>`min(${priceDaily.minPriceMinor})`.mapWith(Number),
      samples: sql<number>`sum(${priceDaily.sampleCount})`.mapWith(Number),
      lastObserved: sql<string>`to_char(max(${priceDaily.day}) AT TIME ZONE 'UTC', 'YYYY-MM-DD')`,
    })
    .from(priceDaily)
    .where(
      and(
        ...routeConditions(filter),
        isNull(priceDaily.returnDate),
        gte(priceDaily.departureDate, filter.from),
        lte(priceDaily.departureDate, addDays(filter.from, filter.days - 1)),
      ),
    )
    .groupBy(priceDaily.departureDate)
    .orderBy(priceDaily.departureDate);
}

export const INSIGHT_WINDOW_DAYS = 3;
export const INSIGHT_LOOKBACK_DAYS = 90;

export interface InsightQuery extends RouteFilter {
  departureDate: string;
  /** Round trips are compared with round trips, one-way with one-way. */
  roundTrip: boolean;
  now?: Date;
}

export interface StatsResult {
  stats: PriceStats | null;
  currency: string;
  samples: number;
  days: number;
  lookbackDays: number;
}

/**
 * Percentiles of the daily cheapest price per adult for departures within
 * INSIGHT_WINDOW_DAYS of the date asked, observed over the last INSIGHT_LOOKBACK_DAYS days.
 */
export async function priceStats(db: Db, query: InsightQuery): Promise<StatsResult> {
  const now = query.now ?? new Date();
  const rows = await db
    .select({
      day: priceDaily.day,
      departureDate: priceDaily.departureDate,
      minMinor: sql<number>`min(${priceDaily.minPriceMinor})`.mapWith(Number),
      samples: sql<number>`sum(${priceDaily.sampleCount})`.mapWith(Number),
    })
    .from(priceDaily)
    .where(
      and(
        ...routeConditions(query),
        query.roundTrip ? isNotNull(priceDaily.returnDate) : isNull(priceDaily.returnDate),
        gte(priceDaily.departureDate, addDays(query.departureDate, -INSIGHT_WINDOW_DAYS)),
        lte(priceDaily.departureDate, addDays(query.departureDate, INSIGHT_WINDOW_DAYS)),
        gte(priceDaily.day, utcDayStart(now, INSIGHT_LOOKBACK_DAYS - 1)),
      ),
    )
    .groupBy(priceDaily.day, priceDaily.departureDate);
  const samples = rows.reduce((sum, row) => sum + row.samples, 0);
  const days = new Set(rows.map((row) => new Date(row.day).toISOString().slice(0, 10))).size;
  const totals = { currency: query.currency, samples, days, lookbackDays: INSIGHT_LOOKBACK_DAYS };
  if (rows.length === 0) return { ...totals, stats: null };
  const prices = rows.map((row) => row.minMinor).sort((a, b) => a - b);
  return {
    ...totals,
    stats: {
      currency: query.currency,
      p25Minor: Math.round(percentile(prices, 0.25)),
      medianMinor: Math.round(percentile(prices, 0.5)),
      p75Minor: Math.round(percentile(prices, 0.75)),
      samples,
      days,
      windowDays: INSIGHT_WINDOW_DAYS,
      lookbackDays: INSIGHT_LOOKBACK_DAYS,
    },
  };
}
