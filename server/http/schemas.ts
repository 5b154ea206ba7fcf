import { z } from "zod";
import { SORTS } from "@/server/core/aggregate";
import { PRICE_LEVELS } from "@/server/core/insight";
import { CABINS } from "@/server/core/offer";
import { PROVIDER_STATUSES } from "@/server/core/provider-report";

/**
 * The public API's response shapes. They document the API (the OpenAPI document is generated
 * from them) and the tests validate real responses against that document.
 */

/** "PT7H40M": hours and minutes, as the seed contract's `format: duration` asks. */
const isoDurationSchema = z.string().regex(/^PT(\d+H)?\d+M$|^PT\d+H$/).meta({ format: "duration" });

const localTime = z.string().meta({ description: "Local time at the airport with its UTC offset (ISO 8601).", example: "2027-01-15T09:40:00+00:00" });
const airportRef = z
  .object({ code: z.string().meta({ example: "LHR" }), name: z.string().meta({ example: "London Heathrow Airport" }) })
  .meta({ id: "AirportRef" });

export const PriceSchema = z
  .object({
    amount: z.number().meta({ description: "In major units of the currency.", example: 452.3 }),
    currency: z.string().meta({ example: "GBP" }),
  })
  .meta({ id: "Price" });

export const SegmentSchema = z
  .object({
    airlineCode: z.string(),
    airlineName: z.string(),
    flightNumber: z.string().meta({ example: "BA 117" }),
    operatingAirlineCode: z.string().nullable(),
    origin: airportRef,
    destination: airportRef,
    departureTime: localTime,
    arrivalTime: localTime,
    duration: isoDurationSchema.meta({ description: "In the air, gate to gate (ISO 8601).", example: "PT7H40M" }),
    durationMinutes: z.int().meta({ description: "The same in minutes." }),
    aircraft: z.string().nullable(),
  })
  .meta({ id: "Segment" });

export const SliceSchema = z
  .object({
    origin: airportRef,
    destination: airportRef,
    departureTime: localTime,
    arrivalTime: localTime,
    duration: isoDurationSchema.meta({ description: "From first departure to last arrival (ISO 8601).", example: "PT9H55M" }),
    durationMinutes: z.int().meta({ description: "The same in minutes." }),
    stops: z.int(),
    layovers: z.array(z.object({ airport: airportRef, duration: isoDurationSchema.meta({ example: "PT1H25M" }), durationMinutes: z.int() })),
    segments: z.array(SegmentSchema),
  })
  .meta({ id: "Slice" });

export const SourceSchema = z
  .object({
    provider: z.string(),
    price: PriceSchema,
    deepLink: z.string().nullable(),
    expiresAt: z.string().nullable(),
    simulated: z.boolean(),
  })
  .meta({ id: "Source" });

export const FlightSchema = z
  .object({
    id: z.string().meta({ description: "Stable for the same flights, cabin and search." }),
    airlineCode: z.string().meta({ description: "Airline of the first flight.", example: "BA" }),
    airlineName: z.string().meta({ example: "British Airways" }),
    flightNumber: z.string().meta({ description: "Of the first flight.", example: "BA 117" }),
    origin: airportRef,
    destination: airportRef,
    departureTime: localTime.meta({ description: "Outbound departure, local time at the origin." }),
    arrivalTime: localTime.meta({ description: "Outbound arrival, local time at the destination." }),
    duration: isoDurationSchema.meta({
      description: "The outbound journey, connections included, as an ISO 8601 duration (the seed contract's form).",
      example: "PT7H40M",
    }),
    durationMinutes: z.int().meta({ description: "The same in whole minutes, for arithmetic." }),
    stops: z.int().meta({ description: "Stops on the outbound journey." }),
    price: PriceSchema.meta({ description: "Lowest total for the whole party, over all providers." }),
    cabin: z.enum(CABINS),
    deepLink: z.string().optional().meta({ description: "Where to book at that price; absent when the provider has no link (book by the source's offer instead)." }),
    pricePerAdult: PriceSchema,
    provider: z.string().meta({ description: "The provider with the lowest price." }),
    simulated: z.boolean().meta({ description: "True when the price comes from the simulated market, not a real seller." }),
    expiresAt: z.string().nullable(),
    slices: z.array(SliceSchema).meta({ description: "Outbound, then the return of a round trip." }),
    sources: z.array(SourceSchema).meta({ description: "Every provider that offered these flights, cheapest first." }),
  })
  .meta({ id: "Flight" });

export const ProviderStatusSchema = z
  .object({
    provider: z.string(),
    name: z.string(),
    status: z.enum(PROVIDER_STATUSES),
    latencyMs: z.int(),
    offerCount: z.int(),
    error: z.string().nullable(),
    simulated: z.boolean(),
  })
  .meta({ id: "ProviderStatus" });

const place = z
  .object({ code: z.string(), name: z.string(), kind: z.enum(["airport", "metro"]), airports: z.array(z.string()) })
  .meta({ id: "Place" });

export const PriceInsightSchema = z
  .object({
    status: z.enum(["ok", "insufficient"]).meta({ description: "insufficient: too little history to judge; no level is claimed." }),
    level: z.enum(PRICE_LEVELS).nullable().meta({ description: "The cheapest price against the typical range." }),
    cabin: z.enum(CABINS),
    currency: z.string(),
    cheapestPerAdult: z.number().nullable().meta({ description: "The price judged: cheapest offer in the cabin, per adult." }),
    typicalLow: z.number().nullable().meta({ description: "25th percentile of the daily cheapest price per adult." }),
    typicalHigh: z.number().nullable().meta({ description: "75th percentile of the daily cheapest price per adult." }),
    median: z.number().nullable(),
    observations: z.int().meta({ description: "Price snapshots the range rests on." }),
    days: z.int().meta({ description: "Distinct days of observation." }),
    lookbackDays: z.int(),
  })
  .meta({ id: "PriceInsight", description: "Low, typical or high against this route's history for departures near this date." });

export const SearchResponseSchema = z
  .object({
    flights: z.array(FlightSchema),
    lastUpdated: z.string().meta({ description: "When these prices were observed (ISO 8601)." }),
    totalResults: z.int().meta({ description: "Flights matching the filters, over all pages." }),
    currency: z.string(),
    nextCursor: z.string().nullable().meta({ description: "Pass as cursor for the next page; null on the last." }),
    cache: z.enum(["hit", "miss"]),
    simulated: z.boolean().meta({ description: "True when any price shown comes from the simulated market." }),
    providers: z.array(ProviderStatusSchema),
    insight: PriceInsightSchema.nullable(),
    search: z.object({
      origin: place,
      destination: place,
      departureDate: z.string(),
      returnDate: z.string().nullable(),
      cabins: z.array(z.enum(CABINS)),
      adults: z.int(),
      children: z.int(),
      infants: z.int(),
      sort: z.enum(SORTS),
    }),
  })
  .meta({ id: "FlightSearchResponse" });

export const ProblemSchema = z
  .object({
    type: z.string().optional(),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    errors: z
      .record(z.string(), z.array(z.string()))
      .optional()
      .meta({ description: "Messages per parameter.", example: { departureDate: ["must not be in the past"] } }),
  })
  .meta({ id: "Problem" });

export const PlaceSuggestionSchema = z
  .object({
    kind: z.enum(["airport", "metro"]),
    code: z.string(),
    name: z.string(),
    city: z.string().nullable(),
    countryCode: z.string(),
    countryName: z.string(),
    timeZone: z.string().nullable(),
    airports: z.array(z.string()),
  })
  .meta({ id: "PlaceSuggestion" });

export const AirportSearchResponseSchema = z.object({ places: z.array(PlaceSuggestionSchema) }).meta({ id: "AirportSearchResponse" });

export type SearchResponse = z.infer<typeof SearchResponseSchema>;
export type FlightDto = z.infer<typeof FlightSchema>;

