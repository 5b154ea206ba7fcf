import { and, eq, gte, inArray, isNull, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { priceDaily } from "@/db/schema";
import type { Cabin } from "@/server/core/offer";
import { utcDayStart } from "@/server/core/time";

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
