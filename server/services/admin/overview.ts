import { deliveryCounts, queueDepths, runCounts, schedulerLag, snapshotsPerHour, type DeliveryCounts, type QueueDepth, type RunCounts } from "@/db/queries/admin";
import { recordAudit } from "@/db/queries/audit";
import type { AppContext } from "@/server/context";
import { PGBOSS_SCHEMA } from "@/server/jobs/queue";
import { readSchedulerPause, writeSchedulerPause, type ProviderPause } from "@/server/providers/pauses";
import { oldestOverdue, type FreshnessItem } from "./ingestion";
import { providerHealth, type ProviderHealth } from "./providers";

export type AdminOverviewContext = Pick<AppContext, "db" | "clock" | "config" | "providers" | "providerPauses">;

export interface AdminOverview {
  generatedAt: string;
  /** The whole scheduler paused by an admin (maintenance), or null. */
  maintenance: ProviderPause | null;
  queues: QueueDepth[];
  runs: { lastHour: RunCounts; lastDay: RunCounts };
  snapshotsPerHour: { hour: string; snapshots: number }[];
  /** How late the last hour's first attempts started after falling due. */
  schedulerLag: { runs: number; p50Ms: number; p95Ms: number; maxMs: number } | null;
  providers: ProviderHealth[];
  oldestOverdue: FreshnessItem | null;
  notifications: { inApp: number; channels: DeliveryCounts[] };
}

/** The overview's figures, each from its own indexed read, in parallel. */
export async function adminOverview(ctx: AdminOverviewContext): Promise<AdminOverview> {
  const now = ctx.clock();
  const [maintenance, queues, runs, perHour, lag, providers, overdue, notifications] = await Promise.all([
    readSchedulerPause(ctx.db),
    queueDepths(ctx.db, PGBOSS_SCHEMA),
    runCounts(ctx.db, now),
    snapshotsPerHour(ctx.db, now),
    schedulerLag(ctx.db, now),
    providerHealth(ctx, { errors: 0 }),
    oldestOverdue(ctx),
    deliveryCounts(ctx.db, now),
  ]);
  return { generatedAt: now.toISOString(), maintenance, queues, runs, snapshotsPerHour: perHour, schedulerLag: lag, providers, oldestOverdue: overdue, notifications };
}

/** Whether the scheduler is paused for maintenance (the banner reads this). */
export function schedulerPause(ctx: Pick<AppContext, "db">): Promise<ProviderPause | null> {
  return readSchedulerPause(ctx.db);
}

/** Pauses (or resumes) all scheduled ingestion, on every worker at its next tick. Audited. */
export async function setSchedulerPaused(ctx: Pick<AppContext, "db" | "clock">, adminId: string, input: { paused: boolean; reason?: string }): Promise<ProviderPause | null> {
  const pause = input.paused ? { pausedAt: ctx.clock().toISOString(), pausedBy: adminId, reason: input.reason ?? null } : null;
  await ctx.db.transaction(async (tx) => {
    await writeSchedulerPause(tx, pause);
    await recordAudit(tx, { action: input.paused ? "scheduler_paused" : "scheduler_resumed", actorId: adminId, detail: input.reason ? { reason: input.reason } : {} });
  });
  return pause;
}
