import { eq, or } from "drizzle-orm";
import { listApiKeys } from "@/db/queries/api-keys";
import { recordAudit } from "@/db/queries/audit";
import { endOtherSessions, endSession, listSessions } from "@/db/queries/sessions";
import { listTrackedRoutes } from "@/db/queries/tracking";
import { normalizeEmail, userById } from "@/db/queries/users";
import { alertRule, appUser, auditEvent, authAccount, authVerificationToken, notification, notificationChannel } from "@/db/schema";
import { preferencesOf } from "@/db/queries/alerts";
import type { ProfileInput } from "@/server/core/account-input";
import { NotFoundError, ValidationError } from "@/server/core/errors";
import type { AppContext } from "@/server/context";

/**
 * A user's own account: what the account page shows and does, for tRPC (and so the page). Every
 * function acts on the signed-in user's own rows only; another user's ids are simply not found.
 */

type Ctx = Pick<AppContext, "db" | "clock">;

export async function accountOverview(ctx: Ctx, userId: string) {
  const user = await userById(ctx.db, userId);
  if (!user) throw new NotFoundError("This account no longer exists.");
  const linked = await ctx.db.select({ provider: authAccount.provider }).from(authAccount).where(eq(authAccount.userId, userId));
  // The sign-in methods by name ("email", "github", "google"); the email link is one for every
  // account with a verified address (Auth.js links no row for it).
  const methods = [...new Set([...(user.emailVerified ? ["email"] : []), ...linked.map((m) => m.provider)])];
  return { id: user.id, name: user.name, email: user.email, role: user.role, createdAt: user.createdAt, signInMethods: methods };
}

export async function updateProfile(ctx: Ctx, userId: string, input: ProfileInput) {
  await ctx.db.update(appUser).set({ name: input.name || null }).where(eq(appUser.id, userId));
  return accountOverview(ctx, userId);
}

/** The user's sessions, the one making this request marked. */
export async function accountSessions(ctx: Ctx, userId: string, currentSessionId: string) {
  return (await listSessions(ctx.db, userId, ctx.clock())).map((session) => ({ ...session, current: session.id === currentSessionId }));
}

/** Ends one of the user's sessions (this one too: that is signing out); audited. */
export async function endOwnSession(ctx: Ctx, userId: string, id: string): Promise<void> {
  if (!(await endSession(ctx.db, userId, id))) throw new NotFoundError("You have no session with this id.");
  await recordAudit(ctx.db, { action: "sessions_ended", actorId: userId, detail: { sessions: 1, which: "one" } });
}

/** "Sign out everywhere else": every session but this one; audited. How many ended. */
export async function endOtherOwnSessions(ctx: Ctx, userId: string, currentSessionId: string): Promise<number> {
  const ended = await endOtherSessions(ctx.db, userId, currentSessionId);
  await recordAudit(ctx.db, { action: "sessions_ended", actorId: userId, detail: { sessions: ended, which: "all others" } });
  return ended;
}

/**
 * Everything the account holds, as one JSON document ("export my data"). Later resources add
 * their section here. Never a secret: no session token, no key, no hash, no webhook secret.
 */
export async function exportAccount(ctx: Ctx, userId: string) {
  const account = await accountOverview(ctx, userId);
  const [sessions, apiKeys, tracked, rules, channels, preferences, notifications, audit] = await Promise.all([
    listSessions(ctx.db, userId, ctx.clock()),
    listApiKeys(ctx.db, userId),
    listTrackedRoutes(ctx.db, userId),
    ctx.db.select().from(alertRule).where(eq(alertRule.userId, userId)),
    ctx.db.select().from(notificationChannel).where(eq(notificationChannel.userId, userId)),
    preferencesOf(ctx.db, [userId]),
    ctx.db.select().from(notification).where(eq(notification.userId, userId)).orderBy(notification.createdAt),
    ctx.db
      .select({ at: auditEvent.at, action: auditEvent.action, actorId: auditEvent.actorId, address: auditEvent.address, userAgent: auditEvent.userAgent, detail: auditEvent.detail })
      .from(auditEvent)
      .where(or(eq(auditEvent.actorId, userId), eq(auditEvent.subjectId, userId)))
      .orderBy(auditEvent.at),
  ]);
  return {
    format: "flight-tracker-account-export",
    version: 1,
    exportedAt: ctx.clock().toISOString(),
    account,
    sessions: sessions.map(({ id, createdAt, lastSeenAt, expires, userAgent, address }) => ({ id, createdAt, lastSeenAt, expires, userAgent, address })),
    apiKeys,
    trackedRoutes: tracked.map(({ userId: _owner, ...route }) => route),
    alertRules: rules.map(({ userId: _owner, ...rule }) => rule),
    notificationChannels: channels.map(({ userId: _owner, secretSealed, ...channel }) => ({ ...channel, hasSecret: secretSealed !== null })),
    notificationPreferences: preferences.get(userId)!,
    notifications: notifications.map(({ userId: _owner, ...n }) => n),
    // Where someone else acted on this account (an admin), their address is theirs, not the user's.
    auditEvents: audit.map(({ actorId, address, userAgent, ...event }) => ({ ...event, byYou: actorId === userId, ...(actorId === userId ? { address, userAgent } : {}) })),
  };
}

/**
 * Deletes the account and everything it owns (its sessions end, its keys stop working: the
 * rows go with it). The user confirms by typing its email address. The audit log keeps a line
 * saying that it happened (by id, without the address).
 */
export async function deleteAccount(ctx: Ctx, userId: string, confirmEmail: string): Promise<void> {
  const user = await userById(ctx.db, userId);
  if (!user) throw new NotFoundError("This account no longer exists.");
  if (!user.email || normalizeEmail(confirmEmail) !== user.email) {
    throw ValidationError.of("confirmEmail", "must be this account's email address");
  }
  await ctx.db.transaction(async (tx) => {
    await recordAudit(tx, { action: "account_deleted", actorId: userId, subjectId: userId, detail: { userId } });
    await tx.delete(appUser).where(eq(appUser.id, userId));
    // A link sent in the last minutes would make the account again.
    await tx.delete(authVerificationToken).where(eq(authVerificationToken.identifier, user.email!));
  });
}
