import { requireSession } from "@/server/auth/principal";
import { deleteAccountInput, profileInput, sessionIdInput } from "@/server/core/account-input";
import {
  accountOverview,
  accountSessions,
  deleteAccount,
  endOtherOwnSessions,
  endOwnSession,
  exportAccount,
  updateProfile,
} from "@/server/services/accounts/account";
import { createTRPCRouter, protectedProcedure } from "@/server/trpc/init";

/**
 * The signed-in user's own account: profile, sessions, export, deletion. A signed-in session
 * only: an API key can do none of this.
 */
export const accountRouter = createTRPCRouter({
  me: protectedProcedure.query(({ ctx }) => accountOverview(ctx, requireSession(ctx.principal).userId)),

  updateProfile: protectedProcedure.input(profileInput).mutation(({ ctx, input }) => updateProfile(ctx, requireSession(ctx.principal).userId, input)),

  sessions: protectedProcedure.query(({ ctx }) => {
    const session = requireSession(ctx.principal);
    return accountSessions(ctx, session.userId, session.sessionId);
  }),

  endSession: protectedProcedure.input(sessionIdInput).mutation(async ({ ctx, input }) => {
    await endOwnSession(ctx, requireSession(ctx.principal).userId, input.id);
    return { ended: 1 };
  }),

  endOtherSessions: protectedProcedure.mutation(async ({ ctx }) => {
    const session = requireSession(ctx.principal);
    return { ended: await endOtherOwnSessions(ctx, session.userId, session.sessionId) };
  }),

  export: protectedProcedure.query(({ ctx }) => exportAccount(ctx, requireSession(ctx.principal).userId)),

  delete: protectedProcedure.input(deleteAccountInput).mutation(async ({ ctx, input }) => {
    await deleteAccount(ctx, requireSession(ctx.principal).userId, input.confirmEmail);
    return { deleted: true as const };
  }),
});
