import { createHash, randomUUID } from "node:crypto";
import PgBoss from "pg-boss";
import { queryRows, sqlExecutor, type Database, type Db } from "@/db/client";
import { sql } from "drizzle-orm";
import { queueTablesExist } from "@/db/queries/job-queue";
import type { AppConfig } from "@/server/context";
import { log } from "@/server/log";
import { traceFields } from "@/server/observability/tracing";

/**
 * The job queue: pg-boss 10 on the app's own database, in its own schema (`pgboss`). On a
 * server it has its own small connection pool (it reconnects by itself when the database comes
 * back); on the embedded engine it goes through the one PGlite connection, which serialises its
 * statements with the app's.
 */

export const QUEUES = {
  /** One refresh of one canonical query (IngestJob). Stately: per query, one waiting and one running at most. */
  ingest: "ingest",
  /** Ingestion jobs that failed every retry, kept for the admin console. */
  ingestDead: "ingest-dead",
  /** The scheduler's tick: hands due queries to `ingest`. */
  schedule: "ingest-schedule",
  /** Drops raw snapshots past their retention, daily. */
  retention: "price-retention",
} as const;

export const PGBOSS_SCHEMA = "pgboss";

/** What an ingestion job carries. */
export interface IngestJob {
  queryId: number;
  /** When the query fell due: the run's start minus this is the scheduler's lag. */
  dueAt: string;
  /** The W3C trace context of what enqueued it (when traced): the job's trace links to it. */
  traceparent?: string;
}

export function createBoss(database: Database, config: AppConfig): PgBoss {
  const common = {
    schema: PGBOSS_SCHEMA,
    // Completed jobs leave the job table after an hour and the archive after a week: the record
    // that matters is ingestion_run.
    archiveCompletedAfterSeconds: 3_600,
    deleteAfterDays: 7,
    // How often expired jobs (a worker killed mid-job) are failed over to a retry.
    maintenanceIntervalSeconds: Math.max(1, Math.min(120, Math.round(config.tracking.jobExpireSeconds / 2))),
  };
  if (database.url) {
    return new PgBoss({ ...common, connectionString: database.url, max: 4, application_name: "flight-tracker-jobs" });
  }
  const executeSql = database.executeSql?.bind(database);
  if (!executeSql) throw new Error(`The job queue needs the database's URL or its own connection (${database.location})`);
  return new PgBoss({ ...common, db: { executeSql } });
}

/** The queues and their policies, made (or brought up to date with the configuration) on every start. */
export async function prepareQueues(boss: PgBoss, config: AppConfig): Promise<void> {
  const t = config.tracking;
  await ensureQueue(boss, { name: QUEUES.ingestDead, retentionMinutes: 7 * 24 * 60 });
  await ensureQueue(
    boss,
    { name: QUEUES.ingest, policy: "stately", retryLimit: t.retryLimit, retryDelay: t.retryDelaySeconds, retryBackoff: true, expireInSeconds: t.jobExpireSeconds, deadLetter: QUEUES.ingestDead },
    { update: true },
  );
  await ensureQueue(boss, { name: QUEUES.schedule, policy: "singleton", retryLimit: 0, expireInSeconds: 300 });
  await ensureQueue(boss, { name: QUEUES.retention, policy: "singleton", retryLimit: 1, expireInSeconds: 3_600 });
}

/**
 * Makes a queue, and with `update` brings an existing one's policy up to date. Processes starting
 * together on a fresh database can deadlock in pg-boss's create_queue (each adds a partition to
 * its job table): the one Postgres picks as the victim tries again (retryOnDeadlock), which is
 * safe since making a queue that exists does nothing.
 */
export async function ensureQueue(boss: PgBoss, queue: PgBoss.Queue, options: { update?: boolean } = {}): Promise<void> {
  await retryOnDeadlock(() => boss.createQueue(queue.name, queue));
  if (options.update) await retryOnDeadlock(() => boss.updateQueue(queue.name, queue));
}

const isDeadlock = (error: unknown) => (error as { code?: unknown } | null)?.code === "40P01";

/** Runs `run` again, after a short random wait, while it fails with a deadlock (SQLSTATE 40P01); other errors at once. */
export async function retryOnDeadlock<T>(run: () => Promise<T>, options: { attempts?: number; wait?: (ms: number) => Promise<void> } = {}): Promise<T> {
  const attempts = options.attempts ?? 8;
  const wait = options.wait ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= attempts || !isDeadlock(error)) throw error;
      log.info("deadlock while preparing the job queue, trying again", { attempt });
      await wait(50 * attempt + Math.random() * 150);
    }
  }
}

/** A job id that is the same for the same seed (a UUID from its SHA-256): enqueuing it twice is a no-op. */
export function stableJobId(seed: string): string {
  const hex = createHash("sha256").update(seed).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

let writer: PgBoss | null = null;

/**
 * A pg-boss that is never started, for `insert(jobs, { db })` through a caller's transaction in
 * a process that runs no workers (the web app in worker mode).
 */
export function queueWriter(): Pick<PgBoss, "insert"> {
  writer ??= new PgBoss({
    schema: PGBOSS_SCHEMA,
    db: {
      executeSql: () => Promise.reject(new Error("queueWriter() inserts only through the { db } given to insert")),
    },
  });
  return writer;
}

/**
 * Puts jobs on the queue inside the caller's transaction (they exist if and only if it commits),
 * from any process: no started pg-boss is needed, only its schema (made by the first worker's
 * start). Returns the ids inserted: a job whose id exists already, or that a stately queue's
 * singleton key holds, is left out. Each job's data carries the active span's `traceparent`
 * (when traced), so that its run's trace links to the request that enqueued it.
 */
export async function insertJobs(tx: Db, jobs: PgBoss.JobInsert[]): Promise<string[]> {
  if (jobs.length === 0) return [];
  const trace = traceFields();
  const withIds = jobs.map((job) => ({ ...job, id: job.id ?? randomUUID(), ...(trace.traceparent ? { data: { ...(job.data as object), ...trace } } : {}) }));
  const executor = sqlExecutor(tx);
  // pg-boss's insert skips conflicts silently and returns nothing: ask which of the ids are there now.
  const before = new Set(await existingJobs(tx, withIds.map((j) => j.id)));
  await queueWriter().insert(withIds, { db: executor });
  const after = await existingJobs(tx, withIds.map((j) => j.id));
  return after.filter((id) => !before.has(id));
}

async function existingJobs(tx: Db, ids: string[]): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`SELECT id::text AS id FROM ${sql.identifier(PGBOSS_SCHEMA)}.job WHERE id IN (SELECT value::uuid FROM json_array_elements_text(${JSON.stringify(ids)}::json))`,
  );
  return rows.map((r) => r.id);
}

/** The job waiting (created, not yet taken) under each of these singleton keys of a queue, by key. */
export async function waitingJobs(tx: Db, name: string, singletonKeys: string[]): Promise<Map<string, string>> {
  if (singletonKeys.length === 0) return new Map();
  const rows = await queryRows<{ id: string; key: string }>(
    tx,
    sql`SELECT id::text AS id, singleton_key AS key FROM ${sql.identifier(PGBOSS_SCHEMA)}.job
        WHERE name = ${name} AND state = 'created' AND singleton_key IN (SELECT value FROM json_array_elements_text(${JSON.stringify(singletonKeys)}::json))`,
  );
  return new Map(rows.map((r) => [r.key, r.id]));
}

/** Whether the queue's schema exists here (a worker has started once on this database). */
export function queueReady(db: Db): Promise<boolean> {
  return queueTablesExist(db, PGBOSS_SCHEMA);
}

/** Logs pg-boss's errors (a database that went away, a handler that threw) without stopping it. */
export function logBossErrors(boss: PgBoss): void {
  boss.on("error", (error) => log.warn("job queue error", { err: error }));
}
