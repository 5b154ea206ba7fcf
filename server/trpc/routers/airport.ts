import { z } from "zod";
import { freeText } from "@/server/core/search-query";
import { PLACE_QUERY_MAX_LENGTH, PLACE_SEARCH_MAX_LIMIT, searchPlaces } from "@/server/services/places/search-places";
import { createTRPCRouter, rateLimitedProcedure } from "@/server/trpc/init";

export const airportRouter = createTRPCRouter({
  search: rateLimitedProcedure("lookup", "search")
    .input(z.object({ query: freeText(PLACE_QUERY_MAX_LENGTH), limit: z.int().min(1).max(PLACE_SEARCH_MAX_LIMIT).default(10) }).strict())
    .query(({ ctx, input }) => searchPlaces(ctx, input.query, { limit: input.limit })),
});
