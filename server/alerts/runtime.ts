import type PgBoss from "pg-boss";
import type { AppContext } from "@/server/context";
import { ensureQueue } from "@/server/jobs/queue";
import { log } from "@/server/log";
import { metrics } from "@/server/metrics";
import { runJob } from "@/server/observability/jobs";
import { prom } from "@/server/observability/metrics";
import { runDelivery } from "./deliver";
import { sendDigests } from "./digest";
import { setAlertNudge } from "./nudge";
import { DELIVER_QUEUE, evaluatePending, type DeliverJob } from "./evaluate";

export const DIGEST_QUEUE = "alerts-digest";
const EVALUATION_BATCH = 500;
/** Deliveries one worker takes at a time (sent concurrently: they wait on the network). */
const DELIVERY_BATCH = 10;

/** The alerts' queues and their policies. */
export async function prepareAlertQueues(boss: PgBoss, config: AppContext["config"]): Promise<void> {
  // Retries here are for a worker that died mid-job (the job expires after INGEST_JOB_EXPIRE_SECONDS);
  // a send that failed schedules its own next attempt.
  await ensureQueue(boss, { name: DELIVER_QUEUE, retryLimit: 5, retryDelay: 1, retryBackoff: true, expireInSeconds: config.tracking.jobExpireSeconds }, { update: true });
  await ensureQueue(boss, { name: DIGEST_QUEUE, policy: "singleton", retryLimit: 1, expireInSeconds: 900 });
}

/** Test-only fault injection: the process dies here, as a crash would (ALERTS_TEST_CRASH; server/env.ts refuses it in production). */
function crashPoint(ctx: Pick<AppContext, "config">, at: "after-evaluation" | "after-send"): void {
  if (ctx.config.alerts.crashAt !== at) return;
  log.warn("ALERTS_TEST_CRASH: killing this process", { at });
  process.kill(process.pid, "SIGKILL");
}

/**
 * Runs the alerts in a worker process: the evaluator (every ALERTS_POLL_MS, and at once after
 * this process writes prices), delivery workers, and the hourly digest. Returns its stop.
 */
export async function startAlerts(ctx: AppContext, boss: PgBoss, options: { concurrency: number; pollingIntervalSeconds: number }): Promise<() => void> {
  await prepareAlertQueues(boss, ctx.config);
  await boss.schedule(DIGEST_QUEUE, "7 * * * *");
  let running = false;
  let again = false;
  let stopped = false;
  const evaluate = async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        const result = await evaluatePending(ctx, boss, { limit: EVALUATION_BATCH });
        if (result.notifications) {
          metrics.alertsWritten += result.notifications;
          prom.alertsWritten.inc(result.notifications);
          log.info("alerts written", { ...result });
          crashPoint(ctx, "after-evaluation");
        }
        if (result.events === EVALUATION_BATCH) again = true;
      } while (again && !stopped);
    } catch (error) {
      log.warn("alert evaluation failed; the events stay in the outbox for the next round", { err: error });
    } finally {
      running = false;
    }
  };
  setAlertNudge(() => void evaluate());
  const timer = setInterval(() => void evaluate(), ctx.config.alerts.pollMs);
  timer.unref();
  void evaluate();

  await boss.work(DIGEST_QUEUE, { pollingIntervalSeconds: options.pollingIntervalSeconds }, ([job]) =>
    runJob(DIGEST_QUEUE, job?.data, async () => {
      const sent = await sendDigests(ctx);
      if (sent.emails) log.info("alert digests sent", { ...sent });
    }),
  );
  for (let i = 0; i < options.concurrency; i++) {
    const worker = { id: "" };
    worker.id = await boss.work<DeliverJob>(DELIVER_QUEUE, { pollingIntervalSeconds: Math.min(1, options.pollingIntervalSeconds), batchSize: DELIVERY_BATCH }, async (jobs) => {
      try {
        await Promise.all(jobs.map((job) => runJob(DELIVER_QUEUE, job.data, () => runDelivery(ctx, boss, job.data, { afterSend: () => crashPoint(ctx, "after-send") }))));
      } finally {
        if (worker.id) boss.notifyWorker(worker.id);
      }
    });
  }
  return () => {
    stopped = true;
    clearInterval(timer);
    setAlertNudge(undefined);
  };
}
