import { routeHistoryInputSchema, routeInputSchema } from "@/server/core/route-query";
import { routeDateGrid, routeHistory, routeInfo } from "@/server/services/routes/route-views";
import { createTRPCRouter, publicProcedure } from "@/server/trpc/init";

export const routeRouter = createTRPCRouter({
  /** Both ends resolved, and the currency the route's prices are read in. */
  info: publicProcedure.input(routeInputSchema).query(({ ctx, input }) => routeInfo(ctx, input)),

  /** Daily min / avg / max price per adult over the last 30, 90 or 180 days. */
  history: publicProcedure.input(routeHistoryInputSchema).query(({ ctx, input }) => routeHistory(ctx, input)),

  /** The cheapest one-way price seen per departure date, from today at the origin. */
  dateGrid: publicProcedure.input(routeInputSchema).query(({ ctx, input }) => routeDateGrid(ctx, input)),
});
