/**
 * `npm run worker`: runs the job queue's workers (scheduled ingestion, retention) against the
 * configured database server, as many processes as you like on any machine. Stops gracefully
 * on SIGTERM or SIGINT: takes no new job, lets the ones in hand finish (up to
 * WORKER_STOP_TIMEOUT_MS, default 30 s), releases the rest for a retry, writes what is pending.
 */
import "./load-env";
import { describeDatabaseFailure } from "@/db/describe-failure";
import { closeAppContext, configFromEnv, databaseTarget, getAppContext, type AppContext } from "@/server/context";
import { env } from "@/server/env";
import { startJobs } from "@/server/jobs/runtime";
import { log } from "@/server/log";

const config = configFromEnv();
if (!config.database.url) {
  console.error(
    "npm run worker needs DATABASE_URL: on the embedded engine the app process owns the database and runs the jobs itself (WORKER_MODE=app, the default).",
  );
  process.exit(1);
}

let stopping = false;
let stop: (() => Promise<void>) | undefined;

async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info("worker stopping", { signal });
  await stop?.().catch((error: unknown) => log.warn("job queue did not stop cleanly", { err: error }));
  await closeAppContext();
  log.info("worker stopped");
  process.exit(0);
}
process.once("SIGTERM", () => void shutdown("SIGTERM"));
process.once("SIGINT", () => void shutdown("SIGINT"));

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
  const runtime = await startJobs(ctx);
  stop = () => runtime.stop(env.WORKER_STOP_TIMEOUT_MS);
  log.info("worker started", { concurrency: ctx.config.tracking.workerConcurrency, database: ctx.database.location });
}
