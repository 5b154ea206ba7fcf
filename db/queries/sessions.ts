import { and, desc, eq, gt, isNull, lt, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { appUser, authSession } from "@/db/schema";
import type { Role } from "@/server/core/roles";

/** How stale `last_seen_at` may get before a request writes it again. */
const SEEN_EVERY_MS = 5 * 60_000;
/** A session's id on the account page and in the API: the first 16 hex digits of its token's hash. */
const ID_LENGTH = 16;

export function sessionId(tokenHash: string): string {
  return tokenHash.slice(0, ID_LENGTH);
}

/** Who a live session belongs to: enough for a request's rights and for the page's header. */
export interface SessionUser {
  userId: string;
  role: Role;
  sessionId: string;
  name: string | null;
  email: string | null;
}

/**
 * The user behind a session, by the hash of its token: none when expired or the user is
 * disabled. Notes that the session was seen (at most every five minutes).
 */
export async function sessionUser(db: Db, tokenHash: string, now = new Date()): Promise<SessionUser | null> {
  const [row] = await db
    .select({ userId: appUser.id, role: appUser.role, name: appUser.name, email: appUser.email, lastSeenAt: authSession.lastSeenAt })
    .from(authSession)
    .innerJoin(appUser, eq(appUser.id, authSession.userId))
    .where(and(eq(authSession.sessionToken, tokenHash), gt(authSession.expires, now), isNull(appUser.disabledAt)));
  if (!row) return null;
  if (!row.lastSeenAt || now.getTime() - row.lastSeenAt.getTime() > SEEN_EVERY_MS) {
    // Requests arriving together write once; a failed write does not fail the request.
    const stale = new Date(now.getTime() - SEEN_EVERY_MS);
    await db
      .update(authSession)
      .set({ lastSeenAt: now })
      .where(and(eq(authSession.sessionToken, tokenHash), or(isNull(authSession.lastSeenAt), lt(authSession.lastSeenAt, stale))))
      .catch(() => {});
  }
  return { userId: row.userId, role: row.role, sessionId: sessionId(tokenHash), name: row.name, email: row.email };
}

export interface SessionSummary {
  id: string;
  createdAt: Date;
  lastSeenAt: Date | null;
  expires: Date;
  userAgent: string | null;
  address: string | null;
}

/** A user's sessions that have not expired, the most recently used first. */
export async function listSessions(db: Db, userId: string, now = new Date()): Promise<SessionSummary[]> {
  const rows = await db
    .select({
      token: authSession.sessionToken,
      createdAt: authSession.createdAt,
      lastSeenAt: authSession.lastSeenAt,
      expires: authSession.expires,
      userAgent: authSession.userAgent,
      address: authSession.address,
    })
    .from(authSession)
    .where(and(eq(authSession.userId, userId), gt(authSession.expires, now)))
    .orderBy(desc(sql`coalesce(${authSession.lastSeenAt}, ${authSession.createdAt})`));
  return rows.map(({ token, ...rest }) => ({ id: sessionId(token), ...rest }));
}

const byId = (id: string) => sql`left(${authSession.sessionToken}, ${ID_LENGTH}) = ${id}`;

/** Ends one of the user's sessions; false when they have none with this id. */
export async function endSession(db: Db, userId: string, id: string): Promise<boolean> {
  const ended = await db.delete(authSession).where(and(eq(authSession.userId, userId), byId(id))).returning({ token: authSession.sessionToken });
  return ended.length > 0;
}

/** Ends every session of the user but the one given (by id); all of them when none is. How many ended. */
export async function endOtherSessions(db: Db, userId: string, keepId: string | null): Promise<number> {
  const where = keepId ? and(eq(authSession.userId, userId), sql`not ${byId(keepId)}`) : eq(authSession.userId, userId);
  const ended = await db.delete(authSession).where(where).returning({ token: authSession.sessionToken });
  return ended.length;
}
