import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  numeric,
  pgEnum,
  pgTable,
  pgView,
  primaryKey,
  smallint,
  text,
  timestamp,
  unique,
} from "drizzle-orm/pg-core";

// The same list as CABINS in server/core/offer.ts (a test checks); the schema stays free of app imports for drizzle-kit.
export const cabinValues = ["economy", "premium_economy", "business", "first"] as const;
export const cabin = pgEnum("cabin", cabinValues);

/**
 * One canonical search: the same route, dates, cabin, party and currency is one row however
 * often it is searched. `origin` and `destination` are the codes as searched, which may be
 * metro codes (LON), so they carry no foreign key.
 */
export const flightQuery = pgTable(
  "flight_query",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    origin: text("origin").notNull(),
    destination: text("destination").notNull(),
    departureDate: date("departure_date", { mode: "string" }).notNull(),
    returnDate: date("return_date", { mode: "string" }),
    cabin: cabin("cabin").notNull(),
    adults: smallint("adults").notNull().default(1),
    children: smallint("children").notNull().default(0),
    infants: smallint("infants").notNull().default(0),
    currency: text("currency").notNull(),
    firstSearchedAt: timestamp("first_searched_at", { withTimezone: true }).notNull().defaultNow(),
    lastSearchedAt: timestamp("last_searched_at", { withTimezone: true }).notNull().defaultNow(),
    searchCount: integer("search_count").notNull().default(1),
  },
  (t) => [
    // A one-way search has no return date; NULLS NOT DISTINCT keeps it one row all the same.
    unique("flight_query_canonical_key")
      .on(t.origin, t.destination, t.departureDate, t.returnDate, t.cabin, t.adults, t.children, t.infants, t.currency)
      .nullsNotDistinct(),
    check("flight_query_codes_check", sql`${t.origin} ~ '^[A-Z]{3}$' AND ${t.destination} ~ '^[A-Z]{3}$' AND ${t.origin} <> ${t.destination}`),
    check("flight_query_dates_check", sql`${t.returnDate} IS NULL OR ${t.returnDate} >= ${t.departureDate}`),
    check(
      "flight_query_party_check",
      sql`${t.adults} BETWEEN 1 AND 9 AND ${t.children} >= 0 AND ${t.infants} BETWEEN 0 AND ${t.adults} AND ${t.adults} + ${t.children} + ${t.infants} <= 9`,
    ),
    check("flight_query_currency_check", sql`${t.currency} ~ '^[A-Z]{3}$'`),
  ],
);

/**
 * One row per offer seen by one search. A hypertable on `observed_at` where TimescaleDB is
 * present (see the hand-written migration), a plain table otherwise. The route, dates and
 * cabin are copied from the query so that history reads, compression (segmented by route)
 * and the daily aggregate need no join.
 */
export const priceSnapshot = pgTable(
  "price_snapshot",
  {
    observedAt: timestamp("observed_at", { withTimezone: true }).notNull(),
    queryId: bigint("query_id", { mode: "number" })
      .notNull()
      .references(() => flightQuery.id, { onDelete: "cascade" }),
    provider: text("provider").notNull(),
    /** Stable across searches and providers for the same flights at the same times. */
    itineraryKey: text("itinerary_key").notNull(),
    /** The airports actually flown from and to (a LON search yields LHR, LGW, ...). */
    origin: text("origin").notNull(),
    destination: text("destination").notNull(),
    departureDate: date("departure_date", { mode: "string" }).notNull(),
    returnDate: date("return_date", { mode: "string" }),
    cabin: cabin("cabin").notNull(),
    carriers: text("carriers").array().notNull(),
    flightNumbers: text("flight_numbers").array().notNull(),
    stops: smallint("stops").notNull(),
    departureAt: timestamp("departure_at", { withTimezone: true }).notNull(),
    arrivalAt: timestamp("arrival_at", { withTimezone: true }).notNull(),
    returnDepartureAt: timestamp("return_departure_at", { withTimezone: true }),
    returnArrivalAt: timestamp("return_arrival_at", { withTimezone: true }),
    durationMinutes: integer("duration_minutes").notNull(),
    /** Total for the whole party, in minor units of `currency`. */
    priceMinor: bigint("price_minor", { mode: "number" }).notNull(),
    /** What one adult pays: the figure history and insights compare, whatever the party. */
    pricePerAdultMinor: bigint("price_per_adult_minor", { mode: "number" }).notNull(),
    currency: text("currency").notNull(),
    /** From the simulated market or a provider's test mode: not a fare anyone can buy. */
    simulated: boolean("simulated").notNull().default(false),
    deepLink: text("deep_link"),
    offerRef: text("offer_ref"),
    offerExpiresAt: timestamp("offer_expires_at", { withTimezone: true }),
  },
  (t) => [
    // The time column is part of every unique key of a hypertable.
    primaryKey({ name: "price_snapshot_pk", columns: [t.queryId, t.provider, t.itineraryKey, t.observedAt] }),
    index("price_snapshot_route_departure_idx").on(t.origin, t.destination, t.departureDate, t.observedAt),
    check("price_snapshot_price_check", sql`${t.priceMinor} >= 0 AND ${t.pricePerAdultMinor} >= 0`),
    check("price_snapshot_stops_check", sql`${t.stops} >= 0 AND ${t.durationMinutes} > 0`),
  ],
);

/**
 * Daily read model over `price_snapshot`: per UTC day of observation, route, dates, cabin and
 * currency, the min / avg / max price per adult and the number of snapshots. A real-time
 * continuous aggregate on TimescaleDB, a plain view elsewhere; created by the hand-written
 * migration, so drizzle-kit leaves it alone (`existing`).
 */
export const priceDaily = pgView("price_daily", {
  day: timestamp("day", { withTimezone: true }).notNull(),
  origin: text("origin").notNull(),
  destination: text("destination").notNull(),
  departureDate: date("departure_date", { mode: "string" }).notNull(),
  returnDate: date("return_date", { mode: "string" }),
  cabin: cabin("cabin").notNull(),
  currency: text("currency").notNull(),
  minPriceMinor: bigint("min_price_minor", { mode: "number" }).notNull(),
  avgPriceMinor: numeric("avg_price_minor", { mode: "number" }).notNull(),
  maxPriceMinor: bigint("max_price_minor", { mode: "number" }).notNull(),
  sampleCount: bigint("sample_count", { mode: "number" }).notNull(),
}).existing();
