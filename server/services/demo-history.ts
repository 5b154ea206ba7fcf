import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { refreshContinuousAggregates } from "@/db/migrate";
import { appSetting } from "@/db/schema";
import { mergeOffers } from "@/server/core/aggregate";
import { quote, SIMULATED_SOURCES } from "@/server/core/fare-model";
import { countryCurrency } from "@/server/core/country-currency";
import type { TripRequest } from "@/server/core/offer";
import { addDays } from "@/server/core/time";
import { getMarket } from "@/server/services/market";
import { toSnapshots } from "@/server/services/search-flights";
import { recordSearch } from "@/server/services/snapshots";

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
  const rows = await db.select({ value: appSetting.value }).from(appSetting).where(eq(appSetting.key, DEMO_HISTORY_KEY));
  return rows[0]?.value === DEMO_HISTORY_VERSION;
}

/**
 * Writes `days` days of price history for the demo routes: once a day, a one-way economy
 * search for one adult at each lead time, answered by the simulated sellers as they would
 * have answered then, recorded through the same write path as a live search. Idempotent: a
 * rerun (after an interruption, say) writes only what is missing. Then the daily aggregate
 * is materialised, as after any backfill.
 */
export async function seedDemoHistory(db: Db, options: DemoOptions = {}): Promise<{ searches: number; snapshots: number }> {
  const market = await getMarket(db);
  const days = options.days ?? 90;
  const routes = (options.routes ?? DEMO_ROUTES).filter(([o, d]) => market.airports.has(o) && market.airports.has(d));
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
      const currency = countryCurrency(market.airports.get(origin)!.countryCode);
      for (const lead of DEMO_LEAD_DAYS) {
        // It runs beside a serving app on the same thread (the embedded engine): let requests in.
        await new Promise((resolve) => setImmediate(resolve));
        const trip: TripRequest = { departureDate: addDays(day, lead), returnDate: null, cabin: "economy", adults: 1, children: 0, infants: 0, currency };
        const request = { ...trip, origins: [origin], destinations: [destination] };
        const offers = mergeOffers(SIMULATED_SOURCES.flatMap((source) => quote(market, request, source, observedAt)));
        const { written } = await recordSearch(db, { ...trip, origin, destination }, observedAt, toSnapshots(offers));
        snapshots += written;
        searches++;
        if (searches % 100 === 0) options.onProgress?.(searches, total);
      }
    }
  }
  await refreshContinuousAggregates(db);
  await db.execute(sql`ANALYZE price_snapshot`);
  await db
    .insert(appSetting)
    .values({ key: DEMO_HISTORY_KEY, value: DEMO_HISTORY_VERSION })
    .onConflictDoUpdate({ target: appSetting.key, set: { value: DEMO_HISTORY_VERSION, updatedAt: sql`now()` } });
  return { searches, snapshots };
}
