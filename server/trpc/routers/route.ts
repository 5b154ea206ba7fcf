import { z } from "zod";
import { CABINS } from "@/server/core/offer";
import { SUPPORTED_CURRENCIES } from "@/server/core/money";
import { addDays, localDate } from "@/server/core/time";
import { dailyPriceHistory } from "@/server/services/price-history";
import { dateGrid, resolveRoute } from "@/server/services/route-prices";
import { createTRPCRouter, publicProcedure } from "@/server/trpc/init";

export const HISTORY_RANGES = [30, 90, 180] as const;
export const DATE_GRID_DAYS = 120;

const code = z.string().regex(/^[A-Za-z]{3}$/, "must be a 3-letter IATA airport or city code").transform((s) => s.toUpperCase());
const routeInput = z
  .object({
    origin: code,
    destination: code,
    cabin: z.enum(CABINS).default("economy"),
    currency: z.enum(SUPPORTED_CURRENCIES as [string, ...string[]]).optional(),
  })
  .strict();

export const routeRouter = createTRPCRouter({
  /** Both ends resolved, and the currency the route's prices are read in. */
  info: publicProcedure.input(routeInput).query(async ({ ctx, input }) => {
    const route = await resolveRoute(await ctx.db(), input.origin, input.destination);
    return { ...route, currency: input.currency ?? route.currency, cabin: input.cabin };
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
      const db = await ctx.db();
      const route = await resolveRoute(db, input.origin, input.destination);
      const currency = input.currency ?? route.currency;
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
    const db = await ctx.db();
    const route = await resolveRoute(db, input.origin, input.destination);
    const zone = route.origin.timeZone ?? "UTC";
    const from = localDate(new Date(), zone);
    const currency = input.currency ?? route.currency;
    const cells = await dateGrid(db, { origins: route.origins, destinations: route.destinations, currency, cabin: input.cabin, from, days: DATE_GRID_DAYS });
    return { currency, from, to: addDays(from, DATE_GRID_DAYS - 1), cells };
  }),
});
