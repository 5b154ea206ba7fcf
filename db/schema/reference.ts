import { sql } from "drizzle-orm";
import { check, doublePrecision, index, integer, pgTable, primaryKey, smallint, text, timestamp } from "drizzle-orm/pg-core";
import { textC } from "./types";

/** Metropolitan (city) codes such as LON or NYC, which stand for several airports. */
export const metroArea = pgTable(
  "metro_area",
  {
    code: text("code").primaryKey(),
    name: text("name").notNull(),
    countryCode: text("country_code").notNull(),
    countryName: text("country_name").notNull(),
  },
  (t) => [check("metro_area_code_check", sql`${t.code} ~ '^[A-Z]{3}$'`)],
);

/** Airports with an IATA code and scheduled passenger service. */
export const airport = pgTable(
  "airport",
  {
    code: text("code").primaryKey(),
    icaoCode: text("icao_code"),
    name: text("name").notNull(),
    city: text("city"),
    countryCode: text("country_code").notNull(),
    countryName: text("country_name").notNull(),
    latitude: doublePrecision("latitude").notNull(),
    longitude: doublePrecision("longitude").notNull(),
    timeZone: text("time_zone").notNull(),
    /** large_airport | medium_airport | small_airport | seaplane_base | heliport */
    type: text("type").notNull(),
    /** 0 for large airports, then medium, small and the rest: the autocomplete's first ordering. */
    sizeRank: smallint("size_rank").notNull(),
    /** Within a size class, a longer runway is the best proxy for a bigger airport the data offers. */
    longestRunwayFt: integer("longest_runway_ft"),
    metroCode: text("metro_code").references(() => metroArea.code, { onDelete: "set null" }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("airport_code_check", sql`${t.code} ~ '^[A-Z]{3}$'`),
    index("airport_metro_code_idx").on(t.metroCode),
    index("airport_country_code_idx").on(t.countryCode),
  ],
);

/** Airlines with a two-character IATA designator that OpenFlights lists as active. */
export const airline = pgTable(
  "airline",
  {
    code: text("code").primaryKey(),
    icaoCode: text("icao_code"),
    name: text("name").notNull(),
    callsign: text("callsign"),
    countryCode: text("country_code"),
    countryName: text("country_name"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("airline_code_check", sql`${t.code} ~ '^[A-Z0-9]{2}$'`)],
);

/**
 * The autocomplete index: one row per normalised word (lower case, accents stripped) of a
 * place's code, name, city and country. `code` is an airport or a metro code; the table is
 * derived data that the seed rebuilds as a whole, so it carries no foreign key.
 */
export const placeSearchTerm = pgTable(
  "place_search_term",
  {
    term: textC("term").notNull(),
    code: text("code").notNull(),
    /** airport | metro */
    kind: text("kind").notNull(),
    /** How strongly the word identifies the place (code 100 ... country 20). */
    weight: smallint("weight").notNull(),
  },
  (t) => [primaryKey({ name: "place_search_term_pk", columns: [t.term, t.code] }), index("place_search_term_code_idx").on(t.code)],
);

/** Small key/value facts about this database, such as the version of the loaded reference data. */
export const appSetting = pgTable("app_setting", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
