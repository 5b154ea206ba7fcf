import { trackedRouteIdInput, trackRouteInput, updateTrackedRouteInput } from "@/server/core/tracking";
import type { AppContext } from "@/server/context";
import { getTrackedRoute, listTracked, trackRoute, untrack, updateTracked } from "@/server/services/tracking/tracked-routes";
import { caller, jsonBody, NO_STORE } from "./owner-endpoint";
import { problemFor } from "./problem";

/**
 * REST /api/v1/tracked-routes: the caller's tracked routes, with a session or an API key with
 * tracking:read (reads) or tracking:write (changes). Another user's route answers 404, as one
 * that never was.
 */

const EXAMPLE = '{"kind": "exact", "originCode": "LHR", "destinationCode": "JFK", "departureDate": "2027-03-01"}';

const routeId = (id: string) => trackedRouteIdInput.parse({ id }).id;

/** GET /api/v1/tracked-routes */
export async function handleListTracked(request: Request, ctx: AppContext): Promise<Response> {
  try {
    const { userId } = await caller(request, ctx, "tracking:read");
    return Response.json({ trackedRoutes: await listTracked(ctx, userId) }, { headers: NO_STORE });
  } catch (error) {
    return problemFor(error, "tracked route list");
  }
}

/** POST /api/v1/tracked-routes: 201 with the route and its Location. */
export async function handleCreateTracked(request: Request, ctx: AppContext): Promise<Response> {
  try {
    const { userId } = await caller(request, ctx, "tracking:write");
    const route = await trackRoute(ctx, userId, trackRouteInput.parse(await jsonBody(request, EXAMPLE)));
    return Response.json({ trackedRoute: route }, { status: 201, headers: { ...NO_STORE, Location: `/api/v1/tracked-routes/${route.id}` } });
  } catch (error) {
    return problemFor(error, "tracking a route");
  }
}

/** GET /api/v1/tracked-routes/{id} */
export async function handleGetTracked(request: Request, ctx: AppContext, id: string): Promise<Response> {
  try {
    const { userId } = await caller(request, ctx, "tracking:read");
    return Response.json({ trackedRoute: await getTrackedRoute(ctx, userId, routeId(id)) }, { headers: NO_STORE });
  } catch (error) {
    return problemFor(error, "tracked route");
  }
}

/** PATCH /api/v1/tracked-routes/{id}: pause ({"status": "paused"}), resume, or change the definition. */
export async function handleUpdateTracked(request: Request, ctx: AppContext, id: string): Promise<Response> {
  try {
    const { userId } = await caller(request, ctx, "tracking:write");
    const patch = updateTrackedRouteInput.parse(await jsonBody(request, EXAMPLE));
    return Response.json({ trackedRoute: await updateTracked(ctx, userId, routeId(id), patch) }, { headers: NO_STORE });
  } catch (error) {
    return problemFor(error, "tracked route change");
  }
}

/** DELETE /api/v1/tracked-routes/{id}: 204. */
export async function handleDeleteTracked(request: Request, ctx: AppContext, id: string): Promise<Response> {
  try {
    const { userId } = await caller(request, ctx, "tracking:write");
    await untrack(ctx, userId, routeId(id));
    return new Response(null, { status: 204 });
  } catch (error) {
    return problemFor(error, "tracked route deletion");
  }
}
