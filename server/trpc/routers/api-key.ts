import { listApiKeys } from "@/db/queries/api-keys";
import { requireSession } from "@/server/auth/principal";
import { apiKeyIdInput, createApiKeyInput } from "@/server/core/api-key-input";
import { makeApiKey, revokeOwnApiKey } from "@/server/services/accounts/api-keys";
import { createTRPCRouter, protectedProcedure } from "@/server/trpc/init";

/** A signed-in user's API keys. Managed with a session only: a key cannot make or revoke keys. */
export const apiKeyRouter = createTRPCRouter({
  list: protectedProcedure.query(({ ctx }) => listApiKeys(ctx.db, requireSession(ctx.principal).userId)),

  /** The key is in this answer only: show it once. */
  create: protectedProcedure
    .input(createApiKeyInput)
    .mutation(({ ctx, input }) => makeApiKey(ctx, requireSession(ctx.principal).userId, input)),

  revoke: protectedProcedure.input(apiKeyIdInput).mutation(async ({ ctx, input }) => {
    await revokeOwnApiKey(ctx, requireSession(ctx.principal).userId, input.id);
    return { revoked: true as const };
  }),
});
