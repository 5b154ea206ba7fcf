import { searchInputSchema } from "@/server/core/search-query";
import { getMarket, offerNames } from "@/server/services/market";
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
    .query(async ({ ctx, input }) => {
      const deps = await ctx.searchDeps();
      const result = await searchFlights(input, deps, { allOffers: true, onProvider: ctx.onSearchProgress });
      return { ...result, names: offerNames(await getMarket(deps.db), result.offers) };
    }),
});
