import { routeHistoryInputSchema, routeInputSchema } from "@/server/core/route-query";
import { routeDateGrid, routeHistory, routeInfo } from "@/server/services/routes/route-views";
import { createTRPCRouter, scopedProcedure } from "@/server/trpc/init";

/** Price history: open to all; an API key needs the `history` scope. */
const historyProcedure = scopedProcedure("history");

export const routeRouter = createTRPCRouter({
  /** Both ends resolved, and the currency the route's prices are read in. */
  info: historyProcedure.input(routeInputSchema).query(({ ctx, input }) => routeInfo(ctx, input)),

  /** Daily min / avg / max price per adult over the last 30, 90 or 180 days. */
  history: historyProcedure.input(routeHistoryInputSchema).query(({ ctx, input }) => routeHistory(ctx, input)),

  /** The cheapest one-way price seen per departure date, from today at the origin. */
  dateGrid: historyProcedure.input(routeInputSchema).query(({ ctx, input }) => routeDateGrid(ctx, input)),
});
