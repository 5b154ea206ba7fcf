// The admin console's read models (issue 13): each page's data in one or two indexed reads, from
// what runs and searches recorded (ingestion_run, provider_call, price_snapshot, the deliveries),
// never from one process's memory, so every instance shows the same and restarts lose nothing.
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { queueTablesExist } from "@/db/queries/job-queue";
import type { RunProviderReport } from "@/db/schema";
import type { Cabin } from "@/server/core/offer";
import type { RunState } from "@/server/core/admin-input";
import type { Role } from "@/server/core/roles";

const HOUR_MS = 3_600_000;

type Time = string | Date;
const iso = (t: Time): string => new Date(t).toISOString();
const isoOrNull = (t: Time | null | undefined): string | null => (t == null ? null : iso(t));

/** Keyset paging: the last row's sort time and id, opaque to clients. */
export interface Cursor {
  at: string;
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.at, cursor.id])).toString("base64url");
}

/** What a list's rows are keyed by: numbers (bigint) or UUIDs. */
export type CursorIdKind = "number" | "uuid";

const CURSOR_AT = /^[1-9]\d{3}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;
const CURSOR_ID: Record<CursorIdKind, RegExp> = { number: /^\d{1,18}$/, uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i };

/**
 * The cursor, or null when it is not one of ours. As strict as the database's casts
 * (::timestamptz, ::bigint, ::uuid): a cursor that passed here and failed there was a 500.
 */
export function decodeCursor(text: string, idKind: CursorIdKind = "number"): Cursor | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
    if (!Array.isArray(value) || value.length !== 2) return null;
    const [at, id] = value as unknown[];
    if (typeof at !== "string" || !CURSOR_AT.test(at) || typeof id !== "string" || !CURSOR_ID[idKind].test(id)) return null;
    // A date the calendar has (JavaScript rolls 2024-02-30 over to March; PostgreSQL refuses it).
    const parsed = new Date(at);
    if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 19) !== at.slice(0, 19)) return null;
    return { at, id };
  } catch {
    return null;
  }
}

function page<T>(rows: T[], limit: number, cursorOf: (row: T) => Cursor): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? encodeCursor(cursorOf(items[items.length - 1]!)) : null };
}

/**
 * A sort time as a cursor keeps it: to the microsecond, as now() writes it. A Date holds only
 * milliseconds, and the rows of one millisecond after a page's last would be skipped.
 */
const cursorTime = (column: SQL) => sql`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

function where(conditions: SQL[]): SQL {
  return conditions.length ? sql`WHERE ${sql.join(conditions, sql` AND `)}` : sql``;
}

// ---------------------------------------------------------------------------------------------
// Runs

export type { RunState } from "@/server/core/admin-input";
export type RunResolution = "dead" | "retried" | "discarded";

/** The query a run refreshed, as the console names it. */
export interface RunRoute {
  origin: string;
  destination: string;
  departureDate: string;
  returnDate: string | null;
  cabin: Cabin;
}

export interface RunView {
  id: number;
  jobId: string;
  attempt: number;
  status: "running" | "succeeded" | "failed";
  /** Set on the last attempt of a job that failed every one. */
  resolution: RunResolution | null;
  queryId: number;
  route: RunRoute;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  dueAt: string | null;
  /** Start minus due: how late the scheduler (and the queue) got to it. */
  lagMs: number | null;
  offers: number;
  snapshotsWritten: number;
  providers: RunProviderReport[];
  error: string | null;
  retryJobId: string | null;
  /** Written by the demo history, not by a job that ran. */
  demo: boolean;
}

/** Demo runs (issue 13's console seed) carry job ids with this prefix. */
export const DEMO_JOB_PREFIX = "demo-";

type RunRow = {
  id: number | string;
  job_id: string;
  attempt: number;
  status: RunView["status"];
  resolution: RunResolution | null;
  query_id: number | string;
  started_at: Time;
  finished_at: Time | null;
  duration_ms: number | null;
  due_at: Time | null;
  offers: number;
  snapshots_written: number;
  providers: RunProviderReport[] | string;
  error: string | null;
  retry_job_id: string | null;
  origin: string;
  destination: string;
  departure_date: string;
  return_date: string | null;
  cabin: Cabin;
};

const RUN_COLUMNS = sql`r.id, r.job_id, r.attempt, r.status, r.resolution, r.query_id, r.started_at, r.finished_at, r.duration_ms, r.due_at, r.offers,
  r.snapshots_written, r.providers, r.error, r.retry_job_id, q.origin, q.destination, q.departure_date::text AS departure_date,
  q.return_date::text AS return_date, q.cabin`;

function runView(r: RunRow): RunView {
  const startedAt = iso(r.started_at);
  return {
    id: Number(r.id),
    jobId: r.job_id,
    attempt: r.attempt,
    status: r.status,
    resolution: r.resolution,
    queryId: Number(r.query_id),
    route: { origin: r.origin, destination: r.destination, departureDate: r.departure_date, returnDate: r.return_date, cabin: r.cabin },
    startedAt,
    finishedAt: isoOrNull(r.finished_at),
    durationMs: r.duration_ms,
    dueAt: isoOrNull(r.due_at),
    lagMs: r.due_at == null ? null : Math.max(0, Date.parse(startedAt) - new Date(r.due_at).getTime()),
    offers: r.offers,
    snapshotsWritten: r.snapshots_written,
    providers: typeof r.providers === "string" ? (JSON.parse(r.providers) as RunProviderReport[]) : r.providers,
    error: r.error,
    retryJobId: r.retry_job_id,
    demo: r.job_id.startsWith(DEMO_JOB_PREFIX),
  };
}

export interface RunFilter {
  state?: RunState;
  provider?: string;
  /** With `provider`: only runs where it answered so (`failed`: anything but ok). */
  providerStatus?: "ok" | "failed" | "error" | "timeout" | "circuit_open";
  origin?: string;
  destination?: string;
  from?: Date;
  to?: Date;
}

function runConditions(filter: RunFilter): SQL[] {
  const c: SQL[] = [];
  if (filter.state === "dead") c.push(sql`r.resolution IS NOT NULL`);
  else if (filter.state) c.push(sql`r.status = ${filter.state}`);
  if (filter.provider) {
    const status = filter.providerStatus;
    if (!status) c.push(sql`r.providers @> ${JSON.stringify([{ provider: filter.provider }])}::jsonb`);
    else if (status === "failed")
      c.push(sql`EXISTS (SELECT 1 FROM jsonb_array_elements(r.providers) p WHERE p->>'provider' = ${filter.provider} AND p->>'status' <> 'ok')`);
    else c.push(sql`r.providers @> ${JSON.stringify([{ provider: filter.provider, status }])}::jsonb`);
  }
  if (filter.origin || filter.destination) {
    const route: SQL[] = [];
    if (filter.origin) route.push(sql`f.origin = ${filter.origin}`);
    if (filter.destination) route.push(sql`f.destination = ${filter.destination}`);
    c.push(sql`r.query_id IN (SELECT f.id FROM flight_query f WHERE ${sql.join(route, sql` AND `)})`);
  }
  if (filter.from) c.push(sql`r.started_at >= ${filter.from.toISOString()}::timestamptz`);
  if (filter.to) c.push(sql`r.started_at < ${filter.to.toISOString()}::timestamptz`);
  return c;
}

/** Runs newest first, filtered, a page at a time (keyset on start time and id). */
export async function runsPage(db: Db, filter: RunFilter, options: { limit: number; cursor?: Cursor | null }): Promise<{ items: RunView[]; nextCursor: string | null }> {
  const c = runConditions(filter);
  if (options.cursor) c.push(sql`(r.started_at, r.id) < (${options.cursor.at}::timestamptz, ${options.cursor.id}::bigint)`);
  const rows = await queryRows<RunRow & { cursor_at: string }>(
    db,
    sql`SELECT ${RUN_COLUMNS}, ${cursorTime(sql`r.started_at`)} AS cursor_at FROM ingestion_run r JOIN flight_query q ON q.id = r.query_id ${where(c)}
        ORDER BY r.started_at DESC, r.id DESC LIMIT ${options.limit + 1}`,
  );
  const found = page(rows, options.limit, (r) => ({ at: r.cursor_at, id: String(r.id) }));
  return { items: found.items.map(runView), nextCursor: found.nextCursor };
}

/** One run and every attempt of its job (oldest first), or null. */
export async function runWithAttempts(db: Db, id: number): Promise<{ run: RunView; attempts: RunView[] } | null> {
  const [one] = await queryRows<{ job_id: string }>(db, sql`SELECT job_id FROM ingestion_run WHERE id = ${id}`);
  const attempts = one ? await runsOfJob(db, one.job_id) : [];
  const run = attempts.find((a) => a.id === id);
  return run ? { run, attempts } : null;
}

/** Every run of one job, oldest first. */
export async function runsOfJob(db: Db, jobId: string): Promise<RunView[]> {
  const rows = await queryRows<RunRow>(
    db,
    sql`SELECT ${RUN_COLUMNS} FROM ingestion_run r JOIN flight_query q ON q.id = r.query_id WHERE r.job_id = ${jobId} ORDER BY r.attempt, r.id`,
  );
  return rows.map(runView);
}

/** Runs of these ids (for the actions on them). */
export async function runsByIds(db: Db, ids: number[]): Promise<RunView[]> {
  if (ids.length === 0) return [];
  const rows = await queryRows<RunRow>(
    db,
    sql`SELECT ${RUN_COLUMNS} FROM ingestion_run r JOIN flight_query q ON q.id = r.query_id
        WHERE r.id IN (SELECT value::bigint FROM json_array_elements_text(${JSON.stringify(ids.map(String))}::json)) ORDER BY r.id`,
  );
  return rows.map(runView);
}

export interface RunCounts {
  started: number;
  succeeded: number;
  failed: number;
  /** Attempts after the first (the queue retried a failure). */
  retried: number;
  /** Jobs whose every attempt failed. */
  deadLettered: number;
  running: number;
}

/** Runs started in the last hour and the last day, by outcome. */
export async function runCounts(db: Db, now: Date): Promise<{ lastHour: RunCounts; lastDay: RunCounts }> {
  const hour = new Date(now.getTime() - HOUR_MS).toISOString();
  const day = new Date(now.getTime() - 24 * HOUR_MS).toISOString();
  // Each column named (h_started, d_started, ...): unnamed ones would all be "count", one key of the row.
  const counts = (w: SQL, name: string) => sql`count(*) FILTER (WHERE ${w})::int AS ${sql.identifier(name)}`;
  const of = (since: string, p: string) =>
    sql`${counts(sql`started_at >= ${since}::timestamptz`, `${p}_started`)}, ${counts(sql`started_at >= ${since}::timestamptz AND status = 'succeeded'`, `${p}_succeeded`)},
        ${counts(sql`started_at >= ${since}::timestamptz AND status = 'failed'`, `${p}_failed`)}, ${counts(sql`started_at >= ${since}::timestamptz AND attempt > 1`, `${p}_retried`)},
        ${counts(sql`started_at >= ${since}::timestamptz AND resolution IS NOT NULL`, `${p}_dead`)}, ${counts(sql`started_at >= ${since}::timestamptz AND status = 'running'`, `${p}_running`)}`;
  const [row] = await queryRows<Record<string, number>>(
    db,
    sql`SELECT ${of(hour, "h")}, ${of(day, "d")} FROM ingestion_run WHERE started_at >= ${day}::timestamptz`,
  );
  const counts6 = (p: string): RunCounts => ({
    started: Number(row?.[`${p}_started`] ?? 0),
    succeeded: Number(row?.[`${p}_succeeded`] ?? 0),
    failed: Number(row?.[`${p}_failed`] ?? 0),
    retried: Number(row?.[`${p}_retried`] ?? 0),
    deadLettered: Number(row?.[`${p}_dead`] ?? 0),
    running: Number(row?.[`${p}_running`] ?? 0),
  });
  return { lastHour: counts6("h"), lastDay: counts6("d") };
}

/** The scheduler's lag over the last hour's first attempts: start minus due time. */
export async function schedulerLag(db: Db, now: Date): Promise<{ runs: number; p50Ms: number; p95Ms: number; maxMs: number } | null> {
  const [row] = await queryRows<{ runs: number; p50: number | null; p95: number | null; max: number | null }>(
    db,
    sql`SELECT count(*)::int AS runs,
          percentile_cont(0.5) WITHIN GROUP (ORDER BY lag) AS p50, percentile_cont(0.95) WITHIN GROUP (ORDER BY lag) AS p95, max(lag) AS max
        FROM (SELECT greatest(0, extract(epoch FROM started_at - due_at) * 1000) AS lag FROM ingestion_run
              WHERE started_at >= ${new Date(now.getTime() - HOUR_MS).toISOString()}::timestamptz AND attempt = 1 AND due_at IS NOT NULL) l`,
  );
  if (!row || Number(row.runs) === 0) return null;
  return { runs: Number(row.runs), p50Ms: Math.round(Number(row.p50)), p95Ms: Math.round(Number(row.p95)), maxMs: Math.round(Number(row.max)) };
}

/** Snapshots written in each of the last 24 hours (oldest first; hours without any are 0). */
export async function snapshotsPerHour(db: Db, now: Date): Promise<{ hour: string; snapshots: number }[]> {
  const end = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS + HOUR_MS;
  const start = end - 24 * HOUR_MS;
  const rows = await queryRows<{ hour: Time; n: number | string }>(
    db,
    sql`SELECT date_trunc('hour', observed_at) AS hour, count(*) AS n FROM price_snapshot
        WHERE observed_at >= ${new Date(start).toISOString()}::timestamptz GROUP BY 1`,
  );
  const byHour = new Map(rows.map((r) => [new Date(r.hour).getTime(), Number(r.n)]));
  return Array.from({ length: 24 }, (_, i) => start + i * HOUR_MS).map((t) => ({ hour: new Date(t).toISOString(), snapshots: byHour.get(t) ?? 0 }));
}

// ---------------------------------------------------------------------------------------------
// Failures

/** How a failed run's provider failed: its status, or `write` when the prices could not be written. */
export type FailureKind = "error" | "timeout" | "circuit_open" | "write";

export interface FailureGroup {
  provider: string;
  kind: FailureKind;
  /** Failed runs in the window with this provider failing so. */
  runs: number;
  /** Per hour of the window, oldest first. */
  perHour: number[];
  /** Dead-lettered jobs (any age) waiting for an admin in this group. */
  dead: number;
  lastAt: string | null;
  lastError: string | null;
}

/**
 * The group a failed run's provider report puts it in; runs without reports are `write` failures.
 * A provider an admin paused was not called: not a failure, and no group (FAILURE_KINDS has no
 * `paused`, so a group of them could be neither retried nor discarded).
 */
const FAILURE_ROWS = sql`
  FROM ingestion_run r
  CROSS JOIN LATERAL (
    SELECT p->>'provider' AS provider, p->>'status' AS kind, p->>'error' AS error FROM jsonb_array_elements(r.providers) p WHERE p->>'status' NOT IN ('ok', 'paused')
    UNION ALL SELECT '(none)', 'write', r.error WHERE jsonb_array_length(r.providers) = 0
  ) f`;

/** Failed runs of the last `hours`, by provider and kind, with counts per hour; and the dead letters waiting in each group. */
export async function failureGroups(db: Db, now: Date, hours = 24): Promise<FailureGroup[]> {
  const end = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS + HOUR_MS;
  const start = end - hours * HOUR_MS;
  const [recent, dead] = await Promise.all([
    queryRows<{ provider: string; kind: FailureKind; hour: Time; runs: number | string; last_at: Time; last_error: string | null }>(
      db,
      sql`SELECT f.provider, f.kind, date_trunc('hour', r.started_at) AS hour, count(*) AS runs, max(r.started_at) AS last_at,
            (array_agg(f.error ORDER BY r.started_at DESC))[1] AS last_error
          ${FAILURE_ROWS}
          WHERE r.status = 'failed' AND r.started_at >= ${new Date(start).toISOString()}::timestamptz
          GROUP BY 1, 2, 3`,
    ),
    queryRows<{ provider: string; kind: FailureKind; n: number | string; last_at: Time; last_error: string | null }>(
      db,
      sql`SELECT f.provider, f.kind, count(*) AS n, max(r.started_at) AS last_at, (array_agg(f.error ORDER BY r.started_at DESC))[1] AS last_error
          ${FAILURE_ROWS} WHERE r.resolution = 'dead' GROUP BY 1, 2`,
    ),
  ]);
  const groups = new Map<string, FailureGroup>();
  const group = (provider: string, kind: FailureKind) => {
    const key = `${provider}\u0000${kind}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { provider, kind, runs: 0, perHour: Array<number>(hours).fill(0), dead: 0, lastAt: null, lastError: null }));
    return g;
  };
  const later = (g: FailureGroup, at: Time, error: string | null) => {
    if (!g.lastAt || Date.parse(g.lastAt) < new Date(at).getTime()) {
      g.lastAt = iso(at);
      g.lastError = error;
    }
  };
  for (const r of recent) {
    const g = group(r.provider, r.kind);
    const i = Math.floor((new Date(r.hour).getTime() - start) / HOUR_MS);
    if (i >= 0 && i < hours) g.perHour[i]! += Number(r.runs);
    g.runs += Number(r.runs);
    later(g, r.last_at, r.last_error);
  }
  for (const r of dead) {
    const g = group(r.provider, r.kind);
    g.dead = Number(r.n);
    later(g, r.last_at, r.last_error);
  }
  return [...groups.values()].sort((a, b) => b.dead - a.dead || b.runs - a.runs || a.provider.localeCompare(b.provider));
}

/** Dead-lettered runs waiting for an admin, newest first; of one group when given. */
export async function deadRuns(db: Db, options: { provider?: string; kind?: FailureKind; queryIds?: number[]; limit: number }): Promise<RunView[]> {
  const c: SQL[] = [sql`r.resolution = 'dead'`];
  if (options.queryIds) c.push(sql`r.query_id IN (SELECT value::bigint FROM json_array_elements_text(${JSON.stringify(options.queryIds.map(String))}::json))`);
  if (options.provider && options.kind) {
    c.push(
      options.kind === "write"
        ? sql`jsonb_array_length(r.providers) = 0`
        : sql`r.providers @> ${JSON.stringify([{ provider: options.provider, status: options.kind }])}::jsonb`,
    );
  }
  const rows = await queryRows<RunRow>(
    db,
    sql`SELECT ${RUN_COLUMNS} FROM ingestion_run r JOIN flight_query q ON q.id = r.query_id ${where(c)} ORDER BY r.started_at DESC, r.id DESC LIMIT ${options.limit}`,
  );
  return rows.map(runView);
}

// ---------------------------------------------------------------------------------------------
// Providers

export interface CallStats {
  calls: number;
  errors: number;
  timeouts: number;
  /** Skipped because the circuit was open. */
  circuitOpen: number;
  /** Errors and timeouts over calls made (circuit-open skips are not calls). */
  errorRate: number;
  p50Ms: number | null;
  p95Ms: number | null;
}

export interface ProviderStatsRow {
  provider: string;
  hour: CallStats;
  day: CallStats;
  /** Each of the last 24 hours, oldest first. */
  hourly: (CallStats & { hour: string })[];
}

type StatsRow = { provider: string; hour: Time | null; calls: number | string; errors: number | string; timeouts: number | string; circuit_open: number | string; p50: number | null; p95: number | null };

function callStats(r: StatsRow | undefined): CallStats {
  const calls = Number(r?.calls ?? 0);
  const errors = Number(r?.errors ?? 0);
  const timeouts = Number(r?.timeouts ?? 0);
  const circuitOpen = Number(r?.circuit_open ?? 0);
  const made = calls - circuitOpen;
  return {
    calls,
    errors,
    timeouts,
    circuitOpen,
    errorRate: made > 0 ? (errors + timeouts) / made : 0,
    p50Ms: r?.p50 == null ? null : Math.round(Number(r.p50)),
    p95Ms: r?.p95 == null ? null : Math.round(Number(r.p95)),
  };
}

/**
 * Each provider's calls over the last day (live searches and scheduled runs alike, as
 * provider_call records them): per hour, the day, and the last hour, in one pass (grouping sets
 * by provider and hour, and by provider) over the time index.
 */
export async function providerStats(db: Db, now: Date): Promise<ProviderStatsRow[]> {
  const end = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS + HOUR_MS;
  // The 24 hours shown start after the day's start (the day goes back 24 h from now, the hours from the next hour).
  const hoursStart = end - 24 * HOUR_MS;
  const dayStart = new Date(now.getTime() - 24 * HOUR_MS);
  const hourStart = new Date(now.getTime() - HOUR_MS).toISOString();
  const latency = (p: number, w: SQL) => sql`percentile_cont(${p}) WITHIN GROUP (ORDER BY latency_ms) FILTER (WHERE status <> 'circuit_open' AND ${w})`;
  const all = sql`true`;
  const recent = sql`observed_at >= ${hourStart}::timestamptz`;
  const stats = (w: SQL) =>
    sql`count(*) FILTER (WHERE ${w}) AS calls, count(*) FILTER (WHERE status = 'error' AND ${w}) AS errors,
        count(*) FILTER (WHERE status = 'timeout' AND ${w}) AS timeouts, count(*) FILTER (WHERE status = 'circuit_open' AND ${w}) AS circuit_open,
        ${latency(0.5, w)} AS p50, ${latency(0.95, w)} AS p95`;
  const hour = sql`date_trunc('hour', observed_at)`;
  const rows = await queryRows<
    StatsRow & { whole_day: number | string; h_calls: number | string; h_errors: number | string; h_timeouts: number | string; h_circuit_open: number | string; h_p50: number | null; h_p95: number | null }
  >(
    db,
    sql`SELECT provider, ${hour} AS hour, GROUPING(${hour}) AS whole_day, ${stats(all)},
          count(*) FILTER (WHERE ${recent}) AS h_calls, count(*) FILTER (WHERE status = 'error' AND ${recent}) AS h_errors,
          count(*) FILTER (WHERE status = 'timeout' AND ${recent}) AS h_timeouts, count(*) FILTER (WHERE status = 'circuit_open' AND ${recent}) AS h_circuit_open,
          ${latency(0.5, recent)} AS h_p50, ${latency(0.95, recent)} AS h_p95
        FROM provider_call WHERE observed_at >= ${dayStart.toISOString()}::timestamptz
        GROUP BY GROUPING SETS ((provider, ${hour}), (provider))`,
  );
  const totals = rows.filter((r) => Number(r.whole_day) === 1);
  const hourly = rows.filter((r) => Number(r.whole_day) === 0 && new Date(r.hour!).getTime() >= hoursStart);
  const providers = new Set([...hourly.map((r) => r.provider), ...totals.map((r) => r.provider)]);
  return [...providers].sort().map((provider) => {
    const total = totals.find((r) => r.provider === provider);
    const byHour = new Map(hourly.filter((r) => r.provider === provider).map((r) => [new Date(r.hour!).getTime(), r]));
    return {
      provider,
      day: callStats(total),
      hour: callStats(
        total && { provider, hour: null, calls: total.h_calls, errors: total.h_errors, timeouts: total.h_timeouts, circuit_open: total.h_circuit_open, p50: total.h_p50, p95: total.h_p95 },
      ),
      hourly: Array.from({ length: 24 }, (_, i) => end - (24 - i) * HOUR_MS).map((t) => ({ hour: new Date(t).toISOString(), ...callStats(byHour.get(t)) })),
    };
  });
}

export interface ProviderErrorView {
  at: string;
  status: string;
  error: string | null;
  latencyMs: number;
  route: string;
}

/** A provider's latest failed calls (by the provider/time index, newest first). */
export async function lastProviderErrors(db: Db, provider: string, limit = 5): Promise<ProviderErrorView[]> {
  const rows = await queryRows<{ observed_at: Time; status: string; error: string | null; latency_ms: number; origin: string; destination: string; departure_date: string }>(
    db,
    sql`SELECT c.observed_at, c.status, c.error, c.latency_ms, q.origin, q.destination, q.departure_date::text AS departure_date
        FROM (SELECT * FROM provider_call WHERE provider = ${provider} AND status <> 'ok' ORDER BY observed_at DESC LIMIT ${limit}) c
        JOIN flight_query q ON q.id = c.query_id ORDER BY c.observed_at DESC`,
  );
  return rows.map((r) => ({ at: iso(r.observed_at), status: r.status, error: r.error, latencyMs: r.latency_ms, route: `${r.origin}–${r.destination} ${r.departure_date}` }));
}

// ---------------------------------------------------------------------------------------------
// Freshness

export interface FreshnessRow {
  queryId: number;
  origin: string;
  destination: string;
  departureDate: string;
  returnDate: string | null;
  cabin: Cabin;
  travellers: number;
  currency: string;
  /** Active tracked routes it refreshes. */
  routes: number;
  lastObservedAt: string | null;
  nextDueAt: string;
  /** When the scheduler last handed it to the queue (a job holds it until observed). */
  enqueuedAt: string | null;
}

const LIVE_TARGET = (today: string) =>
  sql`q.departure_date >= ${today}::date AND EXISTS (
        SELECT 1 FROM tracked_route_query l JOIN tracked_route tr ON tr.id = l.tracked_route_id WHERE l.query_id = t.query_id AND tr.status = 'active')`;

/** Every query an active tracked route needs, the most overdue first (keyset on due time and id). */
export async function freshnessPage(
  db: Db,
  options: { today: string; limit: number; cursor?: Cursor | null; overdueBefore?: Date },
): Promise<{ items: FreshnessRow[]; nextCursor: string | null }> {
  const c: SQL[] = [LIVE_TARGET(options.today)];
  if (options.overdueBefore) c.push(sql`t.next_due_at <= ${options.overdueBefore.toISOString()}::timestamptz`);
  if (options.cursor) c.push(sql`(t.next_due_at, t.query_id) > (${options.cursor.at}::timestamptz, ${options.cursor.id}::bigint)`);
  const rows = await queryRows<{
    query_id: number | string;
    origin: string;
    destination: string;
    departure_date: string;
    return_date: string | null;
    cabin: Cabin;
    travellers: number;
    currency: string;
    routes: number | string;
    last_observed_at: Time | null;
    next_due_at: Time;
    cursor_at: string;
    enqueued_at: Time | null;
  }>(
    db,
    sql`SELECT t.query_id, ${cursorTime(sql`t.next_due_at`)} AS cursor_at, q.origin, q.destination, q.departure_date::text AS departure_date, q.return_date::text AS return_date, q.cabin,
          q.adults + q.children + q.infants AS travellers, q.currency, t.last_observed_at, t.next_due_at, t.enqueued_at,
          (SELECT count(*) FROM tracked_route_query l JOIN tracked_route tr ON tr.id = l.tracked_route_id WHERE l.query_id = t.query_id AND tr.status = 'active') AS routes
        FROM ingestion_target t JOIN flight_query q ON q.id = t.query_id ${where(c)}
        ORDER BY t.next_due_at, t.query_id LIMIT ${options.limit + 1}`,
  );
  const found = page(rows, options.limit, (r) => ({ at: r.cursor_at, id: String(r.query_id) }));
  const items = found.items.map((r) => ({
    queryId: Number(r.query_id),
    origin: r.origin,
    destination: r.destination,
    departureDate: r.departure_date,
    returnDate: r.return_date,
    cabin: r.cabin,
    travellers: Number(r.travellers),
    currency: r.currency,
    routes: Number(r.routes),
    lastObservedAt: isoOrNull(r.last_observed_at),
    nextDueAt: iso(r.next_due_at),
    enqueuedAt: isoOrNull(r.enqueued_at),
  }));
  return { items, nextCursor: found.nextCursor };
}

/** How many queries active tracked routes need, and how many are due now. */
export async function freshnessCounts(db: Db, options: { today: string; now: Date }): Promise<{ tracked: number; overdue: number }> {
  const [row] = await queryRows<{ tracked: number | string; overdue: number | string }>(
    db,
    sql`SELECT count(*) AS tracked, count(*) FILTER (WHERE t.next_due_at <= ${options.now.toISOString()}::timestamptz) AS overdue
        FROM ingestion_target t JOIN flight_query q ON q.id = t.query_id WHERE ${LIVE_TARGET(options.today)}`,
  );
  return { tracked: Number(row?.tracked ?? 0), overdue: Number(row?.overdue ?? 0) };
}

/** Which of these queries some active tracked route needs. */
export async function liveTargets(db: Db, queryIds: number[], today: string): Promise<{ queryId: number; nextDueAt: string }[]> {
  if (queryIds.length === 0) return [];
  const rows = await queryRows<{ query_id: number | string; next_due_at: Time }>(
    db,
    sql`SELECT t.query_id, t.next_due_at FROM ingestion_target t JOIN flight_query q ON q.id = t.query_id
        WHERE t.query_id IN (SELECT value::bigint FROM json_array_elements_text(${JSON.stringify(queryIds.map(String))}::json)) AND ${LIVE_TARGET(today)}`,
  );
  return rows.map((r) => ({ queryId: Number(r.query_id), nextDueAt: iso(r.next_due_at) }));
}

// ---------------------------------------------------------------------------------------------
// Queues (pg-boss's own tables)

export interface QueueDepth {
  name: string;
  /** Created, waiting for their start time or a worker. */
  waiting: number;
  /** Failed once, waiting for their retry. */
  retrying: number;
  active: number;
}

/** Jobs not yet done per queue of ours (not pg-boss's internal ones), from its table (empty before a worker first made it). */
export async function queueDepths(db: Db, schema: string): Promise<QueueDepth[]> {
  if (!(await queueTablesExist(db, schema))) return [];
  const rows = await queryRows<{ name: string; state: string; n: number | string }>(
    db,
    sql`SELECT q.name, j.state::text AS state, count(j.id) AS n FROM ${sql.identifier(schema)}.queue q
        LEFT JOIN ${sql.identifier(schema)}.job j ON j.name = q.name AND j.state < 'completed'
        WHERE left(q.name, 8) <> '__pgboss' GROUP BY 1, 2 ORDER BY 1`,
  );
  const depths = new Map<string, QueueDepth>();
  for (const r of rows) {
    const d = depths.get(r.name) ?? { name: r.name, waiting: 0, retrying: 0, active: 0 };
    if (r.state === "created") d.waiting += Number(r.n);
    if (r.state === "retry") d.retrying += Number(r.n);
    if (r.state === "active") d.active += Number(r.n);
    depths.set(r.name, d);
  }
  return [...depths.values()];
}

/** Removes the dead-letter queue's copies of these queries' jobs (retried or discarded by an admin). */
export async function dropDeadLetters(db: Db, schema: string, deadQueue: string, queryIds: number[]): Promise<void> {
  if (queryIds.length === 0) return;
  if (!(await queueTablesExist(db, schema))) return;
  await db.execute(
    sql`DELETE FROM ${sql.identifier(schema)}.job WHERE name = ${deadQueue} AND state < 'completed'
        AND data->>'queryId' IN (SELECT value FROM json_array_elements_text(${JSON.stringify(queryIds.map(String))}::json))`,
  );
}

/** A job's payload as the queue holds it (live or archived), or null once pg-boss dropped it. */
export async function jobPayload(db: Db, schema: string, jobId: string): Promise<Record<string, unknown> | null> {
  if (!/^[0-9a-f-]{36}$/i.test(jobId)) return null;
  if (!(await queueTablesExist(db, schema))) return null;
  const [row] = await queryRows<{ data: Record<string, unknown> | string | null }>(
    db,
    sql`SELECT data FROM ${sql.identifier(schema)}.job WHERE id = ${jobId}::uuid
        UNION ALL SELECT data FROM ${sql.identifier(schema)}.archive WHERE id = ${jobId}::uuid LIMIT 1`,
  );
  if (!row?.data) return null;
  return typeof row.data === "string" ? (JSON.parse(row.data) as Record<string, unknown>) : row.data;
}

// ---------------------------------------------------------------------------------------------
// Deliveries

export interface DeliveryCounts {
  kind: string;
  sent: number;
  failed: number;
  pending: number;
  skipped: number;
  digest: number;
}

/** Deliveries made in the last day per channel kind, and the in-app notifications written. */
export async function deliveryCounts(db: Db, now: Date): Promise<{ inApp: number; channels: DeliveryCounts[] }> {
  const since = new Date(now.getTime() - 24 * HOUR_MS).toISOString();
  const [rows, [inApp]] = await Promise.all([
    queryRows<{ kind: string; status: keyof Omit<DeliveryCounts, "kind">; n: number | string }>(
      db,
      sql`SELECT c.kind, d.status, count(*) AS n FROM notification_delivery d JOIN notification_channel c ON c.id = d.channel_id
          WHERE d.created_at >= ${since}::timestamptz GROUP BY 1, 2`,
    ),
    queryRows<{ n: number | string }>(db, sql`SELECT count(*) AS n FROM notification WHERE created_at >= ${since}::timestamptz`),
  ]);
  const byKind = new Map<string, DeliveryCounts>(["email", "webhook", "ntfy"].map((kind) => [kind, { kind, sent: 0, failed: 0, pending: 0, skipped: 0, digest: 0 }]));
  for (const r of rows) {
    const d = byKind.get(r.kind);
    if (d && r.status in d) d[r.status] += Number(r.n);
  }
  return { inApp: Number(inApp?.n ?? 0), channels: [...byKind.values()] };
}

export interface FailingChannel {
  id: string;
  kind: string;
  name: string;
  /** The endpoint's host only: a URL's path or query may carry its owner's token. */
  host: string;
  ownerEmail: string | null;
  enabled: boolean;
  disabledReason: string | null;
  consecutiveFailures: number;
  lastFailureAt: string | null;
  lastSuccessAt: string | null;
}

function hostOf(target: string): string {
  try {
    return new URL(target).host;
  } catch {
    return "(not a URL)";
  }
}

/** Webhook and ntfy endpoints failing now (or disabled for failing), the latest failure first. */
export async function failingChannels(db: Db, limit = 50): Promise<FailingChannel[]> {
  const rows = await queryRows<{
    id: string;
    kind: string;
    name: string;
    target: string;
    email: string | null;
    enabled: boolean;
    disabled_reason: string | null;
    consecutive_failures: number;
    last_failure_at: Time | null;
    last_success_at: Time | null;
  }>(
    db,
    sql`SELECT c.id, c.kind, c.name, c.target, u.email, c.enabled, c.disabled_reason, c.consecutive_failures, c.last_failure_at, c.last_success_at
        FROM notification_channel c JOIN app_user u ON u.id = c.user_id
        WHERE c.kind IN ('webhook', 'ntfy') AND (c.consecutive_failures > 0 OR (NOT c.enabled AND c.last_failure_at IS NOT NULL))
        ORDER BY c.last_failure_at DESC NULLS LAST LIMIT ${limit}`,
  );
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    name: r.name,
    host: r.kind === "email" ? "" : hostOf(r.target),
    ownerEmail: r.email,
    enabled: r.enabled,
    disabledReason: r.disabled_reason,
    consecutiveFailures: r.consecutive_failures,
    lastFailureAt: isoOrNull(r.last_failure_at),
    lastSuccessAt: isoOrNull(r.last_success_at),
  }));
}

export interface FailedDelivery {
  id: string;
  kind: string;
  channelName: string;
  channelEnabled: boolean;
  ownerEmail: string | null;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
}

/** Deliveries that gave up, newest first. */
export async function failedDeliveries(db: Db, limit = 50): Promise<FailedDelivery[]> {
  const rows = await queryRows<{
    id: string;
    kind: string;
    name: string;
    enabled: boolean;
    email: string | null;
    attempts: number;
    last_status_code: number | null;
    last_error: string | null;
    created_at: Time;
  }>(
    db,
    sql`SELECT d.id, c.kind, c.name, c.enabled, u.email, d.attempts, d.last_status_code, d.last_error, d.created_at
        FROM (SELECT * FROM notification_delivery WHERE status = 'failed' ORDER BY created_at DESC LIMIT ${limit}) d
        JOIN notification_channel c ON c.id = d.channel_id JOIN app_user u ON u.id = c.user_id ORDER BY d.created_at DESC`,
  );
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    channelName: r.name,
    channelEnabled: r.enabled,
    ownerEmail: r.email,
    attempts: r.attempts,
    lastStatusCode: r.last_status_code,
    lastError: r.last_error,
    createdAt: iso(r.created_at),
  }));
}

// ---------------------------------------------------------------------------------------------
// Users and the audit log

export interface AdminUserRow {
  id: string;
  email: string | null;
  name: string | null;
  role: Role;
  createdAt: string;
  disabledAt: string | null;
  trackedRoutes: number;
  lastSeenAt: string | null;
}

/** Users newest first, matching a part of their address or name. */
export async function usersPage(db: Db, options: { query?: string; role?: Role; limit: number; cursor?: Cursor | null }): Promise<{ items: AdminUserRow[]; nextCursor: string | null }> {
  const c: SQL[] = [];
  if (options.query) {
    const like = `%${options.query.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    c.push(sql`(u.email ILIKE ${like} OR u.name ILIKE ${like})`);
  }
  if (options.role) c.push(sql`u.role = ${options.role}`);
  if (options.cursor) c.push(sql`(u.created_at, u.id) < (${options.cursor.at}::timestamptz, ${options.cursor.id}::uuid)`);
  const rows = await queryRows<{ id: string; email: string | null; name: string | null; role: Role; created_at: Time; cursor_at: string; disabled_at: Time | null; tracked: number | string; last_seen: Time | null }>(
    db,
    sql`SELECT u.id, u.email, u.name, u.role, u.created_at, ${cursorTime(sql`u.created_at`)} AS cursor_at, u.disabled_at,
          (SELECT count(*) FROM tracked_route r WHERE r.user_id = u.id) AS tracked,
          (SELECT max(coalesce(s.last_seen_at, s.created_at)) FROM auth_session s WHERE s.user_id = u.id) AS last_seen
        FROM app_user u ${where(c)} ORDER BY u.created_at DESC, u.id DESC LIMIT ${options.limit + 1}`,
  );
  const found = page(rows, options.limit, (r) => ({ at: r.cursor_at, id: r.id }));
  const items = found.items.map((r) => ({
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role,
    createdAt: iso(r.created_at),
    disabledAt: isoOrNull(r.disabled_at),
    trackedRoutes: Number(r.tracked),
    lastSeenAt: isoOrNull(r.last_seen),
  }));
  return { items, nextCursor: found.nextCursor };
}

export interface AuditView {
  id: number;
  at: string;
  action: string;
  actorId: string | null;
  actorEmail: string | null;
  subjectId: string | null;
  subjectEmail: string | null;
  address: string | null;
  userAgent: string | null;
  detail: Record<string, unknown>;
}

/** The audit log newest first, by action, by a user (acting or acted on) and by time. */
export async function auditPage(
  db: Db,
  options: { action?: string; userEmail?: string; from?: Date; to?: Date; limit: number; cursor?: Cursor | null },
): Promise<{ items: AuditView[]; nextCursor: string | null }> {
  const c: SQL[] = [];
  if (options.action) c.push(sql`e.action = ${options.action}`);
  if (options.userEmail) {
    const who = sql`(SELECT id FROM app_user WHERE email = ${options.userEmail.trim().toLowerCase()})`;
    c.push(sql`(e.actor_id = ${who} OR e.subject_id = ${who})`);
  }
  if (options.from) c.push(sql`e.at >= ${options.from.toISOString()}::timestamptz`);
  if (options.to) c.push(sql`e.at < ${options.to.toISOString()}::timestamptz`);
  if (options.cursor) c.push(sql`(e.at, e.id) < (${options.cursor.at}::timestamptz, ${options.cursor.id}::bigint)`);
  const rows = await queryRows<{
    id: number | string;
    at: Time;
    cursor_at: string;
    action: string;
    actor_id: string | null;
    actor_email: string | null;
    subject_id: string | null;
    subject_email: string | null;
    address: string | null;
    user_agent: string | null;
    detail: Record<string, unknown> | string;
  }>(
    db,
    sql`SELECT e.id, e.at, ${cursorTime(sql`e.at`)} AS cursor_at, e.action, e.actor_id, a.email AS actor_email, e.subject_id, s.email AS subject_email, e.address, e.user_agent, e.detail
        FROM audit_event e LEFT JOIN app_user a ON a.id = e.actor_id LEFT JOIN app_user s ON s.id = e.subject_id
        ${where(c)} ORDER BY e.at DESC, e.id DESC LIMIT ${options.limit + 1}`,
  );
  const found = page(rows, options.limit, (r) => ({ at: r.cursor_at, id: String(r.id) }));
  const items = found.items.map((r) => ({
    id: Number(r.id),
    at: iso(r.at),
    action: r.action,
    actorId: r.actor_id,
    actorEmail: r.actor_email,
    subjectId: r.subject_id,
    subjectEmail: r.subject_email,
    address: r.address,
    userAgent: r.user_agent,
    detail: typeof r.detail === "string" ? (JSON.parse(r.detail) as Record<string, unknown>) : r.detail,
  }));
  return { items, nextCursor: found.nextCursor };
}
