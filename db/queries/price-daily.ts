import { and, eq, gte, inArray, isNotNull, isNull, lte, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { priceDaily } from "@/db/schema";
import type { DailyLow } from "@/server/core/insight";
import type { Cabin } from "@/server/core/offer";
import { addDays, utcDayStart } from "@/server/core/time";

// Reads of a route's price history, all from the `price_daily` read model. A route's ends may be
// metro codes (LON): history is kept per airport flown, so a metro reads every airport it stands for.

export interface DailyPriceFilter {
  /** An airport code, or the airports a metro code stands for. */
  origin: string | string[];
  destination: string | string[];
  /** Prices in different currencies are never mixed. */
  currency: string;
  cabin?: Cabin;
  /** One departure date, or every departure date of the route when omitted. */
  departureDate?: string;
  /** A return date, null for one-way trips only, or both kinds when omitted. */
  returnDate?: string | null;
  /** How many days of observations, counting back from `now`. */
  days?: number;
  now?: Date;
}

export interface DailyPricePoint {
  /** UTC day of observation, YYYY-MM-DD. */
  day: string;
  minMinor: number;
  avgMinor: number;
  maxMinor: number;
  samples: number;
}

/**
 * Daily min / average / max price per adult for a route, read from the `price_daily` read
 * model (a continuous aggregate on TimescaleDB, a view elsewhere). Rows of the read model for
 * the same day (several departure dates or cabins) are combined; the average is weighted by
 * sample count, so it equals the average over the underlying snapshots.
 */
export async function dailyPriceHistory(db: Db, filter: DailyPriceFilter): Promise<DailyPricePoint[]> {
  const now = filter.now ?? new Date();
  const days = filter.days ?? 180;
  const since = utcDayStart(now, days - 1);
  const conditions: SQL[] = [
    inArray(priceDaily.origin, [filter.origin].flat()),
    inArray(priceDaily.destination, [filter.destination].flat()),
    eq(priceDaily.currency, filter.currency),
    gte(priceDaily.day, since),
  ];
  if (filter.cabin) conditions.push(eq(priceDaily.cabin, filter.cabin));
  if (filter.departureDate) conditions.push(eq(priceDaily.departureDate, filter.departureDate));
  if (filter.returnDate === null) conditions.push(isNull(priceDaily.returnDate));
  else if (filter.returnDate) conditions.push(eq(priceDaily.returnDate, filter.returnDate));

  const rows = await db
    .select({
      day: sql<string>`to_char(${priceDaily.day} AT TIME ZONE 'UTC', 'YYYY-MM-DD')`,
      minMinor: sql<number>`min(${priceDaily.minPriceMinor})`.mapWith(Number),
      avgMinor: sql<number>`round(sum(${priceDaily.avgPriceMinor} * ${priceDaily.sampleCount}) / sum(${priceDaily.sampleCount}))`.mapWith(
        Number,
      ),
      maxMinor: sql<number>`max(${priceDaily.maxPriceMinor})`.mapWith(Number),
      samples: sql<number>`sum(${priceDaily.sampleCount})`.mapWith(Number),
    })
    .from(priceDaily)
    .where(and(...conditions))
    .groupBy(priceDaily.day)
    .orderBy(priceDaily.day);
  return rows;
}

/** Which rows of the read model: the airports of each end, one currency, one cabin. */
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

export interface DailyLowsQuery extends RouteFilter {
  departureDate: string;
  /** Round trips are compared with round trips, one-way with one-way. */
  roundTrip: boolean;
  now: Date;
  /** Departures within this many days of the date. */
  windowDays: number;
  /** Days of observation back from `now`. */
  lookbackDays: number;
}

/** The cheapest price per adult of each day of observation and departure date near a date. */
export async function dailyLows(db: Db, query: DailyLowsQuery): Promise<DailyLow[]> {
  const rows = await db
    .select({
      day: sql<string>`to_char(${priceDaily.day} AT TIME ZONE 'UTC', 'YYYY-MM-DD')`,
      minMinor: sql<number>`min(${priceDaily.minPriceMinor})`.mapWith(Number),
      samples: sql<number>`sum(${priceDaily.sampleCount})`.mapWith(Number),
    })
    .from(priceDaily)
    .where(
      and(
        ...routeConditions(query),
        query.roundTrip ? isNotNull(priceDaily.returnDate) : isNull(priceDaily.returnDate),
        gte(priceDaily.departureDate, addDays(query.departureDate, -query.windowDays)),
        lte(priceDaily.departureDate, addDays(query.departureDate, query.windowDays)),
        gte(priceDaily.day, utcDayStart(query.now, query.lookbackDays - 1)),
      ),
    )
    .groupBy(priceDaily.day, priceDaily.departureDate);
  return rows;
}
