import {
  auditInput,
  deadSelectionInput,
  deliveryIdInput,
  failuresInput,
  freshnessInput,
  providerPauseInput,
  refreshInput,
  runIdInput,
  runsInput,
  setPausedInput,
  userDisabledInput,
  userRoleInput,
  usersInput,
} from "@/server/core/admin-input";
import { deliveriesOverview, retryDelivery } from "@/server/services/admin/deliveries";
import { discardDead, failures, freshness, listRuns, refreshNow, retryDead, runDetail } from "@/server/services/admin/ingestion";
import { adminOverview, schedulerPause, setSchedulerPaused } from "@/server/services/admin/overview";
import { providerControls, providerHealth, setProviderPause } from "@/server/services/admin/providers";
import { auditLog, listUsers, setUserDisabled, setUserRole } from "@/server/services/admin/users";
import { adminProcedure, createTRPCRouter } from "@/server/trpc/init";

/** The admin console's procedures (admins only: a user gets FORBIDDEN, anonymous UNAUTHORIZED). Every change is audited. */
export const adminRouter = createTRPCRouter({
  overview: adminProcedure.query(({ ctx }) => adminOverview(ctx)),
  schedulerPause: adminProcedure.query(({ ctx }) => schedulerPause(ctx)),
  /** Maintenance: no scheduled ingestion on any worker until resumed. */
  setSchedulerPaused: adminProcedure.input(setPausedInput).mutation(({ ctx, input }) => setSchedulerPaused(ctx, ctx.principal.userId, input)),

  runs: adminProcedure.input(runsInput).query(({ ctx, input }) => listRuns(ctx, input)),
  run: adminProcedure.input(runIdInput).query(({ ctx, input }) => runDetail(ctx, input.id)),

  failures: adminProcedure.input(failuresInput).query(({ ctx, input }) => failures(ctx, input)),
  retryDead: adminProcedure.input(deadSelectionInput).mutation(({ ctx, input }) => retryDead(ctx, ctx.principal.userId, input)),
  discardDead: adminProcedure.input(deadSelectionInput).mutation(({ ctx, input }) => discardDead(ctx, ctx.principal.userId, input)),

  providers: adminProcedure.query(({ ctx }) => providerControls(ctx)),
  providerHealth: adminProcedure.query(({ ctx }) => providerHealth(ctx)),
  /** Pause (or resume) a provider for live searches and scheduled ingestion, on every instance. */
  setProviderPaused: adminProcedure.input(providerPauseInput).mutation(({ ctx, input }) => setProviderPause(ctx, ctx.principal.userId, input)),

  freshness: adminProcedure.input(freshnessInput).query(({ ctx, input }) => freshness(ctx, input)),
  refreshNow: adminProcedure.input(refreshInput).mutation(({ ctx, input }) => refreshNow(ctx, ctx.principal.userId, input.queryIds)),

  deliveries: adminProcedure.query(({ ctx }) => deliveriesOverview(ctx)),
  retryDelivery: adminProcedure.input(deliveryIdInput).mutation(({ ctx, input }) => retryDelivery(ctx, ctx.principal.userId, input.deliveryId)),

  users: adminProcedure.input(usersInput).query(({ ctx, input }) => listUsers(ctx, input)),
  setUserRole: adminProcedure.input(userRoleInput).mutation(({ ctx, input }) => setUserRole(ctx, ctx.principal.userId, input.userId, input.role)),
  setUserDisabled: adminProcedure.input(userDisabledInput).mutation(({ ctx, input }) => setUserDisabled(ctx, ctx.principal.userId, input.userId, input.disabled)),

  audit: adminProcedure.input(auditInput).query(({ ctx, input }) => auditLog(ctx, input)),
});
