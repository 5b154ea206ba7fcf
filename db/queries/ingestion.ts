// Scheduled ingestion: the targets the scheduler hands to the queue, and the record of each run.
import { and, eq, inArray, sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { flightQuery, ingestionRun, ingestionTarget, trackedRoute, trackedRouteQuery, type RunProviderReport } from "@/db/schema";
import type { CanonicalQuery } from "@/server/core/canonical-query";
import type { Cabin } from "@/server/core/offer";
import { canonicalQueryColumns } from "./snapshots";

/** A query due for a refresh. */
export interface DueTarget {
  queryId: number;
  dueAt: Date;
  query: CanonicalQuery;
}

/**
 * The targets due by `now` that an active tracked route still needs (departure today or later)
 * and that no job holds (not handed to the queue since `leaseStart`), most overdue first.
 */
export async function dueTargets(db: Db, options: { now: Date; today: string; leaseStart: Date; limit: number }): Promise<DueTarget[]> {
  if (options.limit <= 0) return [];
  const rows = await queryRows<{
    query_id: number | string;
    next_due_at: string | Date;
    origin: string;
    destination: string;
    departure_date: string;
    return_date: string | null;
    cabin: Cabin;
    adults: number;
    children: number;
    infants: number;
    currency: string;
  }>(
    db,
    sql`SELECT t.query_id, t.next_due_at, q.origin, q.destination, q.departure_date::text, q.return_date::text, q.cabin, q.adults, q.children, q.infants, q.currency
        FROM ${ingestionTarget} t JOIN ${flightQuery} q ON q.id = t.query_id
        WHERE t.next_due_at <= ${options.now.toISOString()}::timestamptz
          AND (t.enqueued_at IS NULL OR t.enqueued_at < ${options.leaseStart.toISOString()}::timestamptz)
          AND q.departure_date >= ${options.today}::date
          AND EXISTS (
            SELECT 1 FROM ${trackedRouteQuery} l JOIN ${trackedRoute} r ON r.id = l.tracked_route_id
            WHERE l.query_id = t.query_id AND r.status = 'active')
        ORDER BY t.next_due_at
        LIMIT ${options.limit}`,
  );
  return rows.map((r) => ({
    queryId: Number(r.query_id),
    dueAt: new Date(r.next_due_at),
    query: {
      origin: r.origin,
      destination: r.destination,
      departureDate: r.departure_date,
      returnDate: r.return_date,
      cabin: r.cabin,
      adults: r.adults,
      children: r.children,
      infants: r.infants,
      currency: r.currency,
    },
  }));
}

/** The scheduler handed these to the queue at `at`. */
export async function markEnqueued(db: Db, queryIds: number[], at: Date): Promise<void> {
  if (queryIds.length === 0) return;
  await db.execute(
    sql`UPDATE ${ingestionTarget} SET enqueued_at = ${at.toISOString()}::timestamptz
        WHERE query_id IN (SELECT value::bigint FROM json_array_elements_text(${JSON.stringify(queryIds.map(String))}::json))`,
  );
}

/**
 * These queries were observed (by a run or by someone's search): each is next due at the time
 * given, and free for the scheduler again. An older observation than the one held changes nothing.
 */
export async function targetsObserved(db: Db, observed: { queryId: number; observedAt: Date; nextDueAt: Date }[]): Promise<void> {
  if (observed.length === 0) return;
  const rows = observed.map((o) => ({ query_id: o.queryId, observed_at: o.observedAt.toISOString(), next_due_at: o.nextDueAt.toISOString() }));
  await db.execute(
    sql`UPDATE ${ingestionTarget} AS t SET last_observed_at = v.observed_at, next_due_at = v.next_due_at, enqueued_at = NULL
        FROM json_to_recordset(${JSON.stringify(rows)}::json) AS v(query_id bigint, observed_at timestamptz, next_due_at timestamptz)
        WHERE t.query_id = v.query_id AND (t.last_observed_at IS NULL OR t.last_observed_at < v.observed_at)`,
  );
}

/** Which of these queries are ingestion targets (some tracked route follows them). */
export async function trackedQueryIds(db: Db, queryIds: number[]): Promise<Set<number>> {
  if (queryIds.length === 0) return new Set();
  const rows = await db.select({ queryId: ingestionTarget.queryId }).from(ingestionTarget).where(inArray(ingestionTarget.queryId, [...new Set(queryIds)]));
  return new Set(rows.map((r) => Number(r.queryId)));
}

/** A run that failed: the target is due again after `retryAt` unless the queue retries it first. */
export async function targetFailed(db: Db, queryId: number, retryAt: Date): Promise<void> {
  await db.update(ingestionTarget).set({ nextDueAt: retryAt }).where(eq(ingestionTarget.queryId, queryId));
}

export type IngestionRunRow = typeof ingestionRun.$inferSelect;

/** Whether an attempt of this job already wrote its observation (a retry after a crash past the commit). */
export async function jobSucceeded(db: Db, jobId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: ingestionRun.id })
    .from(ingestionRun)
    .where(and(eq(ingestionRun.jobId, jobId), eq(ingestionRun.status, "succeeded")))
    .limit(1);
  return Boolean(row);
}

/**
 * Records the start of an attempt; an earlier attempt of the same job still "running" was cut
 * off (its worker died) and is recorded as failed.
 */
export async function startRun(db: Db, run: { jobId: string; attempt: number; queryId: number; startedAt: Date; dueAt: Date | null }): Promise<number> {
  await db
    .update(ingestionRun)
    .set({ status: "failed", error: "The worker stopped before the run finished; the job was retried after its expiry.", finishedAt: run.startedAt })
    .where(and(eq(ingestionRun.jobId, run.jobId), eq(ingestionRun.status, "running")));
  const [row] = await db
    .insert(ingestionRun)
    .values({ ...run, status: "running" })
    .onConflictDoUpdate({ target: [ingestionRun.jobId, ingestionRun.attempt], set: { status: "running", startedAt: run.startedAt, error: null } })
    .returning({ id: ingestionRun.id });
  return Number(row!.id);
}

/** The outcome of a run, written in the transaction of its snapshots (or alone when there are none). */
export async function finishRun(
  db: Db,
  id: number,
  outcome: {
    status: "succeeded" | "failed";
    finishedAt: Date;
    durationMs: number;
    providers: RunProviderReport[];
    offers: number;
    snapshotsWritten: number;
    observedAt: Date | null;
    error: string | null;
    /** `dead`: the job's last attempt failed (pg-boss dead-letters it); the admin console retries or discards it. */
    resolution: "dead" | null;
  },
): Promise<void> {
  await db.update(ingestionRun).set(outcome).where(eq(ingestionRun.id, id));
}

/** A canonical query by its id, or null once it is gone. */
export async function canonicalQuery(db: Db, queryId: number): Promise<CanonicalQuery | null> {
  const [row] = await db
    .select(canonicalQueryColumns)
    .from(flightQuery)
    .where(eq(flightQuery.id, queryId));
  return row ?? null;
}
