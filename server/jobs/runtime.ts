import type PgBoss from "pg-boss";
import { dropExpiredHistory } from "@/db/queries/retention";
import { startAlerts } from "@/server/alerts/runtime";
import type { AppContext } from "@/server/context";
import { log } from "@/server/log";
import { runJob } from "@/server/observability/jobs";
import { withSpan } from "@/server/observability/tracing";
import { IngestionFailed, runIngestion } from "./ingest";
import { createBoss, logBossErrors, prepareQueues, QUEUES, type IngestJob } from "./queue";
import { scheduleDue } from "./schedule";

const DAY_MS = 86_400_000;
/** Ingestion runs and outbox events are kept this long. */
export const RECORD_RETENTION_DAYS = 30;

export interface JobRuntime {
  readonly boss: PgBoss;
  /** Runs the scheduler's tick now (also on start), instead of at the next minute. */
  tick(): Promise<void>;
  /** Stops taking jobs, lets the ones in hand finish (up to `timeoutMs`), then closes. */
  stop(timeoutMs?: number): Promise<void>;
}

/**
 * Starts the job queue for this process: the queues, the scheduler's tick (every
 * INGEST_TICK_SECONDS, one across all workers) and the daily retention (pg-boss cron), and `concurrency` ingestion workers (each takes one job at a time; a
 * job waits mostly on providers, so a few per process keep one core busy), and the alerts'
 * evaluator, delivery workers and digest (server/alerts/runtime.ts). Ingestion failures
 * are logged by the queue's own record (ingestion_run) and retried by pg-boss.
 */
export async function startJobs(ctx: AppContext, options: { concurrency?: number; pollingIntervalSeconds?: number } = {}): Promise<JobRuntime> {
  const boss = createBoss(ctx.database, ctx.config);
  logBossErrors(boss);
  await boss.start();
  await prepareQueues(boss, ctx.config);
  await boss.schedule(QUEUES.retention, "17 3 * * *");

  // Traced: the ingestion jobs a tick hands over link their traces to it.
  const tick = () =>
    withSpan("ingest.schedule", {}, async (span) => {
      const result = await scheduleDue(ctx, boss);
      span.setAttributes({ "ingest.enqueued": result.enqueued, "ingest.waiting": result.waiting, ...(result.skipped ? { "ingest.skipped": result.skipped } : {}) });
      if (result.enqueued > 0 || result.skipped) log.info("ingestion scheduled", { ...result });
    });
  // An idle worker asks for work every 2 s; one with a backlog goes straight on (notifyWorker below).
  const polling = { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2 };
  await boss.work(QUEUES.schedule, polling, ([job]) => runJob(QUEUES.schedule, job?.data, tick));
  await boss.work(QUEUES.retention, polling, ([job]) => runJob(QUEUES.retention, job?.data, async () => {
    const days = ctx.config.tracking.retentionDays;
    const now = Date.now();
    if (days === 0) return;
    const result = await dropExpiredHistory(ctx.db, new Date(now - days * DAY_MS), new Date(now - RECORD_RETENTION_DAYS * DAY_MS));
    log.info("old price history dropped", { ...result, days });
  }));
  for (let i = 0; i < (options.concurrency ?? ctx.config.tracking.workerConcurrency); i++) {
    const worker = { id: "" };
    worker.id = await boss.work<IngestJob>(QUEUES.ingest, { ...polling, includeMetadata: true }, async ([job]) => {
      try {
        const outcome = await runJob(QUEUES.ingest, job!.data, () => runIngestion(ctx, { id: job!.id, data: job!.data, retryCount: job!.retryCount, retryLimit: job!.retryLimit }));
        return { outcome };
      } catch (error) {
        log.warn("ingestion run failed", { jobId: job!.id, queryId: job!.data.queryId, attempt: job!.retryCount + 1, err: error instanceof IngestionFailed ? error.message : error });
        throw error;
      } finally {
        // pg-boss waits out the polling interval after every job; with a backlog, fetch the next at once.
        if (worker.id) boss.notifyWorker(worker.id);
      }
    });
  }
  // Every worker asks for a tick each period; the singleton slot lets one through per period
  // across all of them, so adding workers does not add ticks.
  const stopAlerts = await startAlerts(ctx, boss, { concurrency: options.concurrency ?? ctx.config.tracking.workerConcurrency, pollingIntervalSeconds: polling.pollingIntervalSeconds });
  const tickSeconds = ctx.config.tracking.tickSeconds;
  const requestTick = () =>
    boss.send(QUEUES.schedule, {}, { singletonKey: "tick", singletonSeconds: tickSeconds }).catch((error: unknown) => log.warn("scheduler tick not queued", { err: error }));
  await tick().catch((error: unknown) => log.warn("first scheduler tick failed", { err: error }));
  const timer = setInterval(() => void requestTick(), tickSeconds * 1000);
  timer.unref();
  return {
    boss,
    tick,
    async stop(timeoutMs = 30_000) {
      clearInterval(timer);
      stopAlerts();
      await boss.stop({ graceful: true, wait: true, timeout: timeoutMs });
    },
  };
}
