import { z } from "zod";
import { SORTS } from "@/server/core/aggregate";
import type { FieldErrors } from "@/server/core/errors";
import { SUPPORTED_CURRENCIES } from "@/server/core/money";
import { CABINS } from "@/server/core/offer";
import { CONTROL_CHARACTERS_MESSAGE, hasControlCharacters } from "@/server/core/text";
import { addDays, daysBetween } from "@/server/core/time";

// In the browser zod would compile its parsers with `new Function`, which the pages' CSP refuses
// (and even its probe for it is reported as a violation): parse without that there.
if (typeof window !== "undefined") z.config({ jitless: true });

/**
 * The one description of a flight search. The tRPC procedure takes `searchInputSchema` (typed
 * JSON); the REST endpoint takes `restSearchQuerySchema` (query-string text) which parses into
 * the same `SearchInput` with the same rules and messages; the OpenAPI document is generated
 * from these schemas. Rules that need the database (does the airport exist? what is today's
 * date at the origin?) are checked by the search service, reporting the same way.
 */

export const MAX_DAYS_AHEAD = 365;
export const MAX_PASSENGERS = 9;
export const MAX_RESULTS_PER_PAGE = 100;

/** Text a person or client typed: at most `max` characters, and no control characters. */
export const freeText = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !hasControlCharacters(s), CONTROL_CHARACTERS_MESSAGE);

/** An IATA airport or metro code, any case in, upper case out. */
export const iataCode = z
  .string()
  .trim()
  .regex(/^[A-Za-z]{3}$/, "must be a 3-letter IATA airport or city code, such as LHR or LON")
  .transform((s) => s.toUpperCase());

export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date as YYYY-MM-DD")
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), {
    message: "is not a real calendar date",
  });

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a time as HH:MM (00:00 to 23:59)");
const airlineCode = z.string().regex(/^[A-Z0-9]{2}$/, "must be 2-character IATA airline codes such as BA");
const cabin = z.enum(CABINS, { error: `must be one of ${CABINS.join(", ")}` });
const currency = z.enum(SUPPORTED_CURRENCIES as [string, ...string[]], {
  error: `must be a supported ISO 4217 currency code (${SUPPORTED_CURRENCIES.join(", ")})`,
});
const sort = z.enum(SORTS, { error: `must be one of ${SORTS.join(", ")}` });

const filtersSchema = z
  .object({
    maxStops: z.int().min(0).max(3).optional().meta({ description: "Most stops in each direction (0 = nonstop only)." }),
    airlines: z.array(airlineCode).max(20).optional().meta({ description: "Only itineraries flown entirely by these airlines." }),
    excludeAirlines: z.array(airlineCode).max(20).optional().meta({ description: "No flight by these airlines." }),
    departAfter: clock.optional().meta({ description: "Outbound departs at or after this local time." }),
    departBefore: clock.optional().meta({ description: "Outbound departs at or before this local time." }),
    arriveAfter: clock.optional().meta({ description: "Outbound arrives at or after this local time of day." }),
    arriveBefore: clock.optional().meta({ description: "Outbound arrives at or before this local time of day." }),
    maxDurationMinutes: z.int().min(30).max(4320).optional().meta({ description: "Longest journey per direction, in minutes." }),
    maxPrice: z.number().positive().max(1_000_000).optional().meta({ description: "Highest total price, in the result currency." }),
  })
  .strict();

export const searchInputSchema = z
  .object({
    originCode: iataCode.meta({ description: "IATA airport or metropolitan code of departure.", example: "LHR" }),
    destinationCode: iataCode.meta({ description: "IATA airport or metropolitan code of arrival.", example: "JFK" }),
    departureDate: isoDate.meta({ description: "Outbound date, local at the origin (YYYY-MM-DD).", example: "2027-01-15" }),
    returnDate: isoDate.optional().meta({ description: "Return date for a round trip; omit for one-way." }),
    cabins: z
      .array(cabin)
      .min(1, "must name at least one cabin")
      .max(CABINS.length)
      .default(["economy"])
      .meta({ description: "Cabins to search." }),
    adults: z.int().min(1, "must be at least 1").max(MAX_PASSENGERS).default(1),
    children: z.int().min(0).max(MAX_PASSENGERS - 1).default(0).meta({ description: "Passengers aged 2 to 11." }),
    infants: z.int().min(0).max(MAX_PASSENGERS - 1).default(0).meta({ description: "Passengers under 2, on a lap." }),
    currency: currency.optional().meta({ description: "Currency of the prices; default: the origin country's, else USD." }),
    sort: sort.default("best"),
    filters: filtersSchema.default({}),
    cursor: freeText(512).optional().meta({ description: "From `nextCursor` of the previous page." }),
    limit: z.int().min(1).max(MAX_RESULTS_PER_PAGE).default(20),
  })
  .strict()
  .superRefine((input, ctx) => {
    for (const [path, message] of crossFieldProblems(input)) ctx.addIssue({ code: "custom", path: [path], message });
  });

export type SearchInput = z.output<typeof searchInputSchema>;
export type SearchFilters = z.output<typeof filtersSchema>;

interface CrossFieldInput {
  originCode?: string;
  destinationCode?: string;
  departureDate?: string;
  returnDate?: string;
  cabins?: string[];
  adults?: number;
  children?: number;
  infants?: number;
  filters?: { departAfter?: string; departBefore?: string; airlines?: string[]; excludeAirlines?: string[] };
}

/**
 * Rules between fields, shared by both surfaces. Each rule runs when the fields it needs are
 * there, so that a request with several problems hears about all of them at once.
 */
export function crossFieldProblems(input: CrossFieldInput): [string, string][] {
  const problems: [string, string][] = [];
  const { originCode, destinationCode, departureDate, returnDate } = input;
  if (originCode && destinationCode && originCode === destinationCode) problems.push(["destinationCode", "must differ from originCode"]);
  const today = utcToday();
  if (departureDate) {
    // The earliest time zone is a day behind UTC: anything older is in the past everywhere.
    if (daysBetween(addDays(today, -1), departureDate) < 0) problems.push(["departureDate", "must not be in the past"]);
    if (daysBetween(today, departureDate) > MAX_DAYS_AHEAD) problems.push(["departureDate", `must be within ${MAX_DAYS_AHEAD} days from today`]);
  }
  if (returnDate) {
    if (departureDate && daysBetween(departureDate, returnDate) < 0) problems.push(["returnDate", "must not be before departureDate"]);
    if (daysBetween(today, returnDate) > MAX_DAYS_AHEAD) problems.push(["returnDate", `must be within ${MAX_DAYS_AHEAD} days from today`]);
  }
  if (input.cabins && new Set(input.cabins).size !== input.cabins.length) problems.push(["cabins", "must not repeat a cabin"]);
  const adults = input.adults ?? 1;
  const children = input.children ?? 0;
  const infants = input.infants ?? 0;
  if (input.infants !== undefined && infants > adults) problems.push(["infants", "must not be more than adults (one lap infant per adult)"]);
  if (adults + children + infants > MAX_PASSENGERS) problems.push(["adults", `adults, children and infants together must be at most ${MAX_PASSENGERS}`]);
  const f = input.filters ?? {};
  if (f.departAfter && f.departBefore && f.departAfter > f.departBefore) problems.push(["departBefore", "must not be before departAfter"]);
  if (f.airlines?.length && f.excludeAirlines?.some((a) => f.airlines!.includes(a))) {
    problems.push(["excludeAirlines", "must not name an airline that airlines includes"]);
  }
  return problems;
}

/** UTC today; the service refines "not in the past" with the origin's own date. */
function utcToday(): string {
  return new Date().toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------------
// REST: the same search as query-string parameters.

const MAX_PARAM_LENGTH = 200;

const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,6}$/, "must be a whole number")
    .transform(Number)
    .pipe(z.int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

const decimal = z
  .string()
  .regex(/^\d{1,7}(\.\d{1,2})?$/, "must be a number with at most 2 decimals")
  .transform(Number)
  .pipe(z.number().positive("must be more than 0"));

const list = <T extends z.ZodType<unknown, string>>(item: T, max: number) =>
  z
    .string()
    .transform((s) => s.split(",").map((part) => part.trim()))
    .pipe(z.array(item).min(1).max(max, `must list at most ${max}`));

/** Query parameters of GET /api/v1/flights/search, all text, described for the OpenAPI document. */
export const restSearchParams = {
  originCode: z.string().meta({ description: "IATA airport or metropolitan code of departure.", example: "LHR" }),
  destinationCode: z.string().meta({ description: "IATA airport or metropolitan code of arrival.", example: "JFK" }),
  departureDate: z.string().meta({ description: "Outbound date, local at the origin (YYYY-MM-DD).", example: "2027-01-15" }),
  returnDate: z.string().optional().meta({ description: "Return date (YYYY-MM-DD) for a round trip; omit for one-way." }),
  cabins: z.string().optional().meta({ description: `Comma-separated: ${CABINS.join(", ")}. Default economy.`, example: "economy,business" }),
  adults: z.string().optional().meta({ description: "Passengers aged 12 and over, 1 to 9. Default 1.", example: "1" }),
  children: z.string().optional().meta({ description: "Passengers aged 2 to 11. Default 0." }),
  infants: z.string().optional().meta({ description: "Passengers under 2 on a lap, at most one per adult. Default 0." }),
  currency: z.string().optional().meta({ description: "ISO 4217 code of the prices. Default: the origin country's currency, else USD." }),
  sort: z.string().optional().meta({ description: "best (default), cheapest or fastest." }),
  maxStops: z.string().optional().meta({ description: "Most stops in each direction, 0 to 3." }),
  airlines: z.string().optional().meta({ description: "Comma-separated IATA airline codes: only itineraries flown entirely by them." }),
  excludeAirlines: z.string().optional().meta({ description: "Comma-separated IATA airline codes to leave out." }),
  departAfter: z.string().optional().meta({ description: "Outbound departs at or after this local time (HH:MM)." }),
  departBefore: z.string().optional().meta({ description: "Outbound departs at or before this local time (HH:MM)." }),
  arriveAfter: z.string().optional().meta({ description: "Outbound arrives at or after this local time of day (HH:MM)." }),
  arriveBefore: z.string().optional().meta({ description: "Outbound arrives at or before this local time of day (HH:MM)." }),
  maxDuration: z.string().optional().meta({ description: "Longest journey per direction, in minutes." }),
  maxPrice: z.string().optional().meta({ description: "Highest total price in the result currency, such as 450 or 450.50." }),
  cursor: z.string().optional().meta({ description: "nextCursor of the previous page." }),
  limit: z.string().optional().meta({ description: `Results per page, 1 to ${MAX_RESULTS_PER_PAGE}. Default 20.` }),
} as const;

export type RestSearchParam = keyof typeof restSearchParams;

const restParsers: Record<RestSearchParam, z.ZodType> = {
  originCode: iataCode,
  destinationCode: iataCode,
  departureDate: isoDate,
  returnDate: isoDate,
  cabins: list(cabin, CABINS.length),
  adults: wholeNumber(1, MAX_PASSENGERS),
  children: wholeNumber(0, MAX_PASSENGERS - 1),
  infants: wholeNumber(0, MAX_PASSENGERS - 1),
  currency: z.string().transform((s) => s.toUpperCase()).pipe(currency),
  sort,
  maxStops: wholeNumber(0, 3),
  airlines: z.string().transform((s) => s.toUpperCase()).pipe(list(airlineCode, 20)),
  excludeAirlines: z.string().transform((s) => s.toUpperCase()).pipe(list(airlineCode, 20)),
  departAfter: clock,
  departBefore: clock,
  arriveAfter: clock,
  arriveBefore: clock,
  maxDuration: wholeNumber(30, 4320),
  maxPrice: decimal,
  cursor: freeText(512),
  limit: wholeNumber(1, MAX_RESULTS_PER_PAGE),
};

export type ParseResult = { ok: true; input: SearchInput } | { ok: false; errors: FieldErrors };

/**
 * Parses the query string of a REST search. Every problem is reported against the parameter's
 * name: unknown, repeated, oversized, malformed, out of range, or inconsistent with another.
 */
export function parseRestSearch(params: URLSearchParams): ParseResult {
  const errors: FieldErrors = {};
  const add = (field: string, message: string) => (errors[field] ??= []).push(message);
  const values: Partial<Record<RestSearchParam, unknown>> = {};
  const seen = new Map<string, number>();
  for (const key of params.keys()) seen.set(key, (seen.get(key) ?? 0) + 1);
  for (const [key, count] of seen) {
    if (!(key in restParsers)) {
      add(key.length > 40 ? `${key.slice(0, 40)}...` : key, "is not a parameter of this endpoint");
      continue;
    }
    if (count > 1) {
      add(key, "must be given once");
      continue;
    }
    const raw = params.get(key)!;
    if (raw.length > MAX_PARAM_LENGTH) {
      add(key, `must be at most ${MAX_PARAM_LENGTH} characters`);
      continue;
    }
    if (hasControlCharacters(raw)) {
      add(key, CONTROL_CHARACTERS_MESSAGE);
      continue;
    }
    const parsed = restParsers[key as RestSearchParam].safeParse(raw);
    if (parsed.success) values[key as RestSearchParam] = parsed.data;
    else for (const issue of parsed.error.issues) add(key, issue.message);
  }
  for (const required of ["originCode", "destinationCode", "departureDate"] as const) {
    if (!seen.has(required)) add(required, "is required");
  }
  if (Object.keys(errors).length > 0) {
    const partial = values as CrossFieldInput & Record<string, unknown>;
    const filters = { departAfter: values.departAfter, departBefore: values.departBefore, airlines: values.airlines, excludeAirlines: values.excludeAirlines };
    for (const [field, message] of crossFieldProblems({ ...partial, filters } as CrossFieldInput)) {
      if (!errors[field]) add(field, message);
    }
    return { ok: false, errors };
  }

  const input = {
    originCode: values.originCode,
    destinationCode: values.destinationCode,
    departureDate: values.departureDate,
    returnDate: values.returnDate,
    cabins: values.cabins,
    adults: values.adults,
    children: values.children,
    infants: values.infants,
    currency: values.currency,
    sort: values.sort,
    cursor: values.cursor,
    limit: values.limit,
    filters: Object.fromEntries(
      Object.entries({
        maxStops: values.maxStops,
        airlines: values.airlines,
        excludeAirlines: values.excludeAirlines,
        departAfter: values.departAfter,
        departBefore: values.departBefore,
        arriveAfter: values.arriveAfter,
        arriveBefore: values.arriveBefore,
        maxDurationMinutes: values.maxDuration,
        maxPrice: values.maxPrice,
      }).filter(([, v]) => v !== undefined),
    ),
  };
  const result = searchInputSchema.safeParse(input);
  if (result.success) return { ok: true, input: result.data };
  return { ok: false, errors: fieldErrorsFromZod(result.error, REST_FIELD_NAMES) };
}

/** Where the typed input's paths differ from the REST parameter names. */
const REST_FIELD_NAMES: Record<string, string> = { maxDurationMinutes: "maxDuration" };

/** Zod issues as messages per field: the first path element, or the filter's own name. */
export function fieldErrorsFromZod(error: z.ZodError, rename: Record<string, string> = {}): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const path = issue.path.map(String);
    const field = path[0] === "filters" && path[1] ? path[1] : (path[0] ?? "request");
    (errors[rename[field] ?? field] ??= []).push(issue.message);
  }
  return errors;
}
