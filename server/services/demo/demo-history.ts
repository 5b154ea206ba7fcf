import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { refreshContinuousAggregates } from "@/db/migrate";
import { getSetting, putSetting } from "@/db/queries/app-settings";
import { recordSearch } from "@/db/queries/snapshots";
import { mergeOffers } from "@/server/core/aggregate";
import { quote, SIMULATED_SOURCES } from "@/server/core/fare-model";
import { countryCurrency } from "@/server/core/country-currency";
import { toSnapshots } from "@/server/core/observation";
import type { TripRequest } from "@/server/core/offer";
import { addDays } from "@/server/core/time";
import type { AppContext } from "@/server/context";

/** Popular routes on every continent, so that charts and insights have data out of the box. */
export const DEMO_ROUTES: [string, string][] = [
  ["LHR", "JFK"], ["LHR", "DXB"], ["LGW", "BCN"], ["CDG", "JFK"], ["FRA", "SIN"],
  ["AMS", "LIS"], ["MAD", "MEX"], ["JFK", "LAX"], ["SFO", "NRT"], ["ORD", "MIA"],
  ["ATL", "CUN"], ["SEA", "HNL"], ["YYZ", "YVR"], ["SYD", "MEL"], ["SYD", "AKL"],
  ["SIN", "BKK"], ["HND", "ICN"], ["DXB", "BOM"], ["GRU", "EZE"], ["JNB", "CPT"],
];

/**
 * Each day, the demo searches these many days ahead: together they cover every departure date
 * of the coming three months with at least one observation, and give each of them a history.
 */
export const DEMO_LEAD_DAYS = [14, 45, 90];
const OBSERVATION_HOUR_UTC = 9;

export const DEMO_HISTORY_KEY = "demo_history";
const DEMO_HISTORY_VERSION = "1";

export interface DemoOptions {
  days?: number;
  routes?: [string, string][];
  now?: Date;
  onProgress?: (done: number, total: number) => void;
}

export async function demoHistorySeeded(db: Db): Promise<boolean> {
  return (await getSetting(db, DEMO_HISTORY_KEY)) === DEMO_HISTORY_VERSION;
}

/**
 * Writes `days` days of price history for the demo routes: once a day, a one-way economy
 * search for one adult at each lead time, answered by the simulated sellers as they would
 * have answered then, written as a live search's snapshots are. It is a backfill, not live
 * observations, so it publishes none (no alert fires for the past). Idempotent: a rerun
 * (after an interruption, say) writes only what is missing. Then the daily aggregate is
 * materialised, as after any backfill.
 */
export async function seedDemoHistory(ctx: Pick<AppContext, "db" | "reference">, options: DemoOptions = {}): Promise<{ searches: number; snapshots: number }> {
  const { db, reference } = ctx;
  const days = options.days ?? 90;
  const routes = (options.routes ?? DEMO_ROUTES).filter(([o, d]) => reference.airports.has(o) && reference.airports.has(d));
  const now = options.now ?? new Date();
  const today = now.toISOString().slice(0, 10);
  const total = routes.length * days * DEMO_LEAD_DAYS.length;
  let searches = 0;
  let snapshots = 0;
  for (let back = days - 1; back >= 0; back--) {
    const day = addDays(today, -back);
    const observedAt = new Date(`${day}T${String(OBSERVATION_HOUR_UTC).padStart(2, "0")}:00:00Z`);
    if (observedAt > now) continue;
    for (const [origin, destination] of routes) {
      const currency = countryCurrency(reference.airports.get(origin)!.countryCode);
      for (const lead of DEMO_LEAD_DAYS) {
        // It runs beside a serving app on the same thread (the embedded engine): let requests in.
        await new Promise((resolve) => setImmediate(resolve));
        const trip: TripRequest = { departureDate: addDays(day, lead), returnDate: null, cabin: "economy", adults: 1, children: 0, infants: 0, currency };
        const request = { ...trip, origins: [origin], destinations: [destination] };
        const offers = mergeOffers(SIMULATED_SOURCES.flatMap((source) => quote(reference, request, source, observedAt)));
        const { written } = await recordSearch(db, { ...trip, origin, destination }, observedAt, toSnapshots(offers));
        snapshots += written;
        searches++;
        if (searches % 100 === 0) options.onProgress?.(searches, total);
      }
    }
  }
  await refreshContinuousAggregates(db);
  await db.execute(sql`ANALYZE price_snapshot`);
  await putSetting(db, DEMO_HISTORY_KEY, DEMO_HISTORY_VERSION);
  return { searches, snapshots };
}
