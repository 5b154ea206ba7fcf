import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { appUser } from "@/db/schema";
import type { Role } from "@/server/core/roles";
import { recordAudit } from "./audit";

export type UserRow = typeof appUser.$inferSelect;

/** Email addresses are kept lower-cased and trimmed: one account per address however it is typed. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function userByEmail(db: Db, email: string): Promise<UserRow | null> {
  const [row] = await db.select().from(appUser).where(eq(appUser.email, normalizeEmail(email)));
  return row ?? null;
}

export async function userById(db: Db, id: string): Promise<UserRow | null> {
  const [row] = await db.select().from(appUser).where(eq(appUser.id, id));
  return row ?? null;
}

/** The user with this address, made when there is none (the admin command; tests). */
export async function ensureUser(db: Db, email: string, values: { name?: string | null } = {}): Promise<UserRow> {
  const [row] = await db
    .insert(appUser)
    .values({ email: normalizeEmail(email), name: values.name ?? null })
    .onConflictDoUpdate({ target: appUser.email, set: { email: sql`excluded.email` } })
    .returning();
  return row!;
}

/** Sets a user's role; returns the role it had, or null when there is no such user. */
export async function setRole(db: Db, userId: string, role: Role): Promise<Role | null> {
  const before = await userById(db, userId);
  if (!before) return null;
  await db.update(appUser).set({ role }).where(eq(appUser.id, userId));
  return before.role;
}

/**
 * Makes the user with this address an admin, creating the account when there is none yet (it
 * signs in by that address later). Audited when the role changes. `npm run admin:grant`.
 */
export async function grantAdmin(db: Db, email: string, by: string): Promise<{ user: UserRow; changed: boolean }> {
  return db.transaction(async (tx) => {
    const user = await ensureUser(tx, email);
    if (user.role === "admin") return { user, changed: false };
    await setRole(tx, user.id, "admin");
    await recordAudit(tx, { action: "role_changed", actorId: null, subjectId: user.id, detail: { from: user.role, to: "admin", by } });
    return { user: { ...user, role: "admin" }, changed: true };
  });
}
