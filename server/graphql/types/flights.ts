import { SORTS } from "@/server/core/aggregate";
import { PRICE_LEVELS } from "@/server/core/insight";
import { connectionSlice, connectionWindow, resultFingerprint } from "@/server/core/pagination";
import { namesFrom } from "@/server/core/places";
import { PROVIDER_STATUSES } from "@/server/core/provider-report";
import { MAX_RESULTS_PER_PAGE, searchInputSchema } from "@/server/core/search-query";
import { builder, SEARCH_COST } from "@/server/graphql/builder";
import { limited, scoped } from "@/server/graphql/access";
import { flightDto, insightDto, providerDtos } from "@/server/http/flights-dto";
import type { FlightDto, SearchResponse } from "@/server/http/schemas";
import { searchFlights } from "@/server/services/search/search-flights";
import { Airport, CabinClass, enumValues, Money, PageInfo, parseArgs, withoutNulls, type MoneyValue } from "./common";

type SliceDto = FlightDto["slices"][number];
type SegmentDto = SliceDto["segments"][number];

const Segment = builder.objectRef<SegmentDto>("Segment").implement({
  description: "One flight of a journey.",
  fields: (t) => ({
    airlineCode: t.exposeString("airlineCode", { description: "The marketing carrier (IATA)." }),
    airlineName: t.exposeString("airlineName"),
    flightNumber: t.exposeString("flightNumber"),
    operatingAirlineCode: t.exposeString("operatingAirlineCode", { nullable: true }),
    origin: t.field({ type: Airport, resolve: (s) => s.origin }),
    destination: t.field({ type: Airport, resolve: (s) => s.destination }),
    departureTime: t.expose("departureTime", { type: "DateTime" }),
    arrivalTime: t.expose("arrivalTime", { type: "DateTime" }),
    duration: t.expose("duration", { type: "Duration", description: "In the air, gate to gate." }),
    durationMinutes: t.exposeInt("durationMinutes"),
    aircraft: t.exposeString("aircraft", { nullable: true }),
  }),
});

const Layover = builder.objectRef<SliceDto["layovers"][number]>("Layover").implement({
  fields: (t) => ({
    airport: t.field({ type: Airport, resolve: (l) => l.airport }),
    duration: t.expose("duration", { type: "Duration" }),
    durationMinutes: t.exposeInt("durationMinutes"),
  }),
});

const Slice = builder.objectRef<SliceDto>("Slice").implement({
  description: "One direction of a trip: the outbound, or the return.",
  fields: (t) => ({
    origin: t.field({ type: Airport, resolve: (s) => s.origin }),
    destination: t.field({ type: Airport, resolve: (s) => s.destination }),
    departureTime: t.expose("departureTime", { type: "DateTime" }),
    arrivalTime: t.expose("arrivalTime", { type: "DateTime" }),
    duration: t.expose("duration", { type: "Duration" }),
    durationMinutes: t.exposeInt("durationMinutes"),
    stops: t.exposeInt("stops"),
    layovers: t.field({ type: [Layover], complexity: { field: 1, multiplier: 3 }, resolve: (s) => s.layovers }),
    segments: t.field({ type: [Segment], complexity: { field: 1, multiplier: 4 }, resolve: (s) => s.segments }),
  }),
});

const FlightSource = builder.objectRef<FlightDto["sources"][number]>("FlightSource").implement({
  description: "One provider's price for the same itinerary (the cheapest is the flight's price).",
  fields: (t) => ({
    provider: t.exposeString("provider"),
    price: t.field({ type: Money, resolve: (s) => s.price }),
    deepLink: t.exposeString("deepLink", { nullable: true }),
    expiresAt: t.expose("expiresAt", { type: "DateTime", nullable: true }),
    simulated: t.exposeBoolean("simulated", { description: "A price of the simulated market, not a real fare." }),
  }),
});

export const Flight = builder.objectRef<FlightDto>("Flight").implement({
  description: "An itinerary at its cheapest price among the providers; the outbound's first flight names it.",
  fields: (t) => ({
    id: t.exposeID("id"),
    airlineCode: t.exposeString("airlineCode"),
    airlineName: t.exposeString("airlineName"),
    flightNumber: t.exposeString("flightNumber"),
    origin: t.field({ type: Airport, resolve: (f) => f.origin }),
    destination: t.field({ type: Airport, resolve: (f) => f.destination }),
    departureTime: t.expose("departureTime", { type: "DateTime", description: "Outbound departure, local time at the origin." }),
    arrivalTime: t.expose("arrivalTime", { type: "DateTime", description: "Outbound arrival, local time at the destination." }),
    duration: t.expose("duration", { type: "Duration", description: "The outbound journey, connections included." }),
    durationMinutes: t.exposeInt("durationMinutes"),
    stops: t.exposeInt("stops"),
    price: t.field({ type: Money, description: "Total for every passenger.", resolve: (f) => f.price }),
    pricePerAdult: t.field({ type: Money, resolve: (f) => f.pricePerAdult }),
    cabin: t.field({ type: CabinClass, resolve: (f) => f.cabin }),
    deepLink: t.string({ nullable: true, resolve: (f) => f.deepLink ?? null }),
    provider: t.exposeString("provider", { description: "The provider of the cheapest price." }),
    simulated: t.exposeBoolean("simulated", { description: "A price of the simulated market, not a real fare." }),
    expiresAt: t.expose("expiresAt", { type: "DateTime", nullable: true }),
    slices: t.field({ type: [Slice], complexity: { field: 1, multiplier: 2 }, resolve: (f) => f.slices }),
    sources: t.field({ type: [FlightSource], complexity: { field: 1, multiplier: 4 }, resolve: (f) => f.sources }),
  }),
});

const FlightEdge = builder.objectRef<{ node: FlightDto; cursor: string }>("FlightEdge").implement({
  fields: (t) => ({
    node: t.field({ type: Flight, resolve: (e) => e.node }),
    cursor: t.exposeString("cursor"),
  }),
});

const ProviderStatusValue = builder.enumType("ProviderStatus", { values: enumValues(PROVIDER_STATUSES) });

const ProviderReport = builder.objectRef<SearchResponse["providers"][number]>("ProviderReport").implement({
  description: "How one provider answered this search.",
  fields: (t) => ({
    provider: t.exposeString("provider"),
    name: t.exposeString("name"),
    status: t.field({ type: ProviderStatusValue, resolve: (p) => p.status }),
    latencyMs: t.exposeInt("latencyMs"),
    offerCount: t.exposeInt("offerCount"),
    error: t.exposeString("error", { nullable: true, description: "A short reason when the status is not OK." }),
    simulated: t.exposeBoolean("simulated"),
  }),
});

type InsightDto = NonNullable<SearchResponse["insight"]>;
const money = (amount: number | null, currency: string): MoneyValue | null => (amount === null ? null : { amount, currency });

const PriceInsight = builder.objectRef<InsightDto>("PriceInsight").implement({
  description: "Low, typical or high against this route's history for departures near this date.",
  fields: (t) => ({
    status: t.field({ type: builder.enumType("InsightStatus", { values: enumValues(["ok", "insufficient"] as const) }), resolve: (i) => i.status }),
    level: t.field({ type: builder.enumType("PriceLevel", { values: enumValues(PRICE_LEVELS) }), nullable: true, resolve: (i) => i.level }),
    cabin: t.field({ type: CabinClass, resolve: (i) => i.cabin }),
    cheapestPerAdult: t.field({ type: Money, nullable: true, resolve: (i) => money(i.cheapestPerAdult, i.currency) }),
    typicalLow: t.field({ type: Money, nullable: true, description: "25th percentile of the daily cheapest price per adult.", resolve: (i) => money(i.typicalLow, i.currency) }),
    typicalHigh: t.field({ type: Money, nullable: true, description: "75th percentile.", resolve: (i) => money(i.typicalHigh, i.currency) }),
    median: t.field({ type: Money, nullable: true, resolve: (i) => money(i.median, i.currency) }),
    observations: t.exposeInt("observations"),
    days: t.exposeInt("days"),
    lookbackDays: t.exposeInt("lookbackDays"),
  }),
});

interface FlightConnectionValue {
  edges: { node: FlightDto; cursor: string }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number;
  lastUpdated: string;
  currency: string;
  cache: "hit" | "miss";
  simulated: boolean;
  providers: SearchResponse["providers"];
  insight: InsightDto | null;
}

const FlightConnection = builder.objectRef<FlightConnectionValue>("FlightConnection").implement({
  fields: (t) => ({
    edges: t.field({ type: [FlightEdge], complexity: { field: 1, multiplier: 1 }, resolve: (c) => c.edges }),
    pageInfo: t.field({ type: PageInfo, resolve: (c) => c.pageInfo }),
    totalCount: t.exposeInt("totalCount", { description: "Flights matching the search and its filters, on every page." }),
    lastUpdated: t.expose("lastUpdated", { type: "DateTime", description: "When the prices were fetched from the providers." }),
    currency: t.exposeString("currency"),
    cached: t.boolean({ description: "Served from the search cache, not asked of the providers just now.", resolve: (c) => c.cache === "hit" }),
    simulated: t.exposeBoolean("simulated", { description: "Some prices come from the simulated market." }),
    providers: t.field({ type: [ProviderReport], resolve: (c) => c.providers }),
    insight: t.field({ type: PriceInsight, nullable: true, resolve: (c) => c.insight }),
  }),
});

const FlightSort = builder.enumType("FlightSort", { values: enumValues(SORTS) });

const FlightFilters = builder.inputType("FlightFilters", {
  fields: (t) => ({
    maxStops: t.int({ description: "Most stops in each direction (0 = nonstop only)." }),
    airlines: t.stringList({ description: "Only itineraries flown entirely by these airlines (IATA codes)." }),
    excludeAirlines: t.stringList({ description: "No flight by these airlines." }),
    departAfter: t.string({ description: "Outbound departs at or after this local time (HH:MM)." }),
    departBefore: t.string({ description: "Outbound departs at or before this local time (HH:MM)." }),
    arriveAfter: t.string({ description: "Outbound arrives at or after this local time of day (HH:MM)." }),
    arriveBefore: t.string({ description: "Outbound arrives at or before this local time of day (HH:MM)." }),
    maxDurationMinutes: t.int({ description: "Longest journey per direction, in minutes." }),
    maxPrice: t.float({ description: "Highest total price, in the result currency." }),
  }),
});

builder.queryField("flights", (t) =>
  t.field({
    type: FlightConnection,
    description:
      "Live prices from every provider, aggregated, deduplicated and ranked, as a Relay connection (first/after forward, last/before backward; 20 by default, at most 100 a page). Each search is kept as price history.",
    args: {
      originCode: t.arg.string({ required: true, description: "IATA airport or metropolitan code of departure." }),
      destinationCode: t.arg.string({ required: true }),
      departureDate: t.arg({ type: "Date", required: true, description: "Outbound date, local at the origin." }),
      returnDate: t.arg({ type: "Date", description: "Return date for a round trip; omit for one-way." }),
      cabins: t.arg({ type: [CabinClass], description: "Cabins to search; default economy." }),
      adults: t.arg.int({ defaultValue: 1 }),
      children: t.arg.int({ defaultValue: 0 }),
      infants: t.arg.int({ defaultValue: 0 }),
      currency: t.arg.string({ description: "ISO 4217 code of the prices; default: the origin country's." }),
      sort: t.arg({ type: FlightSort, defaultValue: "best" }),
      filters: t.arg({ type: FlightFilters }),
      first: t.arg.int(),
      after: t.arg.string(),
      last: t.arg.int(),
      before: t.arg.string(),
    },
    complexity: (args) => ({ field: SEARCH_COST, multiplier: Math.min(MAX_RESULTS_PER_PAGE, Math.max(1, args.first ?? args.last ?? 20)) }),
    resolve: async (_root, { first, after, last, before, filters, ...search }, ctx) => {
      scoped(ctx, "search");
      const input = parseArgs(searchInputSchema, withoutNulls({ ...search, filters: filters ? withoutNulls(filters) : undefined }));
      const { limit: _limit, cursor: _cursor, ...criteria } = input;
      const paging = { fingerprint: resultFingerprint(["graphql", criteria]), defaultFirst: 20, max: MAX_RESULTS_PER_PAGE };
      // Every argument is checked before the search: bad input asks no provider and writes nothing.
      connectionWindow({ first, after, last, before }, paging);
      await limited(ctx, "search", "search");
      const result = await searchFlights(ctx, input, { allOffers: true });
      const page = connectionSlice(result.offers, { first, after, last, before }, paging);
      const names = namesFrom(ctx.reference);
      return {
        edges: page.edges.map((edge) => ({ node: flightDto(edge.node, names), cursor: edge.cursor })),
        pageInfo: page.pageInfo,
        totalCount: result.totalResults,
        lastUpdated: result.lastUpdated,
        currency: result.currency,
        cache: result.cache,
        simulated: result.simulated,
        providers: providerDtos(result.providers),
        insight: insightDto(result.insight),
      };
    },
  }),
);

