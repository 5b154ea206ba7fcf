import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { auditPage, usersPage, type AdminUserRow, type AuditView } from "@/db/queries/admin";
import { AUDIT_ACTIONS, recordAudit } from "@/db/queries/audit";
import { endOtherSessions } from "@/db/queries/sessions";
import { appUser } from "@/db/schema";
import { NotFoundError, ValidationError } from "@/server/core/errors";
import type { Role } from "@/server/core/roles";
import type { AppContext } from "@/server/context";
import { cursorParam } from "./ingestion";

type Ctx = Pick<AppContext, "db" | "clock">;

export async function listUsers(ctx: Ctx, options: { query?: string; role?: Role; cursor?: string; limit?: number }): Promise<{ items: AdminUserRow[]; nextCursor: string | null }> {
  return usersPage(ctx.db, { query: options.query?.trim() || undefined, role: options.role, limit: options.limit ?? 50, cursor: cursorParam(options.cursor, "uuid") });
}

async function userRow(ctx: Ctx, userId: string) {
  const [user] = await ctx.db.select().from(appUser).where(eq(appUser.id, userId));
  if (!user) throw new NotFoundError("No such user.");
  return user;
}

/**
 * Admins still able to act, other than `userId`: the last one cannot be demoted or disabled
 * (nobody could undo it). Locks the active admins' rows until the caller's transaction ends, so
 * two admins demoting (or disabling) each other at once take turns and the second sees the
 * first's change: a count read before the transaction let both through, leaving no admin.
 */
async function otherActiveAdmins(tx: Db, userId: string): Promise<number> {
  const admins = await tx
    .select({ id: appUser.id })
    .from(appUser)
    .where(and(eq(appUser.role, "admin"), isNull(appUser.disabledAt)))
    .orderBy(appUser.id)
    .for("update");
  return admins.filter((a) => a.id !== userId).length;
}

/** Changes a user's role (in force on their next request: the role is read on every one). Audited. */
export async function setUserRole(ctx: Ctx, adminId: string, userId: string, role: Role): Promise<AdminUserRow["role"]> {
  const user = await userRow(ctx, userId);
  if (user.role === role) return role;
  await ctx.db.transaction(async (tx) => {
    if (user.role === "admin" && (await otherActiveAdmins(tx, userId)) === 0) throw ValidationError.of("role", "would leave no admin: make someone else an admin first");
    await tx.update(appUser).set({ role }).where(eq(appUser.id, userId));
    await recordAudit(tx, { action: "role_changed", actorId: adminId, subjectId: userId, detail: { from: user.role, to: role, by: "admin console" } });
  });
  return role;
}

/**
 * Disables an account (it cannot sign in; its sessions end now and its API keys stop working),
 * or enables it again. An admin cannot disable themself. Audited.
 */
export async function setUserDisabled(ctx: Ctx, adminId: string, userId: string, disabled: boolean): Promise<{ disabledAt: string | null; sessionsEnded: number }> {
  const user = await userRow(ctx, userId);
  if (disabled && userId === adminId) throw ValidationError.of("userId", "is you: another admin disables an admin");
  const at = disabled ? (user.disabledAt ?? ctx.clock()) : null;
  return ctx.db.transaction(async (tx) => {
    if (disabled && user.role === "admin" && (await otherActiveAdmins(tx, userId)) === 0) throw ValidationError.of("userId", "is the last admin");
    await tx.update(appUser).set({ disabledAt: at }).where(eq(appUser.id, userId));
    const sessionsEnded = disabled ? await endOtherSessions(tx, userId, null) : 0;
    if (Boolean(user.disabledAt) !== disabled) {
      await recordAudit(tx, { action: disabled ? "account_disabled" : "account_enabled", actorId: adminId, subjectId: userId, detail: disabled ? { sessionsEnded } : {} });
    }
    return { disabledAt: at?.toISOString() ?? null, sessionsEnded };
  });
}


export async function auditLog(
  ctx: Ctx,
  options: { action?: (typeof AUDIT_ACTIONS)[number]; user?: string; from?: Date; to?: Date; cursor?: string; limit?: number },
): Promise<{ items: AuditView[]; nextCursor: string | null }> {
  return auditPage(ctx.db, { action: options.action, userEmail: options.user, from: options.from, to: options.to, limit: options.limit ?? 50, cursor: cursorParam(options.cursor) });
}
