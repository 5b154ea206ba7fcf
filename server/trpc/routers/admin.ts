import { z } from "zod";
import { providerControls, setProviderPause } from "@/server/services/admin/providers";
import { adminProcedure, createTRPCRouter } from "@/server/trpc/init";

/** The admin console's procedures (admins only: a user gets FORBIDDEN, anonymous UNAUTHORIZED). */
export const adminRouter = createTRPCRouter({
  providers: adminProcedure.query(({ ctx }) => providerControls(ctx)),

  /** Pause (or resume) a provider for live searches and scheduled ingestion, on every instance; audited. */
  setProviderPaused: adminProcedure
    .input(
      z
        .object({
          provider: z.string().regex(/^[a-z0-9-]{1,40}$/, "must be a provider id such as skyway"),
          paused: z.boolean(),
          reason: z.string().trim().max(200, "must be at most 200 characters").optional(),
        })
        .strict(),
    )
    .mutation(({ ctx, input }) => setProviderPause(ctx, ctx.principal.userId, input)),
});
