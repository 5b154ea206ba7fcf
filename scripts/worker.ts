/**
 * `npm run worker`: runs the job queue's workers (scheduled ingestion, retention) against the
 * configured database server, as many processes as you like on any machine. Stops gracefully
 * on SIGTERM or SIGINT: takes no new job, lets the ones in hand finish (up to
 * WORKER_STOP_TIMEOUT_MS, default 30 s), releases the rest for a retry, writes what is pending.
 * Serves its own metrics and liveness on WORKER_METRICS_PORT (GET /metrics, GET /live) and
 * sends traces when an OTLP endpoint is set (server/observability).
 */
import "./load-env";
import { describeDatabaseFailure } from "@/db/describe-failure";
import { queueDepths } from "@/db/queries/admin";
import { closeAppContext, configFromEnv, databaseTarget, getAppContext, type AppContext } from "@/server/context";
import { env } from "@/server/env";
import { PGBOSS_SCHEMA } from "@/server/jobs/queue";
import { startJobs } from "@/server/jobs/runtime";
import { log } from "@/server/log";
import { flushTracing, startTracing } from "@/server/observability/otel";
import { startWorkerServer, type WorkerServer } from "@/server/observability/worker-server";

const config = configFromEnv();
if (!config.database.url) {
  console.error(
    "npm run worker needs DATABASE_URL: on the embedded engine the app process owns the database and runs the jobs itself (WORKER_MODE=app, the default).",
  );
  process.exit(1);
}

startTracing("flight-tracker-worker");

let stopping = false;
let stop: (() => Promise<void>) | undefined;
let metricsServer: WorkerServer | undefined;

async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info("worker stopping", { signal });
  await stop?.().catch((error: unknown) => log.warn("job queue did not stop cleanly", { err: error }));
  await closeAppContext();
  await metricsServer?.close();
  await flushTracing().catch((error: unknown) => log.warn("traces not sent", { err: error }));
  log.info("worker stopped");
  process.exit(0);
}
process.once("SIGTERM", () => void shutdown("SIGTERM"));
process.once("SIGINT", () => void shutdown("SIGINT"));

// Up before the database, so that a worker waiting for it is seen alive, and scraped.
if (env.WORKER_METRICS_PORT > 0) {
  try {
    metricsServer = await startWorkerServer({ host: env.WORKER_METRICS_HOST, port: env.WORKER_METRICS_PORT, token: env.METRICS_TOKEN });
    log.info("worker metrics served", { url: `http://${env.WORKER_METRICS_HOST}:${metricsServer.port}/metrics`, live: "/live", token: Boolean(env.METRICS_TOKEN) });
  } catch (error) {
    // Jobs matter more than their metrics: run them, and say loudly what is missing.
    log.error("worker metrics not served: is another process on that port? Give each worker on a machine its own WORKER_METRICS_PORT (0: none)", {
      port: env.WORKER_METRICS_PORT,
      err: error,
    });
  }
}

// A database that is down when the worker starts is waited for, not fatal.
let ctx: AppContext | undefined;
for (let attempt = 1; !ctx && !stopping; attempt++) {
  try {
    ctx = await getAppContext();
  } catch (error) {
    const target = databaseTarget(config.database);
    log.warn("database not ready, retrying", { attempt, reason: describeDatabaseFailure(target.engine, target.location, error) });
    await new Promise((resolve) => setTimeout(resolve, Math.min(30_000, 1_000 * attempt)));
  }
}
if (ctx && !stopping) {
  const db = ctx.db;
  metricsServer?.setQueueDepths(() => queueDepths(db, PGBOSS_SCHEMA));
  const runtime = await startJobs(ctx);
  stop = () => runtime.stop(env.WORKER_STOP_TIMEOUT_MS);
  log.info("worker started", { concurrency: ctx.config.tracking.workerConcurrency, database: ctx.database.location });
}
