/**
 * `npm run bench:ingest`: scheduled ingestion, on each engine (a fresh embedded database in
 * memory, and a fresh database on TEST_DATABASE_URL's server when it answers). One worker
 * process's job runtime (startJobs, WORKER_CONCURRENCY jobs at once) against the simulated
 * providers. Prints:
 * - distinct queries refreshed per minute, with the providers at their default latency
 *   (150-600 and 300-1200 ms) and at zero latency (--jobs=N each, default 200);
 * - the scheduler's lag (a run's start minus its target's due time, p50/p95) over --lag-seconds
 *   (default 180) with 10,080 tracked routes (distinct queries, departures 1 to 300 days out,
 *   due times spread over their first period as the scheduler spreads them), at the default
 *   tick, budget and cadence, and the refresh rate those routes need at that cadence;
 * - the database's growth per 1,000 runs (snapshots, provider calls, run records, tracked-route
 *   state and events, the queue's tables).
 */
import { sql } from "drizzle-orm";
import { queryRows, type Database } from "@/db/client";
import { migrate } from "@/db/migrate";
import { loadReference } from "@/db/queries/reference";
import { loadReferenceData } from "@/db/seed/reference";
import { buildReferenceData } from "@/db/seed/reference-data";
import { configFromEnv, createAppContext, type AppConfig, type AppContext } from "@/server/context";
import { cadenceHours, DEFAULT_CADENCE } from "@/server/core/ingestion-schedule";
import { createBoss, prepareQueues } from "@/server/jobs/queue";
import { startJobs } from "@/server/jobs/runtime";
import { onEachEngine, parseArgs } from "./support";

const args = parseArgs();
const JOBS = Number(args.jobs ?? 200);
const LAG_SECONDS = Number(args["lag-seconds"] ?? 180);
const AIRPORTS = ["LHR", "JFK", "CDG", "FRA", "AMS", "MAD", "BCN", "FCO", "DXB", "SIN"];
const DAYS = 112;

function config(base: AppConfig, overrides: { latency?: string; tracking?: Partial<AppConfig["tracking"]> }): AppConfig {
  return {
    ...base,
    search: { ...base.search, writeBehind: true },
    providers: { ...base.providers, providers: "simulated", duffel: undefined, simulatedLatencyMs: overrides.latency },
    limits: { ...base.limits },
    tracking: { ...base.tracking, workerMode: "off", ...overrides.tracking },
  };
}

/** 90 routes x 112 departure dates spread over 1-300 days: 10,080 distinct queries, each tracked once. */
async function trackMany(ctx: AppContext): Promise<number> {
  const [user] = await queryRows<{ id: string }>(ctx.db, sql`INSERT INTO app_user (email) VALUES ('bench-ingest@example.test') RETURNING id`);
  const pairs = AIRPORTS.flatMap((a) => AIRPORTS.filter((b) => b !== a).map((b) => `('${a}','${b}')`)).join(",");
  await ctx.db.execute(sql.raw(`
    INSERT INTO flight_query (origin, destination, departure_date, cabin, currency, search_count)
    SELECT p.o, p.d, current_date + (1 + (k * 299) / ${DAYS - 1}), 'economy', 'EUR', 0
    FROM (VALUES ${pairs}) AS p(o, d), generate_series(0, ${DAYS - 1}) AS k`));
  await ctx.db.execute(sql.raw(`
    INSERT INTO tracked_route (user_id, kind, origin, destination, departure_date, cabin, currency)
    SELECT '${user!.id}', 'exact', origin, destination, departure_date, cabin, currency FROM flight_query`));
  await ctx.db.execute(sql.raw(`
    INSERT INTO tracked_route_query (tracked_route_id, query_id)
    SELECT r.id, q.id FROM tracked_route r JOIN flight_query q USING (origin, destination, departure_date, cabin, currency)`));
  // Never observed: due somewhere in the first period, by a hash of the query (as nextDueAt does).
  const period = `CASE WHEN q.departure_date - current_date >= 60 THEN 12 WHEN q.departure_date - current_date >= 14 THEN 6 ELSE 2 END`;
  await ctx.db.execute(sql.raw(`
    INSERT INTO ingestion_target (query_id, next_due_at)
    SELECT q.id, now() + ((abs(hashtext(q.id::text)) % 1000000) / 1000000.0) * (${period}) * interval '1 hour' FROM flight_query q`));
  const [row] = await queryRows<{ n: number }>(ctx.db, sql`SELECT count(*)::int AS n FROM tracked_route`);
  return row!.n;
}

/** Refreshes per hour the tracked queries need at this cadence. */
async function neededPerMinute(ctx: AppContext): Promise<number> {
  const rows = await queryRows<{ days: number; n: number }>(ctx.db, sql`SELECT (departure_date - current_date)::int AS days, count(*)::int AS n FROM flight_query GROUP BY 1`);
  return rows.reduce((sum, r) => sum + r.n / (cadenceHours(r.days, DEFAULT_CADENCE) ?? Infinity), 0) / 60;
}

const GROWTH_TABLES = ["price_snapshot", "provider_call", "ingestion_run", "ingestion_target", "tracked_route", "tracked_route_query", "tracked_route_point", "event_outbox", "flight_query"];

/** Bytes on disk of the tables (a hypertable's chunks included) and of the queue's schema. */
async function sizes(ctx: AppContext): Promise<number> {
  const [row] = await queryRows<{ bytes: number | string }>(
    ctx.db,
    sql.raw(`SELECT (
      coalesce((SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c
        WHERE c.relkind IN ('r', 'p') AND (c.relname IN (${GROWTH_TABLES.map((t) => `'${t}'`).join(",")})
          OR c.oid IN (SELECT inhrelid FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname IN ('price_snapshot', 'provider_call')))), 0)
      + coalesce((SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'pgboss' AND c.relkind = 'r'), 0)
    )::float8 AS bytes`),
  );
  return Number(row!.bytes);
}

const succeeded = async (ctx: AppContext) => (await queryRows<{ n: number }>(ctx.db, sql`SELECT count(*)::int AS n FROM ingestion_run WHERE status = 'succeeded'`))[0]!.n;

/** Makes the `jobs` earliest targets due now and times one worker refreshing them all. */
async function throughput(database: Database, base: AppConfig, reference: AppContext["reference"], latency: string | undefined, label: string) {
  const ctx = createAppContext({ config: config(base, { latency, tracking: { tickSeconds: 1, budgets: { default: 1_000_000, byProvider: {} } } }), database, reference });
  await ctx.db.execute(
    sql.raw(`UPDATE ingestion_target SET next_due_at = now() - interval '1 second', enqueued_at = NULL
      WHERE query_id IN (SELECT query_id FROM ingestion_target WHERE last_observed_at IS NULL ORDER BY next_due_at LIMIT ${JOBS})`),
  );
  const before = await succeeded(ctx);
  const bytes = await sizes(ctx);
  const started = Date.now();
  const runtime = await startJobs(ctx);
  while ((await succeeded(ctx)) - before < JOBS && Date.now() - started < 600_000) await new Promise((resolve) => setTimeout(resolve, 200));
  const seconds = (Date.now() - started) / 1000;
  await runtime.stop(5_000);
  await ctx.observations.flush();
  const runs = (await succeeded(ctx)) - before;
  const grown = (await sizes(ctx)) - bytes;
  console.log(
    `  ${label.padEnd(30)} ${((runs / seconds) * 60).toFixed(0).padStart(6)} queries/min   (${runs} runs in ${seconds.toFixed(1)} s, ${ctx.config.tracking.workerConcurrency} at once; ${(grown / runs / 1024).toFixed(1)} KiB per run = ${((grown / runs) * 1000 / 1024 / 1024).toFixed(1)} MiB per 1,000 runs)`,
  );
}

async function lag(database: Database, base: AppConfig, reference: AppContext["reference"]) {
  const ctx = createAppContext({ config: config(base, { latency: undefined }), database, reference });
  // Every target back to its first-period spread, none observed: the steady state's due times.
  await ctx.db.execute(sql.raw(`UPDATE ingestion_target SET enqueued_at = NULL, last_observed_at = NULL,
    next_due_at = now() + ((abs(hashtext(query_id::text)) % 1000000) / 1000000.0) *
      (SELECT CASE WHEN departure_date - current_date >= 60 THEN 12 WHEN departure_date - current_date >= 14 THEN 6 ELSE 2 END FROM flight_query q WHERE q.id = query_id) * interval '1 hour'`));
  const from = new Date();
  const runtime = await startJobs(ctx);
  await new Promise((resolve) => setTimeout(resolve, LAG_SECONDS * 1000));
  await runtime.stop(10_000);
  const [row] = await queryRows<{ runs: number; p50: number | null; p95: number | null; max: number | null; due: number }>(
    ctx.db,
    sql`SELECT count(*)::int AS runs,
          (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM started_at - due_at)))::float8 AS p50,
          (percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM started_at - due_at)))::float8 AS p95,
          max(extract(epoch FROM started_at - due_at))::float8 AS max,
          (SELECT count(*)::int FROM ingestion_target WHERE next_due_at <= ${from.toISOString()}::timestamptz + ${`${LAG_SECONDS} seconds`}::interval AND last_observed_at IS NULL) AS due
        FROM ingestion_run WHERE started_at >= ${from.toISOString()}::timestamptz AND status = 'succeeded'`,
  );
  console.log(
    `  scheduler lag over ${LAG_SECONDS} s:     p50 ${row!.p50?.toFixed(1) ?? "-"} s, p95 ${row!.p95?.toFixed(1) ?? "-"} s, max ${row!.max?.toFixed(1) ?? "-"} s   (${row!.runs} runs; ${row!.due} still due and unrun at the end; tick ${ctx.config.tracking.tickSeconds} s)`,
  );
}

async function measure(label: string, database: Database) {
  await migrate(database);
  await loadReferenceData(database.db, await buildReferenceData());
  const reference = await loadReference(database.db);
  const base = configFromEnv();
  const setup = createAppContext({ config: config(base, {}), database, reference });
  const started = Date.now();
  const routes = await trackMany(setup);
  console.log(`\n${label}: ${routes.toLocaleString("en")} tracked routes (distinct queries) made in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  // The queue's own tables made before anything is measured.
  const boss = createBoss(database, setup.config);
  await boss.start();
  await prepareQueues(boss, setup.config);
  await boss.stop({ graceful: false, wait: true });
  const needed = await neededPerMinute(setup);
  console.log(`  at the default cadence (60:12,14:6,0:2) they need ${needed.toFixed(1)} refreshes per minute`);
  await throughput(database, base, reference, "0", "zero latency:");
  await throughput(database, base, reference, undefined, "default latency (150-1200 ms):");
  await lag(database, base, reference);
}

await onEachEngine("ft_bench_ingest", measure);
