import { placeSearchInput, searchPlaces } from "@/server/services/places/search-places";
import { createTRPCRouter, rateLimitedProcedure } from "@/server/trpc/init";

export const airportRouter = createTRPCRouter({
  search: rateLimitedProcedure("lookup", "search")
    .input(placeSearchInput)
    .query(({ ctx, input }) => searchPlaces(ctx, input.query, { limit: input.limit })),
});
