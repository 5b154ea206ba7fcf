import type { Db } from "@/db/client";
import { dailyLows, type RouteFilter } from "@/db/queries/price-daily";
import { historyFromDailyLows, INSIGHT_LOOKBACK_DAYS, INSIGHT_WINDOW_DAYS, type InsightHistory } from "@/server/core/insight";

export interface PriceStatsQuery extends RouteFilter {
  departureDate: string;
  /** Round trips are compared with round trips, one-way with one-way. */
  roundTrip: boolean;
  now?: Date;
}

/**
 * The yardstick of the price insight: percentiles of the daily cheapest price per adult for
 * departures within INSIGHT_WINDOW_DAYS of the date, observed over the last INSIGHT_LOOKBACK_DAYS.
 */
export async function priceStats(db: Db, query: PriceStatsQuery): Promise<InsightHistory> {
  const rows = await dailyLows(db, { ...query, now: query.now ?? new Date(), windowDays: INSIGHT_WINDOW_DAYS, lookbackDays: INSIGHT_LOOKBACK_DAYS });
  return historyFromDailyLows(rows, query.currency);
}
