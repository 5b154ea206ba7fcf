import { z } from "zod";
import { PLACE_SEARCH_MAX_LIMIT, searchPlaces } from "@/server/services/airports";
import { createTRPCRouter, publicProcedure } from "@/server/trpc/init";

export const airportRouter = createTRPCRouter({
  search: publicProcedure
    .input(z.object({ query: z.string().max(64), limit: z.int().min(1).max(PLACE_SEARCH_MAX_LIMIT).default(10) }).strict())
    .query(async ({ ctx, input }) => searchPlaces(await ctx.db(), input.query, { limit: input.limit })),
});
