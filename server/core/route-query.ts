import { z } from "zod";
import { countryCurrency } from "@/server/core/country-currency";
import { ValidationError, type FieldErrors } from "@/server/core/errors";
import { SUPPORTED_CURRENCIES } from "@/server/core/money";
import { CABINS } from "@/server/core/offer";
import { airportsOf, placeOf, type Place } from "@/server/core/places";
import type { Reference } from "@/server/core/reference";
import { DEFAULT_HISTORY_DAYS, HISTORY_RANGES } from "@/server/core/routes";
import { iataCode } from "@/server/core/search-query";

export interface Route {
  origin: Place;
  destination: Place;
  /** The airports each end stands for. */
  origins: string[];
  destinations: string[];
  /** The currency the route's prices are recorded in by default: the origin country's. */
  currency: string;
}

/** Two codes to a route; unknown codes are a ValidationError naming the field. */
export function resolveRoute(reference: Reference, originCode: string, destinationCode: string): Route {
  const origin = placeOf(reference, originCode.toUpperCase());
  const destination = placeOf(reference, destinationCode.toUpperCase());
  const errors: FieldErrors = {};
  if (!origin) errors.origin = [`${originCode} is not a known airport or city code`];
  if (!destination) errors.destination = [`${destinationCode} is not a known airport or city code`];
  if (!origin || !destination) throw new ValidationError(errors);
  const origins = airportsOf(origin);
  const destinations = airportsOf(destination);
  if (origins.some((code) => destinations.includes(code))) throw ValidationError.of("destination", "must differ from the origin");
  return { origin, destination, origins, destinations, currency: countryCurrency(origin.countryCode) };
}

/** A route as the route procedures take it (tRPC, and the route page through them). */
export const routeInputSchema = z
  .object({
    origin: iataCode,
    destination: iataCode,
    cabin: z.enum(CABINS, { error: `must be one of ${CABINS.join(", ")}` }).default("economy"),
    currency: z.enum(SUPPORTED_CURRENCIES as [string, ...string[]], { error: "must be a supported ISO 4217 currency code" }).optional(),
  })
  .strict();

export const routeHistoryInputSchema = routeInputSchema.extend({
  days: z.union(HISTORY_RANGES.map((d) => z.literal(d)), { error: `must be one of ${HISTORY_RANGES.join(", ")}` }).default(DEFAULT_HISTORY_DAYS),
  departureDate: z.iso.date("must be a date as YYYY-MM-DD").optional(),
});

export type RouteInput = z.output<typeof routeInputSchema>;
export type RouteHistoryInput = z.output<typeof routeHistoryInputSchema>;
