import { z } from "zod";
import type { CanonicalQuery } from "@/server/core/canonical-query";
import { SUPPORTED_CURRENCIES } from "@/server/core/money";
import { CABINS, type Cabin } from "@/server/core/offer";
import { iataCode, isoDate, MAX_DAYS_AHEAD, MAX_PASSENGERS } from "@/server/core/search-query";
import { addDays, daysBetween } from "@/server/core/time";
import { expandFlexible, MAX_QUERIES_PER_ROUTE } from "./ingestion-schedule";

/**
 * What a user can track (issue 11), as tRPC and REST take it, and the concrete searches each
 * kind stands for. Pure: the services check what needs the reference data and the database.
 */

export const TRACKED_KINDS = ["exact", "flexible", "itinerary"] as const;
export type TrackedKind = (typeof TRACKED_KINDS)[number];
export const TRACKED_STATUSES = ["active", "paused"] as const;
export type TrackedStatus = (typeof TRACKED_STATUSES)[number];

/** The widest window of departures a flexible route may cover, and the longest stay. */
export const MAX_FLEXIBLE_WINDOW_DAYS = 62;
export const MAX_NIGHTS = 30;

/** "ba117" or "BA 117" in, "BA 117" out: the form offers and snapshots carry. */
const flightNumber = z
  .string()
  .transform((s) => s.trim().toUpperCase())
  .pipe(z.string().regex(/^[A-Z0-9]{2} ?\d{1,4}[A-Z]?$/, "must be flight numbers such as BA 117"))
  .transform((s) => `${s.slice(0, 2)} ${s.slice(2).trim()}`);

const definitionShape = {
  kind: z.enum(TRACKED_KINDS, { error: `must be one of ${TRACKED_KINDS.join(", ")}` }).meta({
    description: "exact: these dates; flexible: the lowest price across a window of departures (and lengths of stay); itinerary: these flights only.",
  }),
  originCode: iataCode.meta({ description: "IATA airport or metropolitan code of departure.", example: "LON" }),
  destinationCode: iataCode.meta({ description: "IATA airport or metropolitan code of arrival.", example: "NYC" }),
  departureDate: isoDate.optional().meta({ description: "exact and itinerary: the outbound date (YYYY-MM-DD)." }),
  returnDate: isoDate.optional().meta({ description: "exact and itinerary: the return date of a round trip." }),
  departFrom: isoDate.optional().meta({ description: "flexible: the first departure date of the window." }),
  departTo: isoDate.optional().meta({ description: `flexible: the last departure date (at most ${MAX_FLEXIBLE_WINDOW_DAYS} days after departFrom).` }),
  nights: z
    .object({ min: z.int().min(0).max(MAX_NIGHTS), max: z.int().min(0).max(MAX_NIGHTS) })
    .strict()
    .optional()
    .meta({ description: "flexible round trips: nights away, such as {min: 5, max: 9}; omit for one-way." }),
  cabin: z.enum(CABINS, { error: `must be one of ${CABINS.join(", ")}` }).default("economy"),
  adults: z.int().min(1, "must be at least 1").max(MAX_PASSENGERS).default(1),
  children: z.int().min(0).max(MAX_PASSENGERS - 1).default(0),
  infants: z.int().min(0).max(MAX_PASSENGERS - 1).default(0),
  currency: z
    .enum(SUPPORTED_CURRENCIES as [string, ...string[]], { error: `must be a supported ISO 4217 currency code (${SUPPORTED_CURRENCIES.join(", ")})` })
    .optional()
    .meta({ description: "Currency of the prices; default: the origin country's, else USD." }),
  maxStops: z.int().min(0).max(3).nullable().optional().meta({ description: "Most stops in each direction (0 = nonstop only)." }),
  airlines: z
    .array(z.string().regex(/^[A-Z0-9]{2}$/, "must be 2-character IATA airline codes such as BA"))
    .max(20)
    .nullable()
    .optional()
    .meta({ description: "Only itineraries flown entirely by these airlines." }),
  flightNumbers: z.array(flightNumber).min(1).max(12).optional().meta({ description: "itinerary: its flight numbers, outbound then return.", example: ["BA117"] }),
};

interface DefinitionFields {
  kind?: TrackedKind;
  departureDate?: string;
  returnDate?: string;
  departFrom?: string;
  departTo?: string;
  nights?: { min: number; max: number };
  adults?: number;
  children?: number;
  infants?: number;
  originCode?: string;
  destinationCode?: string;
  flightNumbers?: string[];
}

/** Rules between fields; each runs when its fields are there, so every problem is reported at once. */
export function definitionProblems(input: DefinitionFields, today: string): [string, string][] {
  const problems: [string, string][] = [];
  const pastOrFar = (field: string, date: string | undefined) => {
    if (!date) return;
    if (daysBetween(addDays(today, -1), date) < 0) problems.push([field, "must not be in the past"]);
    else if (daysBetween(today, date) > MAX_DAYS_AHEAD) problems.push([field, `must be within ${MAX_DAYS_AHEAD} days from today`]);
  };
  if (input.originCode && input.originCode === input.destinationCode) problems.push(["destinationCode", "must differ from originCode"]);
  if (input.kind === "flexible") {
    if (!input.departFrom) problems.push(["departFrom", "is required for a flexible route"]);
    if (!input.departTo) problems.push(["departTo", "is required for a flexible route"]);
    for (const field of ["departureDate", "returnDate", "flightNumbers"] as const) if (input[field] !== undefined) problems.push([field, "is not used by a flexible route (use departFrom and departTo)"]);
    pastOrFar("departTo", input.departTo);
    if (input.departFrom && input.departTo) {
      const days = daysBetween(input.departFrom, input.departTo);
      if (days < 0) problems.push(["departTo", "must not be before departFrom"]);
      else if (days > MAX_FLEXIBLE_WINDOW_DAYS) problems.push(["departTo", `must be at most ${MAX_FLEXIBLE_WINDOW_DAYS} days after departFrom`]);
    }
    if (input.nights && input.nights.min > input.nights.max) problems.push(["nights", "min must not be more than max"]);
  } else if (input.kind) {
    if (!input.departureDate) problems.push(["departureDate", `is required for ${input.kind === "exact" ? "an exact" : "an itinerary"} route`]);
    for (const field of ["departFrom", "departTo", "nights"] as const) if (input[field] !== undefined) problems.push([field, "is only for a flexible route"]);
    pastOrFar("departureDate", input.departureDate);
    pastOrFar("returnDate", input.returnDate);
    if (input.departureDate && input.returnDate && daysBetween(input.departureDate, input.returnDate) < 0) problems.push(["returnDate", "must not be before departureDate"]);
    if (input.kind === "itinerary" && !input.flightNumbers?.length) problems.push(["flightNumbers", "are required to track one itinerary"]);
    if (input.kind === "exact" && input.flightNumbers !== undefined) problems.push(["flightNumbers", "are only for an itinerary route"]);
  }
  const adults = input.adults ?? 1;
  if ((input.infants ?? 0) > adults) problems.push(["infants", "must not be more than adults (one lap infant per adult)"]);
  if (adults + (input.children ?? 0) + (input.infants ?? 0) > MAX_PASSENGERS) problems.push(["adults", `adults, children and infants together must be at most ${MAX_PASSENGERS}`]);
  return problems;
}

const utcToday = () => new Date().toISOString().slice(0, 10);

/** A new tracked route. */
export const trackRouteInput = z
  .object(definitionShape)
  .strict()
  .superRefine((input, ctx) => {
    for (const [path, message] of definitionProblems(input, utcToday())) ctx.addIssue({ code: "custom", path: [path], message });
  });
export type TrackRouteInput = z.output<typeof trackRouteInput>;

export const trackedRouteIdInput = z.object({ id: z.uuid("must be a tracked route's id") });

/**
 * A change: the status (pause, resume) and any field of the definition. The service merges it
 * with the stored route and checks the whole again with the rules above; `null` clears a filter.
 */
export const updateTrackedRouteInput = z
  .object({
    status: z.enum(TRACKED_STATUSES, { error: "must be active or paused" }).optional(),
    departureDate: definitionShape.departureDate,
    returnDate: isoDate.nullable().optional(),
    departFrom: definitionShape.departFrom,
    departTo: definitionShape.departTo,
    nights: definitionShape.nights.unwrap().nullable().optional(),
    cabin: z.enum(CABINS, { error: `must be one of ${CABINS.join(", ")}` }).optional(),
    adults: z.int().min(1, "must be at least 1").max(MAX_PASSENGERS).optional(),
    children: z.int().min(0).max(MAX_PASSENGERS - 1).optional(),
    infants: z.int().min(0).max(MAX_PASSENGERS - 1).optional(),
    maxStops: definitionShape.maxStops,
    airlines: definitionShape.airlines,
    flightNumbers: definitionShape.flightNumbers,
  })
  .strict();
export type UpdateTrackedRouteInput = z.output<typeof updateTrackedRouteInput>;

/** A tracked route's definition as stored (codes resolved, currency chosen). */
export interface TrackedDefinition {
  kind: TrackedKind;
  origin: string;
  destination: string;
  departureDate: string | null;
  returnDate: string | null;
  departFrom: string | null;
  departTo: string | null;
  nightsMin: number | null;
  nightsMax: number | null;
  cabin: Cabin;
  adults: number;
  children: number;
  infants: number;
  currency: string;
  maxStops: number | null;
  airlines: string[] | null;
  flightNumbers: string[] | null;
}

/**
 * The canonical queries that refresh a tracked route: its one search, or for a flexible route
 * every (departure, return) pair from today on in its window, at most MAX_QUERIES_PER_ROUTE
 * (expandFlexible keeps evenly spaced ones past that).
 */
export function queriesOf(route: TrackedDefinition, today: string): CanonicalQuery[] {
  const base = { origin: route.origin, destination: route.destination, cabin: route.cabin, adults: route.adults, children: route.children, infants: route.infants, currency: route.currency };
  if (route.kind !== "flexible") return [{ ...base, departureDate: route.departureDate!, returnDate: route.returnDate }];
  const nights = route.nightsMin === null ? undefined : { min: route.nightsMin, max: route.nightsMax! };
  return expandFlexible({ departFrom: route.departFrom!, departTo: route.departTo!, nights }, today, MAX_QUERIES_PER_ROUTE).map((pair) => ({
    ...base,
    departureDate: pair.departureDate,
    returnDate: pair.returnDate ?? null,
  }));
}

/** The last departure a route covers: after it the route has expired. */
export function lastDeparture(route: Pick<TrackedDefinition, "departureDate" | "departTo">): string {
  return route.departTo ?? route.departureDate!;
}

/** What the Tracked page shows as a route's state. */
export type TrackedState = TrackedStatus | "expired";

export function stateOf(route: Pick<TrackedDefinition, "departureDate" | "departTo"> & { status: TrackedStatus }, today: string): TrackedState {
  return lastDeparture(route) < today ? "expired" : route.status;
}

/** What decides which offers count for a route: its filters, or its one itinerary. */
export interface TrackedFilter {
  maxStops: number | null;
  airlines: string[] | null;
  /** An itinerary route: only offers with exactly these flight numbers. */
  flightNumbers: string[] | null;
}

/**
 * The lowest-priced offer (total for the party) among those the route counts, or null when none
 * does. Snapshots keep the stops of the whole trip, so "at most N stops each way" allows N per
 * direction flown (`directions`: 2 for a round trip).
 */
export function trackedLow<T extends { priceMinor: number; stops: number; carriers: string[]; flightNumbers: string[] }>(
  filter: TrackedFilter,
  offers: readonly T[],
  directions: 1 | 2,
): T | null {
  let best: T | null = null;
  for (const offer of offers) {
    if (filter.maxStops !== null && offer.stops > filter.maxStops * directions) continue;
    if (filter.airlines?.length && !offer.carriers.every((c) => filter.airlines!.includes(c))) continue;
    if (filter.flightNumbers && !sameFlights(offer.flightNumbers, filter.flightNumbers)) continue;
    if (!best || offer.priceMinor < best.priceMinor) best = offer;
  }
  return best;
}

const compact = (flight: string) => flight.replace(/\s+/g, "");

function sameFlights(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((n, i) => compact(n) === compact(b[i]!));
}

/** Fields of a "Track prices" form (all text) that hold numbers, and those that hold lists. */
const NUMBER_FIELDS = ["adults", "children", "infants", "maxStops"] as const;
const LIST_FIELDS = ["airlines", "flightNumbers"] as const;

/**
 * A "Track prices" form's fields as the object trackRouteInput parses (the page forms post
 * text): blanks left out, numbers and comma-separated lists converted, nights from
 * nightsMin/nightsMax. What is malformed stays as it came, for the schema to name.
 */
export function trackFormInput(form: { get(name: string): unknown }): Record<string, unknown> {
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
  };
  const input: Record<string, unknown> = {};
  for (const name of ["kind", "originCode", "destinationCode", "departureDate", "returnDate", "departFrom", "departTo", "cabin", "currency"]) {
    const value = text(name);
    if (value !== undefined) input[name] = value;
  }
  for (const name of NUMBER_FIELDS) {
    const value = text(name);
    if (value !== undefined) input[name] = /^\d{1,3}$/.test(value) ? Number(value) : value;
  }
  for (const name of LIST_FIELDS) {
    const value = text(name);
    if (value !== undefined) input[name] = value.split(",").map((part) => part.trim()).filter(Boolean);
  }
  const [min, max] = [text("nightsMin"), text("nightsMax")];
  if (min !== undefined || max !== undefined) input.nights = { min: min === undefined ? undefined : Number(min), max: max === undefined ? undefined : Number(max) };
  return input;
}
