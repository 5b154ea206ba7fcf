import { sql, type SQL } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import type { Place } from "@/server/core/places";

interface SuggestionRow extends Record<string, unknown> {
  code: string;
  kind: "airport" | "metro";
  name: string;
  city: string | null;
  country_code: string;
  country_name: string;
  time_zone: string | null;
  members: string | null;
}

/** Airports and metro codes every normalised word prefix-matches, best first (see searchPlaces). */
export async function findPlaces(db: Db, words: string[], limit: number): Promise<Place[]> {
  const rows = await queryRows<SuggestionRow>(db, placeSearchQuery(words, limit));
  return rows.map(toPlace);
}

/** The autocomplete statement for normalised words (exported so tests can EXPLAIN it). */
export function placeSearchQuery(words: string[], limit: number): SQL {
  // Words are passed as one space-separated string (normalised words never contain a space),
  // which both drivers bind the same way, unlike array parameters.
  return sql`
    WITH words AS (
      SELECT w.word COLLATE "C" AS word, w.ord
      FROM unnest(string_to_array(${words.join(" ")}::text, ' ')) WITH ORDINALITY AS w(word, ord)
    ),
    hits AS (
      SELECT t.code, t.kind, w.ord, max(t.weight) AS weight,
             bool_or(t.weight = 100 AND t.term = w.word) AS exact_code
      FROM words w
      JOIN place_search_term t ON t.term >= w.word AND t.term < w.word || chr(1114111)
      GROUP BY t.code, t.kind, w.ord
    ),
    matches AS (
      SELECT code, kind, min(weight) AS tier, sum(weight) AS score, bool_or(exact_code) AS exact_code
      FROM hits
      GROUP BY code, kind
      HAVING count(*) = ${words.length}::int
    )
    SELECT m.code, m.kind,
           coalesce(a.name, ma.name) AS name,
           CASE WHEN m.kind = 'metro' THEN ma.name ELSE a.city END AS city,
           coalesce(a.country_code, ma.country_code) AS country_code,
           coalesce(a.country_name, ma.country_name) AS country_name,
           a.time_zone,
           (SELECT string_agg(x.code, ',' ORDER BY x.size_rank, x.longest_runway_ft DESC NULLS LAST, x.code) FROM airport x WHERE x.metro_code = ma.code) AS members
    FROM matches m
    LEFT JOIN airport a ON m.kind = 'airport' AND a.code = m.code
    LEFT JOIN metro_area ma ON m.kind = 'metro' AND ma.code = m.code
    WHERE a.code IS NOT NULL OR ma.code IS NOT NULL
    ORDER BY m.exact_code DESC, m.tier DESC, coalesce(a.size_rank, -1), a.longest_runway_ft DESC NULLS LAST, m.score DESC, 3, m.code
    LIMIT ${limit}::int
  `;
}

function toPlace(row: SuggestionRow): Place {
  return {
    kind: row.kind,
    code: row.code,
    name: row.name,
    city: row.city,
    countryCode: row.country_code,
    countryName: row.country_name,
    timeZone: row.time_zone,
    airports: row.members ? row.members.split(",") : [],
  };
}
