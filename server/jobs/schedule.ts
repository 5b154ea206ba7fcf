import type PgBoss from "pg-boss";
import { dueTargets, markEnqueued } from "@/db/queries/ingestion";
import type { AppContext } from "@/server/context";
import { metrics } from "@/server/metrics";
import { prom } from "@/server/observability/metrics";
import { traceFields } from "@/server/observability/tracing";
import { readSchedulerPause } from "@/server/providers/pauses";
import { earliestToday } from "@/server/core/time";
import { QUEUES, type IngestJob } from "./queue";

export interface TickResult {
  enqueued: number;
  /** Why nothing was handed over, when that was the scheduler's choice. */
  skipped?: string;
  /** Calls per tick the tightest provider budget allows, and jobs already waiting. */
  budget: number;
  waiting: number;
}

/**
 * Jobs one tick may hand over: each job asks every enabled provider once, so the provider with
 * the smallest budget (calls per minute) sets the pace, over the tick's period (at least one).
 * A provider an admin paused is not asked, so its budget does not count.
 */
export function ingestBudget(ctx: Pick<AppContext, "providers" | "config">, paused: Record<string, unknown> = {}): number {
  const { budgets, tickSeconds } = ctx.config.tracking;
  const asked = ctx.providers.filter((p) => !paused[p.id]);
  const perMinute = Math.min(...(asked.length ? asked : ctx.providers).map((p) => budgets.byProvider[p.id] ?? budgets.default));
  return Math.max(1, Math.floor((perMinute * tickSeconds) / 60));
}

/**
 * One tick of the scheduler: the queries due now (most overdue first) that an active tracked
 * route needs and no job holds, as many as the provider budget allows beside the jobs still
 * waiting, go to the queue (none while an admin has paused the scheduler), one job per query (its singleton key: never two for one query in
 * flight). Nothing is handed over while every provider is paused (by an admin) or its circuit open. A query handed over
 * is not handed again for the job's lifetime (expiry and retries), unless an observation of it
 * (that job's, or a search's) sets its next due time first.
 */
export async function scheduleDue(ctx: AppContext, boss: PgBoss, now = new Date()): Promise<TickResult> {
  const paused = await ctx.providerPauses.current();
  const budget = ingestBudget(ctx, paused);
  const waiting = await boss.getQueueSize(QUEUES.ingest, { before: "active" });
  const maintenance = await readSchedulerPause(ctx.db);
  if (maintenance) return { enqueued: 0, skipped: "the scheduler is paused for maintenance", budget, waiting };
  if (ctx.providers.length > 0 && ctx.providers.every((p) => paused[p.id] || p.breakerState() === "open")) {
    return { enqueued: 0, skipped: "every provider is paused or its circuit open", budget, waiting };
  }
  const t = ctx.config.tracking;
  // A job may wait, run until expiry, and be retried with backoff: the query is its until then.
  const holdSeconds = (t.retryLimit + 1) * t.jobExpireSeconds + t.retryDelaySeconds * (2 ** t.retryLimit - 1) + 300;
  const due = await dueTargets(ctx.db, { now, today: earliestToday(now), leaseStart: new Date(now.getTime() - holdSeconds * 1000), limit: budget - waiting });
  if (due.length === 0) return { enqueued: 0, budget, waiting };
  const jobs: PgBoss.JobInsert<IngestJob>[] = due.map((target) => ({
    name: QUEUES.ingest,
    data: { queryId: target.queryId, dueAt: target.dueAt.toISOString(), ...traceFields() },
    singletonKey: String(target.queryId),
  }));
  await boss.insert(jobs);
  await markEnqueued(
    ctx.db,
    due.map((d) => d.queryId),
    now,
  );
  metrics.ingestionEnqueued += due.length;
  prom.ingestScheduled.inc(due.length);
  return { enqueued: due.length, budget, waiting };
}
