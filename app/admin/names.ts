import "server-only";
import { userById } from "@/db/queries/users";
import type { AppContext } from "@/server/context";

/** Who an admin id is, for "paused by …": their address (marked "you" for the viewer), "an admin" when unknown or gone. */
export async function adminNames(ctx: Pick<AppContext, "db">, ids: (string | null | undefined)[], viewerId: string): Promise<{ of(id: string | null | undefined): string; known: Record<string, string> }> {
  const wanted = [...new Set(ids.filter((id): id is string => Boolean(id)))];
  const users = await Promise.all(wanted.map((id) => userById(ctx.db, id)));
  const known: Record<string, string> = {};
  wanted.forEach((id, i) => {
    const who = users[i]?.email ?? users[i]?.name ?? "an admin who is no longer here";
    known[id] = id === viewerId ? `${who} (you)` : who;
  });
  return { of: (id) => (id ? (known[id] ?? "an admin") : "an admin"), known };
}
