import { z } from "zod";
import { findPlaces } from "@/db/queries/places";
import type { Place } from "@/server/core/places";
import { freeText } from "@/server/core/search-query";
import { searchWords } from "@/server/core/text";
import type { AppContext } from "@/server/context";

export const PLACE_SEARCH_MAX_LIMIT = 50;
export const PLACE_QUERY_MAX_LENGTH = 64;
const MAX_WORDS = 6;

/** An airport search as tRPC and GraphQL take it (REST reads the same from its query string). */
export const placeSearchInput = z.object({ query: freeText(PLACE_QUERY_MAX_LENGTH), limit: z.int().min(1).max(PLACE_SEARCH_MAX_LIMIT).default(10) }).strict();

/**
 * Autocomplete over airports and metro codes by code, name, city or country, accent- and
 * case-insensitive. Every word typed must prefix-match a word of the place (so "new yo" finds
 * New York). Order: an exact code first; then by the weakest word's match (code or city, then
 * airport name, ICAO code, country); then metro codes, then airports by size class and, within
 * one, by longest runway (LHR before LCY).
 * Each word is one range scan of the `place_search_term` btree index, never a table scan.
 */
export async function searchPlaces(ctx: Pick<AppContext, "db">, query: string, options: { limit?: number } = {}): Promise<Place[]> {
  const words = searchWords(query.slice(0, PLACE_QUERY_MAX_LENGTH)).slice(0, MAX_WORDS);
  if (words.length === 0) return [];
  const limit = Math.min(Math.max(Math.trunc(options.limit ?? 10), 1), PLACE_SEARCH_MAX_LIMIT);
  return findPlaces(ctx.db, words, limit);
}
