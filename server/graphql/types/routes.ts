import { routeHistoryInputSchema, routeInputSchema } from "@/server/core/route-query";
import { toMajor } from "@/server/core/money";
import type { Cabin } from "@/server/core/offer";
import { PLACE_SEARCH_MAX_LIMIT, placeSearchInput, searchPlaces } from "@/server/services/places/search-places";
import { routeDateGrid, routeHistory, routeInfo } from "@/server/services/routes/route-views";
import { builder } from "@/server/graphql/builder";
import { limited, scoped } from "@/server/graphql/access";
import { CabinClass, Money, PlaceType, parseArgs, withoutNulls, type MoneyValue } from "./common";

const money = (amountMinor: number, currency: string): MoneyValue => ({ amount: toMajor({ amountMinor, currency }), currency });

builder.queryField("airports", (t) =>
  t.field({
    type: [PlaceType],
    description: "Airports and metropolitan codes by code, name, city or country (autocomplete): an exact code first.",
    args: {
      query: t.arg.string({ required: true }),
      limit: t.arg.int({ defaultValue: 10, description: `1 to ${PLACE_SEARCH_MAX_LIMIT}.` }),
    },
    complexity: (args) => ({ field: 2, multiplier: Math.min(PLACE_SEARCH_MAX_LIMIT, Math.max(1, args.limit ?? 10)) }),
    resolve: async (_root, args, ctx) => {
      await limited(ctx, "lookup", "search");
      const input = parseArgs(placeSearchInput, withoutNulls(args));
      return searchPlaces(ctx, input.query, { limit: input.limit });
    },
  }),
);

interface RouteValue {
  origin: string;
  destination: string;
  currency?: string;
  resolved: ReturnType<typeof routeInfo>;
}

interface HistoryValue {
  currency: string;
  days: number;
  cabin: Cabin;
  points: { day: string; minMinor: number; avgMinor: number; maxMinor: number; samples: number }[];
}

const PricePoint = builder.objectRef<HistoryValue["points"][number] & { currency: string }>("PricePoint").implement({
  description: "One day's one-way prices per adult, from every search and scheduled check that day.",
  fields: (t) => ({
    day: t.expose("day", { type: "Date" }),
    min: t.field({ type: Money, resolve: (p) => money(p.minMinor, p.currency) }),
    avg: t.field({ type: Money, resolve: (p) => money(p.avgMinor, p.currency) }),
    max: t.field({ type: Money, resolve: (p) => money(p.maxMinor, p.currency) }),
    samples: t.exposeInt("samples"),
  }),
});

const RouteHistory = builder.objectRef<HistoryValue>("RouteHistory").implement({
  fields: (t) => ({
    currency: t.exposeString("currency"),
    days: t.exposeInt("days"),
    cabin: t.field({ type: CabinClass, resolve: (h) => h.cabin }),
    points: t.field({ type: [PricePoint], complexity: { field: 1, multiplier: 30 }, resolve: (h) => h.points.map((p) => ({ ...p, currency: h.currency })) }),
  }),
});

type GridValue = Awaited<ReturnType<typeof routeDateGrid>> & { cabin: Cabin };

const DateGridCell = builder.objectRef<GridValue["cells"][number] & { currency: string }>("DateGridCell").implement({
  fields: (t) => ({
    departureDate: t.expose("departureDate", { type: "Date" }),
    cheapest: t.field({ type: Money, description: "The cheapest one-way price per adult seen for this departure.", resolve: (c) => money(c.minMinor, c.currency) }),
    samples: t.exposeInt("samples"),
    lastObserved: t.expose("lastObserved", { type: "DateTime" }),
  }),
});

const DateGrid = builder.objectRef<GridValue>("DateGrid").implement({
  fields: (t) => ({
    currency: t.exposeString("currency"),
    cabin: t.field({ type: CabinClass, resolve: (g) => g.cabin }),
    from: t.expose("from", { type: "Date" }),
    to: t.expose("to", { type: "Date" }),
    cells: t.field({ type: [DateGridCell], complexity: { field: 1, multiplier: 30 }, resolve: (g) => g.cells.map((c) => ({ ...c, currency: g.currency })) }),
  }),
});

const Route = builder.objectRef<RouteValue>("Route").implement({
  description: "A route's recorded prices: every live search and scheduled check adds to them.",
  fields: (t) => ({
    origin: t.field({ type: PlaceType, resolve: (r) => r.resolved.origin }),
    destination: t.field({ type: PlaceType, resolve: (r) => r.resolved.destination }),
    currency: t.string({ description: "The currency its prices are read in: the one asked for, else the origin country's.", resolve: (r) => r.resolved.currency }),
    history: t.field({
      type: RouteHistory,
      description: "Daily min / avg / max price per adult of one-way trips over the last 30, 90 or 180 days.",
      args: {
        days: t.arg.int({ defaultValue: 90 }),
        cabin: t.arg({ type: CabinClass, defaultValue: "economy" }),
        departureDate: t.arg({ type: "Date", description: "Only prices for departures on this date." }),
      },
      complexity: 20,
      resolve: async (route, args, ctx) => {
        const input = parseArgs(routeHistoryInputSchema, withoutNulls({ origin: route.origin, destination: route.destination, currency: route.currency, ...args }));
        return { ...(await routeHistory(ctx, input)), cabin: input.cabin };
      },
    }),
    dateGrid: t.field({
      type: DateGrid,
      description: "The cheapest one-way price seen per departure date, from today at the origin.",
      args: { cabin: t.arg({ type: CabinClass, defaultValue: "economy" }) },
      complexity: 20,
      resolve: async (route, args, ctx) => {
        const input = parseArgs(routeInputSchema, withoutNulls({ origin: route.origin, destination: route.destination, currency: route.currency, ...args }));
        return { ...(await routeDateGrid(ctx, input)), cabin: input.cabin };
      },
    }),
  }),
});

builder.queryField("route", (t) =>
  t.field({
    type: Route,
    nullable: true,
    description: "A route's price history and date grid. An API key needs the history scope. Null, with an error, for unknown codes.",
    args: {
      origin: t.arg.string({ required: true, description: "IATA airport or metropolitan code." }),
      destination: t.arg.string({ required: true }),
      currency: t.arg.string(),
    },
    resolve: (_root, args, ctx) => {
      scoped(ctx, "history");
      const input = parseArgs(routeInputSchema, withoutNulls(args));
      return { origin: input.origin, destination: input.destination, currency: input.currency, resolved: routeInfo(ctx, input) };
    },
  }),
);
