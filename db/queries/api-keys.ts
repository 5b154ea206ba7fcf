import { and, desc, eq, isNull, lt, or } from "drizzle-orm";
import type { Db } from "@/db/client";
import { apiKey, appUser } from "@/db/schema";
import { apiKeyMatches, apiKeyUsable, generateApiKey, hashApiKey, type ApiKeyScope } from "@/server/core/api-keys";
import type { Role } from "@/server/core/roles";

/** A key as its owner sees it in lists: never the key, never its hash. */
export interface ApiKeySummary {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const summaryColumns = {
  id: apiKey.id,
  name: apiKey.name,
  prefix: apiKey.prefix,
  scopes: apiKey.scopes,
  createdAt: apiKey.createdAt,
  expiresAt: apiKey.expiresAt,
  lastUsedAt: apiKey.lastUsedAt,
  revokedAt: apiKey.revokedAt,
};

/** Makes a key for a user. The key itself is in the answer and nowhere else: show it once. */
export async function createApiKey(
  db: Db,
  userId: string,
  input: { name: string; scopes: ApiKeyScope[]; expiresAt?: Date | null },
): Promise<{ key: string; summary: ApiKeySummary }> {
  const made = generateApiKey();
  const [summary] = await db
    .insert(apiKey)
    .values({ userId, name: input.name, prefix: made.prefix, hash: made.hash, scopes: [...input.scopes], expiresAt: input.expiresAt ?? null })
    .returning(summaryColumns);
  return { key: made.key, summary: summary! };
}

/** A user's keys, newest first, revoked ones included (the list says so). */
export async function listApiKeys(db: Db, userId: string): Promise<ApiKeySummary[]> {
  return db.select(summaryColumns).from(apiKey).where(eq(apiKey.userId, userId)).orderBy(desc(apiKey.createdAt), desc(apiKey.id));
}

/** Revokes one of the user's own keys; false when the user has no such key (or it was revoked). */
export async function revokeApiKey(db: Db, userId: string, keyId: string, now = new Date()): Promise<boolean> {
  const rows = await db
    .update(apiKey)
    .set({ revokedAt: now })
    .where(and(eq(apiKey.id, keyId), eq(apiKey.userId, userId), isNull(apiKey.revokedAt)))
    .returning({ id: apiKey.id });
  return rows.length > 0;
}

/** Who a request with this key acts as. */
export interface KeyPrincipal {
  keyId: string;
  userId: string;
  role: Role;
  scopes: string[];
}

/** How often `last_used_at` is written at most: a busy key costs no write per request. */
export const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * The principal behind a key, or null when the key is unknown, revoked, expired or its user
 * disabled: checked on every request, so revoking takes effect on the next one. Marks the key
 * used (at most once a minute).
 */
export async function authenticateApiKey(db: Db, key: string, now = new Date()): Promise<KeyPrincipal | null> {
  const [row] = await db
    .select({
      id: apiKey.id,
      hash: apiKey.hash,
      userId: apiKey.userId,
      scopes: apiKey.scopes,
      expiresAt: apiKey.expiresAt,
      revokedAt: apiKey.revokedAt,
      lastUsedAt: apiKey.lastUsedAt,
      role: appUser.role,
      disabledAt: appUser.disabledAt,
    })
    .from(apiKey)
    .innerJoin(appUser, eq(appUser.id, apiKey.userId))
    .where(eq(apiKey.hash, hashApiKey(key)));
  if (!row || !apiKeyMatches(key, row.hash) || !apiKeyUsable(row, now) || row.disabledAt !== null) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    const stale = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
    await db
      .update(apiKey)
      .set({ lastUsedAt: now })
      .where(and(eq(apiKey.id, row.id), or(isNull(apiKey.lastUsedAt), lt(apiKey.lastUsedAt, stale))));
  }
  return { keyId: row.id, userId: row.userId, role: row.role, scopes: row.scopes };
}

/** Revokes every key of a user (account deletion, disabling). Returns how many. */
export async function revokeAllApiKeys(db: Db, userId: string, now = new Date()): Promise<number> {
  const rows = await db
    .update(apiKey)
    .set({ revokedAt: now })
    .where(and(eq(apiKey.userId, userId), isNull(apiKey.revokedAt)))
    .returning({ id: apiKey.id });
  return rows.length;
}
