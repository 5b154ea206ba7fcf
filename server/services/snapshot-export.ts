import { and, asc, eq, gte, inArray, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { priceSnapshot } from "@/db/schema";
import { SIMULATED_SOURCES } from "@/server/core/fare-model/sources";
import { currencyExponent } from "@/server/core/money";
import type { Cabin } from "@/server/core/offer";

/**
 * The raw snapshots of a route as CSV, for spreadsheets: streamed in keyset-paginated batches
 * (ordered by the primary key, observation time first), so memory stays flat whatever the row
 * limit and the first bytes leave before the last row is read.
 */

export interface ExportFilter {
  origins: string[];
  destinations: string[];
  /** Observed within this many days back from now. */
  days: number;
  cabin?: Cabin;
  currency?: string;
  departureDate?: string;
  now?: Date;
}

export const CSV_COLUMNS = [
  "observed_at",
  "provider",
  "simulated",
  "origin",
  "destination",
  "departure_date",
  "return_date",
  "cabin",
  "carriers",
  "flight_numbers",
  "stops",
  "departure_at",
  "arrival_at",
  "duration_minutes",
  "price",
  "price_per_adult",
  "currency",
  "deep_link",
] as const;

const SIMULATED_IDS = new Set(SIMULATED_SOURCES.map((s) => s.id));

/** RFC 4180 quoting, and a leading quote mark where a spreadsheet would read a formula. */
export function csvCell(value: string | number | boolean | null): string {
  if (value === null) return "";
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** 45230 GBP -> "452.30": as many decimals as the currency has. */
function fixed(amountMinor: number, currency: string): string {
  const exponent = currencyExponent(currency);
  return (amountMinor / 10 ** exponent).toFixed(exponent);
}

/** Yields the header line, then one line per snapshot, at most `maxRows` of them. */
export async function* snapshotCsv(db: Db, filter: ExportFilter, options: { maxRows: number; batchSize?: number }): AsyncGenerator<string> {
  const batchSize = options.batchSize ?? 2_000;
  const now = filter.now ?? new Date();
  const conditions: SQL[] = [
    inArray(priceSnapshot.origin, filter.origins),
    inArray(priceSnapshot.destination, filter.destinations),
    gte(priceSnapshot.observedAt, new Date(now.getTime() - filter.days * 86_400_000)),
  ];
  if (filter.cabin) conditions.push(eq(priceSnapshot.cabin, filter.cabin));
  if (filter.currency) conditions.push(eq(priceSnapshot.currency, filter.currency));
  if (filter.departureDate) conditions.push(eq(priceSnapshot.departureDate, filter.departureDate));

  yield `${CSV_COLUMNS.join(",")}\r\n`;
  let after: { observedAt: Date; queryId: number; provider: string; itineraryKey: string } | null = null;
  let sent = 0;
  while (sent < options.maxRows) {
    const keyset: SQL | undefined = after
      ? sql`(${priceSnapshot.observedAt}, ${priceSnapshot.queryId}, ${priceSnapshot.provider}, ${priceSnapshot.itineraryKey}) > (${after.observedAt.toISOString()}::timestamptz, ${after.queryId}, ${after.provider}, ${after.itineraryKey})`
      : undefined;
    const rows: (typeof priceSnapshot.$inferSelect)[] = await db
      .select()
      .from(priceSnapshot)
      .where(and(...conditions, keyset))
      .orderBy(asc(priceSnapshot.observedAt), asc(priceSnapshot.queryId), asc(priceSnapshot.provider), asc(priceSnapshot.itineraryKey))
      .limit(Math.min(batchSize, options.maxRows - sent));
    if (rows.length === 0) break;
    let chunk = "";
    for (const row of rows) {
      chunk +=
        [
          row.observedAt.toISOString(),
          row.provider,
          SIMULATED_IDS.has(row.provider),
          row.origin,
          row.destination,
          row.departureDate,
          row.returnDate,
          row.cabin,
          row.carriers.join(" "),
          row.flightNumbers.join(" "),
          row.stops,
          row.departureAt.toISOString(),
          row.arrivalAt.toISOString(),
          row.durationMinutes,
          fixed(row.priceMinor, row.currency),
          fixed(row.pricePerAdultMinor, row.currency),
          row.currency,
          row.deepLink,
        ]
          .map(csvCell)
          .join(",") + "\r\n";
    }
    yield chunk;
    sent += rows.length;
    const last = rows.at(-1)!;
    after = { observedAt: last.observedAt, queryId: last.queryId, provider: last.provider, itineraryKey: last.itineraryKey };
    if (rows.length < batchSize) break;
  }
}
