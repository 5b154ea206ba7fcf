/**
 * "Is this price low, typical or high?" Pure: the statistics come from the price history
 * (db/queries/price-daily.ts), the price from the live search.
 *
 * The yardstick is the cheapest price per adult observed each day for departures close to the
 * one searched (the figure a traveller compares), over the recent past. The typical range is
 * its 25th to 75th percentile: below it is low, above it high. With too little history the
 * insight says so and claims nothing.
 */

import type { Cabin, Offer } from "@/server/core/offer";

/** Departure dates compared: the one searched plus or minus this many days. */
export const INSIGHT_WINDOW_DAYS = 3;
/** Days of observation the statistics look back over. */
export const INSIGHT_LOOKBACK_DAYS = 90;

export const PRICE_LEVELS = ["low", "typical", "high"] as const;
export type PriceLevel = (typeof PRICE_LEVELS)[number];

/** Fewer observation days or snapshots than this and no level is claimed. */
export const MIN_INSIGHT_DAYS = 7;
export const MIN_INSIGHT_SAMPLES = 20;

export interface PriceStats {
  currency: string;
  /** 25th, 50th and 75th percentile of the daily cheapest price per adult, minor units. */
  p25Minor: number;
  medianMinor: number;
  p75Minor: number;
  /** Snapshots the statistics rest on. */
  samples: number;
  /** Distinct days of observation. */
  days: number;
  /** Departure dates compared: the one searched plus or minus this many days. */
  windowDays: number;
  /** Days of observation looked back over. */
  lookbackDays: number;
}

export type PriceInsight =
  | ({ status: "ok"; level: PriceLevel; priceMinor: number } & PriceStats)
  | { status: "insufficient"; currency: string; samples: number; days: number; minDays: number; minSamples: number; lookbackDays: number };

export function priceLevel(priceMinor: number, stats: Pick<PriceStats, "p25Minor" | "p75Minor">): PriceLevel {
  if (priceMinor < stats.p25Minor) return "low";
  if (priceMinor > stats.p75Minor) return "high";
  return "typical";
}

/** The insight for a price, or "insufficient" when the history is too thin to judge it. */
export function priceInsight(
  priceMinor: number,
  stats: PriceStats | null,
  thin: { currency: string; samples: number; days: number; lookbackDays: number },
): PriceInsight {
  if (!stats || stats.days < MIN_INSIGHT_DAYS || stats.samples < MIN_INSIGHT_SAMPLES) {
    return { status: "insufficient", ...thin, minDays: MIN_INSIGHT_DAYS, minSamples: MIN_INSIGHT_SAMPLES };
  }
  return { status: "ok", level: priceLevel(priceMinor, stats), priceMinor, ...stats };
}

/** Linear-interpolated percentile (as PostgreSQL's percentile_cont) of sorted numbers. */
export function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) throw new Error("percentile of nothing");
  const position = (sorted.length - 1) * fraction;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
}

/** A route's price history around a date, as the insight needs it. */
export interface InsightHistory {
  stats: PriceStats | null;
  currency: string;
  samples: number;
  days: number;
  lookbackDays: number;
}

/** One row per day of observation and departure date: the day's cheapest price per adult. */
export interface DailyLow {
  /** UTC day of observation, YYYY-MM-DD. */
  day: string;
  minMinor: number;
  samples: number;
}

/** Percentiles of the daily lows: the yardstick a price is judged by. */
export function historyFromDailyLows(rows: DailyLow[], currency: string, lookbackDays = INSIGHT_LOOKBACK_DAYS): InsightHistory {
  const samples = rows.reduce((sum, row) => sum + row.samples, 0);
  const days = new Set(rows.map((row) => row.day)).size;
  const totals = { currency, samples, days, lookbackDays };
  if (rows.length === 0) return { ...totals, stats: null };
  const prices = rows.map((row) => row.minMinor).sort((a, b) => a - b);
  return {
    ...totals,
    stats: {
      currency,
      p25Minor: Math.round(percentile(prices, 0.25)),
      medianMinor: Math.round(percentile(prices, 0.5)),
      p75Minor: Math.round(percentile(prices, 0.75)),
      samples,
      days,
      windowDays: INSIGHT_WINDOW_DAYS,
      lookbackDays,
    },
  };
}

/** The insight for the cheapest offer in a cabin, per adult; null without history or offers. */
export function insightForOffers(history: InsightHistory | null, offers: Offer[], cabin: Cabin): (PriceInsight & { cabin: Cabin }) | null {
  if (!history) return null;
  const prices = offers.filter((o) => o.cabin === cabin).map((o) => o.pricePerAdult.amountMinor);
  if (prices.length === 0) return null;
  const { stats, ...totals } = history;
  return { ...priceInsight(Math.min(...prices), stats, totals), cabin };
}
