import { createApiKey, revokeApiKey } from "@/db/queries/api-keys";
import { recordAudit } from "@/db/queries/audit";
import type { CreateApiKeyInput } from "@/server/core/api-key-input";
import { NotFoundError } from "@/server/core/errors";
import type { AppContext } from "@/server/context";

const DAY_MS = 86_400_000;

/**
 * Makes a key for a user, audited (the key itself never recorded; the address and user agent are
 * the request's, from its scope). tRPC and REST call this.
 */
export async function makeApiKey(ctx: Pick<AppContext, "db" | "clock">, userId: string, input: CreateApiKeyInput) {
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
