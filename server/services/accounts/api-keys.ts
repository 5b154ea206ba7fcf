import { createApiKey, revokeApiKey } from "@/db/queries/api-keys";
import { recordAudit } from "@/db/queries/audit";
import { userById } from "@/db/queries/users";
import type { CreateApiKeyInput } from "@/server/core/api-key-input";
import { NotFoundError, ValidationError } from "@/server/core/errors";
import type { AppContext } from "@/server/context";

const DAY_MS = 86_400_000;

/** The message on `scopes` when a user who is not an admin asks for the `admin` scope. */
export const ADMIN_SCOPE_REFUSAL = "may include admin only on an admin's account";

/**
 * Makes a key for a user, audited (the key itself never recorded; the address and user agent are
 * the request's, from its scope). tRPC and REST call this. The `admin` scope is refused to a user
 * who is not an admin (as the database says now) with a 400 on `scopes`, like any scope the
 * request may not name, so the form shows it beside the choice; nothing is written.
 */
export async function makeApiKey(ctx: Pick<AppContext, "db" | "clock">, userId: string, input: CreateApiKeyInput) {
  if (input.scopes.includes("admin") && (await userById(ctx.db, userId))?.role !== "admin") throw ValidationError.of("scopes", ADMIN_SCOPE_REFUSAL);
  const expiresAt = input.expiresInDays ? new Date(ctx.clock().getTime() + input.expiresInDays * DAY_MS) : null;
  const made = await createApiKey(ctx.db, userId, { name: input.name, scopes: input.scopes, expiresAt });
  await recordAudit(ctx.db, { action: "api_key_created", actorId: userId, detail: { keyId: made.summary.id, name: input.name, scopes: input.scopes } });
  return made;
}

/** Revokes one of the user's own keys, audited; another user's key is as absent as one that never was. */
export async function revokeOwnApiKey(ctx: Pick<AppContext, "db" | "clock">, userId: string, keyId: string): Promise<void> {
  if (!(await revokeApiKey(ctx.db, userId, keyId, ctx.clock()))) throw new NotFoundError("You have no active API key with this id.");
  await recordAudit(ctx.db, { action: "api_key_revoked", actorId: userId, detail: { keyId } });
}
