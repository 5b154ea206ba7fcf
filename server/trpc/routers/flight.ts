import { searchInputSchema } from "@/server/core/search-query";
import { searchFlights } from "@/server/services/search-flights";
import { createTRPCRouter, rateLimitedProcedure } from "@/server/trpc/init";

export const flightRouter = createTRPCRouter({
  search: rateLimitedProcedure("search")
    .input(searchInputSchema)
    .query(async ({ ctx, input }) => searchFlights(input, await ctx.searchDeps())),
});
