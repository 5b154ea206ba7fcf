import "server-only";
import type { Route } from "next";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { signInHref } from "@/server/core/links";
import type { Role } from "@/server/core/roles";
import { getAppContext } from "@/server/context";
import { log } from "@/server/log";
import { signedInUser } from "./principal";

/** The signed-in person a page is rendered for. */
export interface Viewer {
  id: string;
  name: string | null;
  email: string | null;
  role: Role;
  sessionId: string;
}

/**
 * Who is looking at this page: the session cookie's user, read afresh (an ended session or a
 * changed role shows on the next page), once per render however many components ask. Without a
 * database, nobody: the page renders signed out rather than not at all.
 */
export const currentViewer = cache(async (): Promise<Viewer | null> => {
  const cookie = (await headers()).get("cookie");
  if (!cookie) return null;
  try {
    const ctx = await getAppContext();
    // One query: the session, its user's rights and the name the header shows.
    const user = await signedInUser(ctx.db, cookie, ctx.clock());
    return user && { id: user.userId, name: user.name, email: user.email, role: user.role, sessionId: user.sessionId };
  } catch (error) {
    // The database cannot be reached: every page still renders, as signed out.
    log.warn("the signed-in user is unknown: the database cannot be reached", { err: error });
    return null;
  }
});

/** The viewer, or off to the sign-in page, coming back to `returnTo` afterwards. */
export async function requireViewer(returnTo: string): Promise<Viewer> {
  const viewer = await currentViewer();
  if (!viewer) redirect(signInHref(returnTo) as Route);
  return viewer;
}
