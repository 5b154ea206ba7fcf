import { z } from "zod";
import { CABINS } from "@/server/core/offer";
import { SUPPORTED_CURRENCIES } from "@/server/core/money";
import { iataCode } from "@/server/core/search-query";
import { addDays, localDate } from "@/server/core/time";
import { dailyPriceHistory } from "@/server/services/price-history";
import { dateGrid, resolveRoute } from "@/server/services/route-prices";
import { createTRPCRouter, publicProcedure, type InnerContext } from "@/server/trpc/init";

export const HISTORY_RANGES = [30, 90, 180] as const;
export const DATE_GRID_DAYS = 120;

const routeInput = z
  .object({
    origin: iataCode,
    destination: iataCode,
    cabin: z.enum(CABINS).default("economy"),
    currency: z.enum(SUPPORTED_CURRENCIES as [string, ...string[]]).optional(),
  })
  .strict();

/** The route asked for, and the currency to read it in (asked, else the origin country's). */
async function routeOf(ctx: InnerContext, input: z.output<typeof routeInput>) {
  const db = await ctx.db();
  const route = await resolveRoute(db, input.origin, input.destination);
  return { db, route, currency: input.currency ?? route.currency };
}

export const routeRouter = createTRPCRouter({
  /** Both ends resolved, and the currency the route's prices are read in. */
  info: publicProcedure.input(routeInput).query(async ({ ctx, input }) => {
    const { route, currency } = await routeOf(ctx, input);
    return { ...route, currency, cabin: input.cabin };
  }),

  /** Daily min / avg / max price per adult over the last 30, 90 or 180 days. */
  history: publicProcedure
    .input(
      routeInput.extend({
        days: z.union(HISTORY_RANGES.map((d) => z.literal(d))).default(90),
        departureDate: z.iso.date().optional(),
      }),
    )
    .query(async ({ ctx, input }) => {
      const { db, route, currency } = await routeOf(ctx, input);
      const points = await dailyPriceHistory(db, {
        origin: route.origins,
        destination: route.destinations,
        currency,
        cabin: input.cabin,
        departureDate: input.departureDate,
        returnDate: null,
        days: input.days,
      });
      return { currency, days: input.days, points };
    }),

  /** The cheapest one-way price seen per departure date, from today at the origin. */
  dateGrid: publicProcedure.input(routeInput).query(async ({ ctx, input }) => {
    const { db, route, currency } = await routeOf(ctx, input);
    const from = localDate(new Date(), route.origin.timeZone ?? "UTC");
    const cells = await dateGrid(db, { origins: route.origins, destinations: route.destinations, currency, cabin: input.cabin, from, days: DATE_GRID_DAYS });
    return { currency, from, to: addDays(from, DATE_GRID_DAYS - 1), cells };
  }),
});
