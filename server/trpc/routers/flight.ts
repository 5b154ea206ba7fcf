import { offerNames } from "@/server/core/places";
import { searchInputSchema } from "@/server/core/search-query";
import { searchFlights } from "@/server/services/search/search-flights";
import { createTRPCRouter, rateLimitedProcedure } from "@/server/trpc/init";

export const flightRouter = createTRPCRouter({
  search: rateLimitedProcedure("search", "search")
    .input(searchInputSchema)
    .query(({ ctx, input }) => searchFlights(ctx, input)),

  /**
   * Every matching offer, unpaginated (limit and cursor are ignored), for the web results
   * page, which sorts and filters on its side; a server component passes
   * `onSearchProgress` in its context to stream each provider's answer to the page.
   */
  results: rateLimitedProcedure("search", "search")
    .input(searchInputSchema)
    .query(async ({ ctx, input }) => {
      const result = await searchFlights(ctx, input, { allOffers: true, onProvider: ctx.onSearchProgress });
      return { ...result, names: offerNames(ctx.reference, result.offers) };
    }),
});
