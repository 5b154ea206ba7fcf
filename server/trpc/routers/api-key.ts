import { createApiKey, listApiKeys, revokeApiKey } from "@/db/queries/api-keys";
import { recordAudit } from "@/db/queries/audit";
import { requireSession } from "@/server/auth/principal";
import { apiKeyIdInput, createApiKeyInput } from "@/server/core/api-key-input";
import { NotFoundError } from "@/server/core/errors";
import { createTRPCRouter, protectedProcedure } from "@/server/trpc/init";

const DAY_MS = 86_400_000;

/** A signed-in user's API keys. Managed with a session only: a key cannot make or revoke keys. */
export const apiKeyRouter = createTRPCRouter({
  list: protectedProcedure.query(({ ctx }) => listApiKeys(ctx.db, requireSession(ctx.principal).userId)),

  /** The key is in this answer only: show it once. */
  create: protectedProcedure.input(createApiKeyInput).mutation(async ({ ctx, input }) => {
    const { userId } = requireSession(ctx.principal);
    const expiresAt = input.expiresInDays ? new Date(ctx.clock().getTime() + input.expiresInDays * DAY_MS) : null;
    const made = await createApiKey(ctx.db, userId, { name: input.name, scopes: input.scopes, expiresAt });
    await recordAudit(ctx.db, { action: "api_key_created", actorId: userId, address: ctx.clientAddress, detail: { keyId: made.summary.id, name: input.name, scopes: input.scopes } });
    return made;
  }),

  revoke: protectedProcedure.input(apiKeyIdInput).mutation(async ({ ctx, input }) => {
    const { userId } = requireSession(ctx.principal);
    // Another user's key is as absent as one that never was.
    if (!(await revokeApiKey(ctx.db, userId, input.id, ctx.clock()))) throw new NotFoundError("You have no active API key with this id.");
    await recordAudit(ctx.db, { action: "api_key_revoked", actorId: userId, address: ctx.clientAddress, detail: { keyId: input.id } });
    return { revoked: true as const };
  }),
});
