"use server";

import type { Route } from "next";
import { cookies, headers } from "next/headers";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { currentViewer } from "@/server/auth/viewer";
import { DomainError, ValidationError } from "@/server/core/errors";
import { signInHref } from "@/server/core/links";
import { trackedRouteIdInput, trackFormInput, trackRouteInput, updateTrackedRouteInput } from "@/server/core/tracking";
import { getAppContext } from "@/server/context";
import { toDomainError } from "@/server/errors";
import { inActionScope } from "@/server/http/action-scope";
import { trackRoute, untrack, updateTracked } from "@/server/services/tracking/tracked-routes";
import { PENDING_TRACK_COOKIE, PENDING_TRACK_PATH } from "./pending-cookie";

/**
 * The pages' tracking actions: "Track prices" (results, route page, offer card), and pause,
 * resume and delete on the Tracked page. Forms: they work without JavaScript. Next refuses a
 * server action posted from another site, so they need no CSRF token of their own.
 */

export interface TrackState {
  trackedId?: string;
  error?: string;
}

/** One line for a form: the field's messages, or the error's own message. */
function messageOf(error: unknown): string {
  const domain = error instanceof DomainError ? error : toDomainError(error, "tracking action");
  if (domain instanceof ValidationError) {
    return Object.entries(domain.fields)
      .map(([field, messages]) => `${field} ${messages.join("; ")}`)
      .join(". ");
  }
  return domain.message;
}

/**
 * Tracks the search a form describes. Anonymous: the request waits in a cookie of this browser
 * (an hour) while the visitor signs in, and /tracked/pending completes it on the way back.
 */
export async function trackAction(_previous: TrackState, form: FormData): Promise<TrackState> {
  const parsed = trackRouteInput.safeParse(trackFormInput(form));
  if (!parsed.success) return { error: messageOf(parsed.error) };
  const viewer = await currentViewer();
  if (!viewer) {
    (await cookies()).set(PENDING_TRACK_COOKIE, JSON.stringify(trackFormInput(form)), {
      httpOnly: true,
      sameSite: "lax",
      path: PENDING_TRACK_PATH,
      maxAge: 3_600,
      secure: (await headers()).get("x-forwarded-proto") === "https",
    });
    redirect(signInHref(PENDING_TRACK_PATH) as Route);
  }
  try {
    const route = await inActionScope(async () => trackRoute(await getAppContext(), viewer.id, parsed.data));
    revalidatePath("/tracked");
    return { trackedId: route.id };
  } catch (error) {
    return { error: messageOf(error) };
  }
}

async function ownerOnly(form: FormData): Promise<{ userId: string; id: string }> {
  const viewer = await currentViewer();
  if (!viewer) redirect(signInHref("/tracked") as Route);
  return { userId: viewer.id, id: trackedRouteIdInput.parse({ id: form.get("id") }).id };
}

/** Pause or resume (the form's `status`). */
export async function setTrackedStatus(form: FormData): Promise<void> {
  const { userId, id } = await ownerOnly(form);
  const status = form.get("status") === "paused" ? "paused" : "active";
  await inActionScope(async () => updateTracked(await getAppContext(), userId, id, { status }));
  revalidatePath("/tracked");
}

export async function deleteTrackedAction(form: FormData): Promise<void> {
  const { userId, id } = await ownerOnly(form);
  await inActionScope(async () => untrack(await getAppContext(), userId, id));
  revalidatePath("/tracked");
}

/** A new date (or window) and stops for a route, from the Tracked page's edit form. */
export async function editTrackedAction(_previous: TrackState, form: FormData): Promise<TrackState> {
  try {
    const { userId, id } = await ownerOnly(form);
    // The route itself (kind, places, currency) is not editable: only its dates, party and filters.
    const { kind: _kind, originCode: _origin, destinationCode: _destination, currency: _currency, ...fields } = trackFormInput(form);
    const patch = { ...fields, ...(form.get("maxStops") === "" ? { maxStops: null } : {}) };
    const route = await inActionScope(async () => updateTracked(await getAppContext(), userId, id, updateTrackedRouteInput.parse(patch)));
    revalidatePath("/tracked");
    return { trackedId: route.id };
  } catch (error) {
    if ((error as { digest?: string }).digest?.startsWith("NEXT_REDIRECT")) throw error;
    return { error: messageOf(error) };
  }
}
