import "server-only";
import { forbidden } from "next/navigation";
import { requireViewer, type Viewer } from "@/server/auth/viewer";

/**
 * The admin viewing an admin page: anonymous visitors go to sign in and come back to
 * `returnTo`; a signed-in user gets the 403 page. Every admin page calls it first (not only the
 * layout): a navigation between admin pages renders the page alone, never the shared layout.
 */
export async function requireAdmin(returnTo: string): Promise<Viewer> {
  const viewer = await requireViewer(returnTo);
  if (viewer.role !== "admin") forbidden();
  return viewer;
}

/** "/admin/runs?state=dead": a page's path with its query, to come back to after signing in. */
export function hereWith(path: string, params: Record<string, string | string[] | undefined>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (typeof value === "string" && value !== "") query.set(key, value);
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}
