import { trackedRouteIdInput, trackRouteInput, updateTrackedRouteInput } from "@/server/core/tracking";
import { getTrackedRoute, listTracked, trackRoute, untrack, updateTracked } from "@/server/services/tracking/tracked-routes";
import { createTRPCRouter, ownerProcedure } from "@/server/trpc/init";

const read = ownerProcedure("tracking:read");
const write = ownerProcedure("tracking:write");

/** The caller's tracked routes: with a session, or an API key with tracking:read / tracking:write. */
export const trackingRouter = createTRPCRouter({
  list: read.query(({ ctx }) => listTracked(ctx, ctx.principal.userId)),

  get: read.input(trackedRouteIdInput).query(({ ctx, input }) => getTrackedRoute(ctx, ctx.principal.userId, input.id)),

  create: write.input(trackRouteInput).mutation(({ ctx, input }) => trackRoute(ctx, ctx.principal.userId, input)),

  /** Pause, resume or redefine; a new definition starts the route's price history again. */
  update: write
    .input(updateTrackedRouteInput.extend(trackedRouteIdInput.shape))
    .mutation(({ ctx, input: { id, ...patch } }) => updateTracked(ctx, ctx.principal.userId, id, patch)),

  delete: write.input(trackedRouteIdInput).mutation(async ({ ctx, input }) => {
    await untrack(ctx, ctx.principal.userId, input.id);
    return { deleted: true as const };
  }),
});
