import type { Db } from "@/db/client";
import { queueDepths, type QueueDepth } from "@/db/queries/admin";
import { oldestDueJobSeconds } from "@/db/queries/health";
import type { TrackingConfig } from "@/server/context";
import { PGBOSS_SCHEMA, QUEUES } from "@/server/jobs/queue";
import { safeMessage, since, type Deadline, type DependencyHealth } from "./dependency";

/** A job due this long and still not taken means no worker is taking jobs: degraded. */
export const STALLED_AFTER_SECONDS = 600;

export interface QueueHealth extends DependencyHealth {
  /** Where jobs run (WORKER_MODE). */
  workerMode: TrackingConfig["workerMode"];
  /** pg-boss's tables are there (made by the first worker's start). */
  installed: boolean;
  /** Jobs not done yet, per queue. */
  queues: QueueDepth[];
  /** How long the oldest due job has waited for a worker, in seconds. */
  oldestDueSeconds: number | null;
}

/**
 * The job queue (pg-boss, on the app's database): its tables there, its depths, and whether
 * jobs that are due get taken. Workers are separate processes (`npm run worker`) with a server
 * database, so the app cannot ask them; a due job nobody takes is how their absence shows.
 */
export async function checkQueue(db: Promise<Db>, workerMode: TrackingConfig["workerMode"], deadline: Deadline): Promise<QueueHealth> {
  const health: QueueHealth = { status: "down", latencyMs: null, error: null, note: null, workerMode, installed: false, queues: [], oldestDueSeconds: null };
  if (workerMode === "off") {
    return { ...health, status: "disabled", note: "WORKER_MODE=off: no jobs run (tracked routes are not refreshed, alerts not sent)." };
  }
  try {
    const handle = await deadline.race(db, "Opening the database");
    const started = performance.now();
    const [queues, oldest] = await deadline.race(
      Promise.all([queueDepths(handle, PGBOSS_SCHEMA), oldestDueJobSeconds(handle, PGBOSS_SCHEMA, [QUEUES.ingestDead])]),
      "The job queue check",
    );
    health.latencyMs = since(started);
    health.installed = oldest !== null;
    health.queues = queues;
    health.oldestDueSeconds = oldest;
    if (!health.installed) {
      health.status = "degraded";
      health.error =
        workerMode === "worker"
          ? "No worker has started on this database yet (`npm run worker`): tracked routes are not refreshed and alerts not sent."
          : "The job queue has not started in this process yet.";
    } else if (oldest! >= STALLED_AFTER_SECONDS) {
      health.status = "degraded";
      health.error = `A due job has waited ${Math.round(oldest! / 60)} minutes for a worker: ${workerMode === "worker" ? "are workers (`npm run worker`) running?" : "the app's job queue is not taking jobs."}`;
    } else {
      health.status = "ok";
    }
  } catch (error) {
    health.error = `The job queue cannot be read: ${safeMessage(error)}`;
  }
  return health;
}
