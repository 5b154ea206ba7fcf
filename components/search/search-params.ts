import type { FieldErrors } from "@/server/core/errors";
import type { Cabin } from "@/server/core/offer";
import { parseRestSearch, type SearchInput } from "@/server/core/search-query";

/**
 * The web pages' URLs use the REST API's parameter names, so a results URL is a whole search:
 * shareable, bookmarkable, and the same rules and messages apply everywhere.
 */

/** Parameters the pages add that are not part of a search. */
export const PAGE_ONLY_PARAMS = ["trip", "nojs", "from", "to"] as const;

/** What identifies the providers' answer: sort and filters are applied by the page. */
const LIST_PARAMS = ["airlines", "excludeAirlines"];

export type ResultsInput = Pick<SearchInput, "originCode" | "destinationCode" | "departureDate" | "returnDate" | "cabins" | "adults" | "children" | "infants" | "currency">;

export type WebSearchParse = { ok: true; input: SearchInput; results: ResultsInput } | { ok: false; errors: FieldErrors };

/** Parses a page's query string: empty fields (a plain HTML form sends them) count as absent. */
export function parseWebSearch(raw: URLSearchParams): WebSearchParse {
  const params = new URLSearchParams();
  for (const [key, value] of raw) {
    if ((PAGE_ONLY_PARAMS as readonly string[]).includes(key) || value.trim() === "") continue;
    // A plain form's checkboxes repeat the parameter; the API's form is one comma-separated list.
    if (LIST_PARAMS.includes(key) && params.has(key)) params.set(key, `${params.get(key)},${value}`);
    else params.append(key, value);
  }
  const parsed = parseRestSearch(params);
  if (!parsed.ok) return parsed;
  const { originCode, destinationCode, departureDate, returnDate, cabins, adults, children, infants, currency } = parsed.input;
  return { ok: true, input: parsed.input, results: { originCode, destinationCode, departureDate, returnDate, cabins, adults, children, infants, currency } };
}

export interface SearchFormValues {
  originCode: string;
  originLabel: string;
  destinationCode: string;
  destinationLabel: string;
  roundTrip: boolean;
  departureDate: string;
  returnDate: string;
  adults: number;
  children: number;
  infants: number;
  cabin: Cabin;
}

export function formParams(values: SearchFormValues): URLSearchParams {
  const params = new URLSearchParams({
    originCode: values.originCode,
    destinationCode: values.destinationCode,
    departureDate: values.departureDate,
  });
  if (values.roundTrip) params.set("returnDate", values.returnDate);
  if (values.cabin !== "economy") params.set("cabins", values.cabin);
  if (values.adults !== 1) params.set("adults", String(values.adults));
  if (values.children) params.set("children", String(values.children));
  if (values.infants) params.set("infants", String(values.infants));
  return params;
}
