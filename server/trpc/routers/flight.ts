import { searchInputSchema } from "@/server/core/search-query";
import { searchFlights } from "@/server/services/search-flights";
import { createTRPCRouter, rateLimitedProcedure } from "@/server/trpc/init";

export const flightRouter = createTRPCRouter({
  search: rateLimitedProcedure("search")
    .input(searchInputSchema)
    .query(async ({ ctx, input }) => searchFlights(input, await ctx.searchDeps())),

  /**
   * Every matching offer, unpaginated (limit and cursor are ignored), for the web results
   * page, which sorts and filters on its side; a server component passes
   * `onSearchProgress` in its context to stream each provider's answer to the page.
   */
  results: rateLimitedProcedure("search")
    .input(searchInputSchema)
    .query(async ({ ctx, input }) => searchFlights(input, await ctx.searchDeps(), { allOffers: true, onProvider: ctx.onSearchProgress })),
});
