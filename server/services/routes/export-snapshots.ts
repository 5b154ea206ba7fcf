import type { Db } from "@/db/client";
import { snapshotBatches } from "@/db/queries/snapshots";
import { currencyExponent } from "@/server/core/money";
import type { Cabin } from "@/server/core/offer";

/**
 * The raw snapshots of a route as CSV, for spreadsheets: streamed batch by batch, so memory stays
 * flat whatever the row limit and the first bytes leave before the last row is read.
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

/** Yields the header line, then the snapshots' lines a batch at a time, at most `maxRows` of them. */
export async function* snapshotCsv(db: Db, filter: ExportFilter, options: { maxRows: number; batchSize?: number }): AsyncGenerator<string> {
  const now = filter.now ?? new Date();
  const { days: _days, now: _now, ...narrowing } = filter;
  yield `${CSV_COLUMNS.join(",")}\r\n`;
  const batches = snapshotBatches(db, { ...narrowing, since: new Date(now.getTime() - filter.days * 86_400_000) }, { maxRows: options.maxRows, batchSize: options.batchSize ?? 2_000 });
  for await (const rows of batches) {
    let chunk = "";
    for (const row of rows) {
      chunk +=
        [
          row.observedAt.toISOString(),
          row.provider,
          row.simulated,
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
  }
}
