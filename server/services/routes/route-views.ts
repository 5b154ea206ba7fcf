import { dailyPriceHistory, dateGrid } from "@/db/queries/price-daily";
import { resolveRoute, type RouteHistoryInput, type RouteInput } from "@/server/core/route-query";
import { DATE_GRID_DAYS } from "@/server/core/routes";
import { addDays, localDate } from "@/server/core/time";
import type { AppContext } from "@/server/context";

/** What the route page's reads need from the app context. */
export type RouteContext = Pick<AppContext, "db" | "reference" | "clock">;

/** The route asked for, and the currency it is read in: the one asked for, else the origin country's. */
function routeOf(ctx: RouteContext, input: RouteInput) {
  const route = resolveRoute(ctx.reference, input.origin, input.destination);
  return { route, currency: input.currency ?? route.currency };
}

/** Both ends resolved, and the currency and cabin the route's prices are read in. */
export function routeInfo(ctx: RouteContext, input: RouteInput) {
  const { route, currency } = routeOf(ctx, input);
  return { ...route, currency, cabin: input.cabin };
}

/** Daily min / avg / max price per adult of one-way trips over the last 30, 90 or 180 days. */
export async function routeHistory(ctx: RouteContext, input: RouteHistoryInput) {
  const { route, currency } = routeOf(ctx, input);
  const points = await dailyPriceHistory(ctx.db, {
    origin: route.origins,
    destination: route.destinations,
    currency,
    cabin: input.cabin,
    departureDate: input.departureDate,
    returnDate: null,
    days: input.days,
    now: ctx.clock(),
  });
  return { currency, days: input.days, points };
}

/** The cheapest one-way price seen per departure date, from today at the origin. */
export async function routeDateGrid(ctx: RouteContext, input: RouteInput) {
  const { route, currency } = routeOf(ctx, input);
  const from = localDate(ctx.clock(), route.origin.timeZone ?? "UTC");
  const cells = await dateGrid(ctx.db, { origins: route.origins, destinations: route.destinations, currency, cabin: input.cabin, from, days: DATE_GRID_DAYS });
  return { currency, from, to: addDays(from, DATE_GRID_DAYS - 1), cells };
}
