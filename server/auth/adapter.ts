import crypto from "node:crypto";
import { DrizzleAdapter } from "@auth/drizzle-adapter";
import type { Adapter, AdapterSession, AdapterUser } from "next-auth/adapters";
import type { Db } from "@/db/client";
import { appUser, authAccount, authSession, authVerificationToken } from "@/db/schema";
import { normalizeEmail } from "@/db/queries/users";
import { currentOrigin } from "@/server/request-scope";

/** What `auth_session.session_token` holds: the SHA-256 of the cookie's token, hex. */
export function sessionTokenHash(token: string): string {
  return crypto.createHash("sha256").update(token, "utf8").digest("hex");
}

/**
 * Auth.js's Drizzle adapter on our tables, with two changes:
 * - sessions are stored by the hash of their token, so a copy of the table (a backup, a leak)
 *   signs nobody in; the cookie keeps the token, the adapter hashes it on every call;
 * - email addresses are lower-cased, as the table requires, whichever provider brings them;
 * - a session records the address and user agent of the request that made it.
 */
export function accountsAdapter(db: Db): Adapter {
  // The adapter's types want one SQL flavour; ours is PgDatabase on either driver.
  const base = DrizzleAdapter(db as Parameters<typeof DrizzleAdapter>[0], {
    usersTable: appUser,
    accountsTable: authAccount,
    sessionsTable: authSession,
    verificationTokensTable: authVerificationToken,
  } as Parameters<typeof DrizzleAdapter>[1]);
  const withToken = <S extends AdapterSession | null | undefined>(session: S, token: string): S => (session ? { ...session, sessionToken: token } : session);
  return {
    ...base,
    createUser: (user: AdapterUser) => base.createUser!({ ...user, email: normalizeEmail(user.email) }),
    getUserByEmail: (email: string) => base.getUserByEmail!(normalizeEmail(email)),
    updateUser: (user) => base.updateUser!(user.email ? { ...user, email: normalizeEmail(user.email) } : user),
    // Where and on what it was made, for the account page's list of sessions.
    async createSession(session) {
      const origin = currentOrigin();
      const row = { ...session, sessionToken: sessionTokenHash(session.sessionToken), userAgent: origin?.userAgent?.slice(0, 500) ?? null, address: origin?.address ?? null, lastSeenAt: new Date() };
      return withToken(await base.createSession!(row), session.sessionToken);
    },
    async getSessionAndUser(token) {
      const found = await base.getSessionAndUser!(sessionTokenHash(token));
      return found && { ...found, session: withToken(found.session, token) };
    },
    async updateSession(session) {
      return withToken(await base.updateSession!({ ...session, sessionToken: sessionTokenHash(session.sessionToken) }), session.sessionToken);
    },
    // The deleted session goes to the sign-out event (its audit line); the Drizzle adapter returns none.
    async deleteSession(token) {
      const found = await base.getSessionAndUser!(sessionTokenHash(token));
      await base.deleteSession!(sessionTokenHash(token));
      return found ? withToken(found.session, token) : null;
    },
  };
}
