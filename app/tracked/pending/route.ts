import type { Route } from "next";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { currentViewer } from "@/server/auth/viewer";
import { LimitReachedError, ValidationError } from "@/server/core/errors";
import { signInHref } from "@/server/core/links";
import { trackRouteInput } from "@/server/core/tracking";
import { getAppContext } from "@/server/context";
import { log } from "@/server/log";
import { trackRoute } from "@/server/services/tracking/tracked-routes";
import { PENDING_TRACK_COOKIE, PENDING_TRACK_PATH } from "../pending-cookie";

export const dynamic = "force-dynamic";

/**
 * Where sign-in comes back to after "Track prices" was pressed signed out: tracks what waits in
 * this browser's cookie (set by trackAction, so another site cannot plant one), clears it, and
 * shows the Tracked page with the new route.
 */
export async function GET() {
  const jar = await cookies();
  const pending = jar.get(PENDING_TRACK_COOKIE)?.value;
  const viewer = await currentViewer();
  if (!viewer) redirect(signInHref(pending ? PENDING_TRACK_PATH : "/tracked") as Route);
  if (!pending) redirect("/tracked");
  jar.delete({ name: PENDING_TRACK_COOKIE, path: PENDING_TRACK_PATH });
  // What went wrong travels as a code, never as text: a link cannot put words on the page.
  let target = "/tracked?pending=invalid";
  try {
    const parsed = trackRouteInput.safeParse(JSON.parse(pending));
    if (parsed.success) target = `/tracked?added=${(await trackRoute(await getAppContext(), viewer.id, parsed.data)).id}`;
  } catch (error) {
    if (error instanceof LimitReachedError) target = "/tracked?pending=limit";
    else if (!(error instanceof ValidationError || error instanceof SyntaxError)) {
      log.warn("a pending tracked route was not made", { err: error });
      target = "/tracked?pending=failed";
    }
  }
  redirect(target as Route);
}
