import { and, eq, inArray } from "drizzle-orm";
import {
  decodeCursor,
  deadRuns,
  dropDeadLetters,
  failureGroups,
  freshnessCounts,
  freshnessPage,
  jobPayload,
  liveTargets,
  runsByIds,
  runsPage,
  runWithAttempts,
  runsOfJob,
  type Cursor,
  type CursorIdKind,
  type FailureGroup,
  type FailureKind,
  type FreshnessRow,
  type RunFilter,
  type RunView,
} from "@/db/queries/admin";
import { recordAudit } from "@/db/queries/audit";
import { markEnqueued } from "@/db/queries/ingestion";
import { ingestionRun } from "@/db/schema";
import { NotFoundError, ServiceUnavailableError, ValidationError } from "@/server/core/errors";
import { cadenceHours } from "@/server/core/ingestion-schedule";
import { daysBetween, earliestToday } from "@/server/core/time";
import type { AppContext } from "@/server/context";
import { insertJobs, PGBOSS_SCHEMA, queueReady, QUEUES, stableJobId, waitingJobs, type IngestJob } from "@/server/jobs/queue";

/** What the console's ingestion pages need from the app context. */
export type AdminContext = Pick<AppContext, "db" | "clock" | "config">;

const HOUR_MS = 3_600_000;

/** A cursor from a client, or a 400 naming the field. */
export function cursorParam(text: string | undefined, idKind: CursorIdKind = "number"): Cursor | null {
  if (!text) return null;
  const cursor = decodeCursor(text, idKind);
  if (!cursor) throw ValidationError.of("cursor", "is not a cursor this list gave out");
  return cursor;
}

export async function listRuns(ctx: AdminContext, filter: RunFilter & { cursor?: string; limit?: number }): Promise<{ items: RunView[]; nextCursor: string | null }> {
  return runsPage(ctx.db, filter, { limit: filter.limit ?? 50, cursor: cursorParam(filter.cursor) });
}

export interface RunDetail {
  run: RunView;
  /** Every attempt of the run's job, oldest first. */
  attempts: RunView[];
  /** The job's payload as the queue holds it, else as the run recorded it (pg-boss drops done jobs after a week). */
  payload: Record<string, unknown>;
  payloadFromQueue: boolean;
  /** When an admin retried the job: the runs of the job that retry queued (none until a worker takes it). */
  retryRuns: RunView[];
}

export async function runDetail(ctx: AdminContext, id: number): Promise<RunDetail> {
  const found = await runWithAttempts(ctx.db, id);
  if (!found) throw new NotFoundError(`No ingestion run ${id}.`);
  const retryJobId = found.attempts.find((a) => a.retryJobId)?.retryJobId;
  const [queued, retry] = await Promise.all([
    found.run.demo ? null : jobPayload(ctx.db, PGBOSS_SCHEMA, found.run.jobId),
    retryJobId ? runsOfJob(ctx.db, retryJobId) : [],
  ]);
  return {
    ...found,
    retryRuns: retry,
    payload: queued ?? { queryId: found.run.queryId, ...(found.run.dueAt ? { dueAt: found.run.dueAt } : {}) },
    payloadFromQueue: queued !== null,
  };
}

export interface FailuresView {
  groups: FailureGroup[];
  /** Dead-lettered jobs waiting for an admin (their last run), newest first. */
  dead: RunView[];
  hours: number;
  /** The start of each hour of `perHour`. */
  hourStarts: string[];
}

export async function failures(ctx: AdminContext, options: { hours?: number; provider?: string; kind?: FailureKind } = {}): Promise<FailuresView> {
  const now = ctx.clock();
  const hours = options.hours ?? 24;
  const [groups, dead] = await Promise.all([failureGroups(ctx.db, now, hours), deadRuns(ctx.db, { provider: options.provider, kind: options.kind, limit: 100 })]);
  const end = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS + HOUR_MS;
  return { groups, dead, hours, hourStarts: Array.from({ length: hours }, (_, i) => new Date(end - (hours - i) * HOUR_MS).toISOString()) };
}

/** Which dead runs an action is about: by id, or every one of a group. */
export type DeadSelection = { runIds: number[] } | { group: { provider: string; kind: FailureKind } };

/**
 * The dead runs an action resolves: those chosen, and every other dead run of the same queries
 * (one retry refreshes the query for all of them, and their dead-letter copies go together).
 */
async function selectedDead(ctx: AdminContext, selection: DeadSelection): Promise<RunView[]> {
  let chosen: RunView[];
  if ("runIds" in selection) {
    chosen = await runsByIds(ctx.db, selection.runIds);
    const missing = selection.runIds.filter((id) => !chosen.some((r) => r.id === id));
    if (missing.length) throw new NotFoundError(`No ingestion run ${missing.join(", ")}.`);
  } else {
    chosen = await deadRuns(ctx.db, { ...selection.group, limit: 1_000 });
  }
  const queryIds = [...new Set(chosen.filter((r) => r.resolution === "dead").map((r) => r.queryId))];
  if (queryIds.length === 0) return chosen;
  const sameQueries = await deadRuns(ctx.db, { queryIds, limit: 5_000 });
  return [...chosen, ...sameQueries.filter((r) => !chosen.some((c) => c.id === r.id))];
}

export interface DeadActionResult {
  /** Dead runs this action resolved (others were already retried or discarded). */
  resolved: number;
  /** Ingestion jobs put on the queue (a query already waiting there is not queued twice). */
  enqueued: number;
  runIds: number[];
}

/**
 * Runs dead-lettered jobs again: each query gets one new ingestion job (its id derived from
 * the run, so a second click, or a second admin, queues nothing more), the runs are marked
 * `retried` with that job, and the dead-letter queue's copies go, in one transaction. Only runs
 * still `dead` count: retrying one twice runs it once. Audited.
 */
export async function retryDead(ctx: AdminContext, adminId: string, selection: DeadSelection): Promise<DeadActionResult> {
  return resolveDead(ctx, adminId, selection, "retried");
}

/** Gives up on dead-lettered jobs: marked `discarded`, their dead-letter copies removed. Audited. */
export async function discardDead(ctx: AdminContext, adminId: string, selection: DeadSelection): Promise<DeadActionResult> {
  return resolveDead(ctx, adminId, selection, "discarded");
}

async function resolveDead(ctx: AdminContext, adminId: string, selection: DeadSelection, resolution: "retried" | "discarded"): Promise<DeadActionResult> {
  const runs = (await selectedDead(ctx, selection)).filter((r) => r.resolution === "dead");
  if (runs.length && !(await queueReady(ctx.db))) throw new ServiceUnavailableError("The job queue has not been set up on this database yet: start a worker once.");
  const now = ctx.clock();
  return ctx.db.transaction(async (tx) => {
    const ids = runs.map((r) => r.id);
    if (ids.length === 0) return { resolved: 0, enqueued: 0, runIds: [] };
    // Only those still dead: a concurrent retry of the same run resolves it once.
    const claimed = await tx
      .update(ingestionRun)
      .set({ resolution, resolvedAt: now, resolvedBy: adminId })
      .where(and(inArray(ingestionRun.id, ids), eq(ingestionRun.resolution, "dead")))
      .returning({ id: ingestionRun.id });
    const mine = runs.filter((r) => claimed.some((c) => Number(c.id) === r.id));
    const queries = [...new Map(mine.map((r) => [r.queryId, r])).values()];
    let enqueued: string[] = [];
    if (resolution === "retried" && queries.length) {
      const jobs = queries.map((r) => ({
        id: stableJobId(`retry#${r.id}`),
        name: QUEUES.ingest,
        data: { queryId: r.queryId, dueAt: now.toISOString() } satisfies IngestJob,
        singletonKey: String(r.queryId),
      }));
      enqueued = await insertJobs(tx, jobs);
      // A query that already had a job waiting (one per query) is refreshed by that one: the runs
      // point at it, not at a retry job that was never inserted (its page would wait for it forever).
      const waiting = await waitingJobs(
        tx,
        QUEUES.ingest,
        jobs.filter((j) => !enqueued.includes(j.id)).map((j) => j.singletonKey),
      );
      // One update per job: the runs of each query point at the job that refreshes it.
      for (const q of queries) {
        const own = stableJobId(`retry#${q.id}`);
        const jobId = enqueued.includes(own) ? own : (waiting.get(String(q.queryId)) ?? null);
        const runIds = mine.filter((r) => r.queryId === q.queryId).map((r) => r.id);
        await tx.update(ingestionRun).set({ retryJobId: jobId }).where(inArray(ingestionRun.id, runIds));
      }
      await markEnqueued(
        tx,
        queries.map((r) => r.queryId),
        now,
      );
    }
    await dropDeadLetters(
      tx,
      PGBOSS_SCHEMA,
      QUEUES.ingestDead,
      queries.map((r) => r.queryId),
    );
    if (mine.length) {
      await recordAudit(tx, {
        action: resolution === "retried" ? "ingestion_retried" : "ingestion_discarded",
        actorId: adminId,
        detail: { runs: mine.map((r) => r.id), queries: queries.map((r) => r.queryId), ...("group" in selection ? { group: selection.group } : {}) },
      });
    }
    return { resolved: mine.length, enqueued: enqueued.length, runIds: mine.map((r) => r.id) };
  });
}

export interface FreshnessItem extends FreshnessRow {
  /** How often it is refreshed now, by days to departure (INGEST_CADENCE). */
  cadenceHours: number | null;
  /** How long past its due time (0 when not due yet). */
  overdueMs: number;
}

export interface FreshnessView {
  tracked: number;
  overdue: number;
  items: FreshnessItem[];
  nextCursor: string | null;
}

/** Every tracked query with its cadence, last observation and due time; the most overdue first. */
export async function freshness(ctx: AdminContext, options: { overdueOnly?: boolean; cursor?: string; limit?: number } = {}): Promise<FreshnessView> {
  const now = ctx.clock();
  const today = earliestToday(now);
  const [counts, found] = await Promise.all([
    freshnessCounts(ctx.db, { today, now }),
    freshnessPage(ctx.db, { today, limit: options.limit ?? 50, cursor: cursorParam(options.cursor), ...(options.overdueOnly ? { overdueBefore: now } : {}) }),
  ]);
  return {
    ...counts,
    nextCursor: found.nextCursor,
    items: found.items.map((r) => ({
      ...r,
      // As nextRefresh reckons it (days from the UTC date), not from earliestToday: a day off at a tier's edge.
      cadenceHours: cadenceHours(daysBetween(now.toISOString().slice(0, 10), r.departureDate), ctx.config.tracking.cadence),
      overdueMs: Math.max(0, now.getTime() - Date.parse(r.nextDueAt)),
    })),
  };
}

/**
 * Refreshes tracked queries now: one ingestion job each (not a second one while one waits for
 * that query), handed over in the same transaction that marks them enqueued. Audited.
 */
export async function refreshNow(ctx: AdminContext, adminId: string, queryIds: number[]): Promise<{ enqueued: number }> {
  const now = ctx.clock();
  const targets = await liveTargets(ctx.db, queryIds, earliestToday(now));
  const missing = queryIds.filter((id) => !targets.some((t) => t.queryId === id));
  if (missing.length) throw new NotFoundError(`No tracked query ${missing.join(", ")} is refreshed (none, or no active tracked route needs it).`);
  if (!(await queueReady(ctx.db))) throw new ServiceUnavailableError("The job queue has not been set up on this database yet: start a worker once.");
  return ctx.db.transaction(async (tx) => {
    const ids = await insertJobs(
      tx,
      targets.map((t) => ({ name: QUEUES.ingest, data: { queryId: t.queryId, dueAt: now.toISOString() } satisfies IngestJob, singletonKey: String(t.queryId) })),
    );
    await markEnqueued(
      tx,
      targets.map((t) => t.queryId),
      now,
    );
    await recordAudit(tx, { action: "ingestion_refreshed", actorId: adminId, detail: { queries: targets.map((t) => t.queryId), enqueued: ids.length } });
    return { enqueued: ids.length };
  });
}

/** The oldest overdue tracked query, for the overview. */
export async function oldestOverdue(ctx: AdminContext): Promise<FreshnessItem | null> {
  const view = await freshness(ctx, { overdueOnly: true, limit: 1 });
  return view.items[0] ?? null;
}

