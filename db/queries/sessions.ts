import { and, eq, gt, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { appUser, authSession } from "@/db/schema";
import type { Role } from "@/server/core/roles";

/** The user behind a session, by the hash of its token: none when expired or the user is disabled. */
export async function sessionUser(db: Db, tokenHash: string, now = new Date()): Promise<{ userId: string; role: Role } | null> {
  const [row] = await db
    .select({ userId: appUser.id, role: appUser.role })
    .from(authSession)
    .innerJoin(appUser, eq(appUser.id, authSession.userId))
    .where(and(eq(authSession.sessionToken, tokenHash), gt(authSession.expires, now), isNull(appUser.disabledAt)));
  return row ?? null;
}
