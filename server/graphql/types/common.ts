import type { z } from "zod";
import { ValidationError } from "@/server/core/errors";
import { CABINS, type Cabin } from "@/server/core/offer";
import { fieldErrorsFromZod } from "@/server/core/search-query";
import { placeOf, type Place } from "@/server/core/places";
import { builder } from "@/server/graphql/builder";

export interface MoneyValue {
  amount: number;
  currency: string;
}

export const Money = builder.objectRef<MoneyValue>("Money").implement({
  description: "An amount in major units (pounds, dollars) and its ISO 4217 currency.",
  fields: (t) => ({
    amount: t.exposeFloat("amount"),
    currency: t.exposeString("currency"),
  }),
});

/** Enum values in GraphQL's style (PREMIUM_ECONOMY) for the lower-case values the services use. */
export function enumValues<const T extends string>(values: readonly T[]) {
  return Object.fromEntries(values.map((value) => [value.toUpperCase(), { value }])) as { [K in T as Uppercase<K>]: { value: K } };
}

export const CabinClass = builder.enumType("CabinClass", { values: enumValues<Cabin>(CABINS) });

/** An airport of a flight: the contract's Airport (code, name, city, country), from the reference data in memory. */
export const Airport = builder.objectRef<{ code: string; name: string }>("Airport").implement({
  fields: (t) => ({
    code: t.exposeString("code", { description: "IATA airport code." }),
    name: t.exposeString("name"),
    city: t.string({ description: "The city it serves (the airport's own name where the data has no city).", resolve: (airport, _args, ctx) => cityOf(placeOf(ctx.reference, airport.code), airport.name) }),
    country: t.string({ description: "The country's name.", resolve: (airport, _args, ctx) => placeOf(ctx.reference, airport.code)?.countryName ?? "" }),
    countryCode: t.string({ description: "ISO 3166-1 alpha-2.", resolve: (airport, _args, ctx) => placeOf(ctx.reference, airport.code)?.countryCode ?? "" }),
  }),
});

function cityOf(place: Place | null, fallback: string): string {
  return place?.city ?? place?.name ?? fallback;
}

export const PlaceKind = builder.enumType("PlaceKind", { values: enumValues(["airport", "metro"] as const) });

/** An airport or a metropolitan code (LON: every London airport), as the airport search and a route give it. */
export const PlaceType = builder.objectRef<Place>("Place").implement({
  fields: (t) => ({
    code: t.exposeString("code"),
    kind: t.field({ type: PlaceKind, resolve: (place) => place.kind }),
    name: t.exposeString("name", { description: "The airport's name, or the city's for a metro code." }),
    city: t.exposeString("city", { nullable: true }),
    country: t.exposeString("countryName"),
    countryCode: t.exposeString("countryCode"),
    timeZone: t.exposeString("timeZone", { nullable: true, description: "IANA zone of an airport; null for a metro code." }),
    airports: t.exposeStringList("airports", { description: "For a metro code, the airports it stands for, largest first." }),
  }),
});

export const PageInfo = builder.objectRef<{ hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null }>("PageInfo").implement({
  fields: (t) => ({
    hasNextPage: t.exposeBoolean("hasNextPage"),
    hasPreviousPage: t.exposeBoolean("hasPreviousPage"),
    startCursor: t.exposeString("startCursor", { nullable: true }),
    endCursor: t.exposeString("endCursor", { nullable: true }),
  }),
});

/** GraphQL's explicit nulls as absent values, for inputs whose schemas take undefined for "not given". */
export function withoutNulls<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], null> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined)) as { [K in keyof T]: Exclude<T[K], null> };
}

/**
 * Arguments through the same zod schema as tRPC and REST take them; its field errors are named
 * as the GraphQL arguments are (`rename`: the schema's name to the argument's).
 */
export function parseArgs<S extends z.ZodType>(schema: S, value: unknown, rename: Record<string, string> = {}): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ValidationError(fieldErrorsFromZod(parsed.error, rename));
  return parsed.data;
}
