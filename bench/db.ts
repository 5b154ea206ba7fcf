/**
 * `npm run bench:db`: price store figures on each engine available.
 *  - Write throughput of the app's own write path (recordSearch: one search = upsert of its
 *    query + one batch of 200 snapshots, in one transaction) beside a raw SQL baseline on the
 *    same table (one INSERT ... SELECT generate_series of as many rows, on a route of its own),
 *    and their ratio. Alternating rounds, medians.
 *  - With >= 1,000,000 snapshots over 180 days of observations (20 routes), the daily history
 *    query for one route over 180 days (dailyPriceHistory, reading price_daily), p50/p95 over
 *    50 runs, beside a raw GROUP BY over price_snapshot for the same answer.
 * The embedded engine keeps its data in a temporary folder (as the app does); the server engine
 * uses a fresh database on BENCH_DATABASE_URL or TEST_DATABASE_URL (default this machine's), the
 * timescale engine one on BENCH_TIMESCALE_URL or TEST_TIMESCALE_URL (default 127.0.0.1:5433,
 * which ../shared/timescaledb/start-server.sh starts).
 * Options: --rows=N (default 1,000,000), --engine=embedded|server|timescale.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { openEmbedded, openServer, queryRows, type Database } from "@/db/client";
import { runTimescalePolicies } from "@/db/maintenance";
import { hasTimescale, migrate, refreshContinuousAggregates } from "@/db/migrate";
import { createFreshDatabase } from "@/scripts/fresh-database.mjs";
import { dailyPriceHistory } from "@/db/queries/price-daily";
import { recordSearch, SNAPSHOT_BATCH_SIZE } from "@/db/queries/snapshots";
import type { CanonicalQuery } from "@/server/core/canonical-query";
import type { SnapshotOffer } from "@/server/core/observation";

const args = Object.fromEntries(
  process.argv.slice(2).map((arg) => {
    const [key, value] = arg.replace(/^--/, "").split("=");
    return [key, value ?? "true"];
  }),
);
const TOTAL_ROWS = Number(args.rows ?? 1_000_000);
const WRITE_ROWS = 20_000;
const ROUNDS = 3;
/** Concurrent searches for the second write figure: the app's own server pool size. */
const WRITERS = 4;
const QUERY_RUNS = 50;
const serverUrls = {
  server: process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test",
  timescale: process.env.BENCH_TIMESCALE_URL || process.env.TEST_TIMESCALE_URL || "postgres://postgres@127.0.0.1:5433/postgres",
};
type Engine = "embedded" | keyof typeof serverUrls;

const ROUTES: [string, string, string][] = [
  ["LHR", "JFK", "GBP"], ["LHR", "DXB", "GBP"], ["LGW", "BCN", "GBP"], ["CDG", "JFK", "EUR"], ["FRA", "SIN", "EUR"],
  ["AMS", "LIS", "EUR"], ["MAD", "MEX", "EUR"], ["JFK", "LAX", "USD"], ["SFO", "NRT", "USD"], ["ORD", "MIA", "USD"],
  ["ATL", "CUN", "USD"], ["SEA", "HNL", "USD"], ["YYZ", "YVR", "CAD"], ["SYD", "MEL", "AUD"], ["SYD", "AKL", "AUD"],
  ["SIN", "BKK", "SGD"], ["HND", "ICN", "JPY"], ["DXB", "BOM", "AED"], ["GRU", "EZE", "BRL"], ["JNB", "CPT", "ZAR"],
];

function quantile(sorted: number[], q: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index]!;
}
const median = (values: number[]) => quantile([...values].sort((a, b) => a - b), 0.5);
const fmt = (n: number, digits = 0) => n.toLocaleString("en-GB", { maximumFractionDigits: digits, minimumFractionDigits: digits });

interface EngineFigures {
  engine: string;
  detail: string;
  appRowsPerSecond: number;
  appConcurrentRowsPerSecond: number;
  rawRowsPerSecond: number;
  snapshots: number;
  fillSeconds: number;
  historyP50: number;
  historyP95: number;
  rawP50: number;
  rawP95: number;
  historyPoints: number;
}

/** One search's worth of offers, built before timing so that only the database write is measured. */
function searchOffers(query: CanonicalQuery, count: number, seed: number): SnapshotOffer[] {
  const base = new Date(`${query.departureDate}T06:00:00Z`).getTime();
  return Array.from({ length: count }, (_, i) => {
    const departureAt = new Date(base + ((i * 7) % 960) * 60_000);
    const duration = 300 + ((i * 13 + seed) % 600);
    const price = 20_000 + ((i * 7919 + seed * 104_729) % 90_000);
    return {
      provider: i % 2 === 0 ? "simulated-a" : "simulated-b",
      itineraryKey: `bench-${seed}-${i}`,
      origin: query.origin,
      destination: query.destination,
      carriers: ["BA", "AA"].slice(0, 1 + (i % 2)),
      flightNumbers: [`BA${100 + (i % 900)}`, `AA${200 + (i % 700)}`].slice(0, 1 + (i % 2)),
      stops: i % 3,
      departureAt,
      arrivalAt: new Date(departureAt.getTime() + duration * 60_000),
      durationMinutes: duration,
      priceMinor: price,
      pricePerAdultMinor: price,
      currency: query.currency,
      simulated: true,
      deepLink: `https://example.test/offer/${seed}/${i}`,
    };
  });
}

/** Rows/s of `writers` concurrent loops each recording searches (one writer = one at a time). */
async function timeAppWrites(database: Database, round: number, writers: number): Promise<number> {
  const searches = WRITE_ROWS / SNAPSHOT_BATCH_SIZE;
  const work = Array.from({ length: searches }, (_, s) => {
    const [origin, destination, currency] = ROUTES[s % ROUTES.length]!;
    const index = round * 2 * searches + (writers > 1 ? searches : 0) + s;
    const departure = new Date(Date.UTC(2027, 2, 1) + (index % 300) * 86_400_000).toISOString().slice(0, 10);
    const query: CanonicalQuery = {
      origin,
      destination,
      departureDate: departure,
      returnDate: null,
      cabin: "economy",
      adults: 1 + Math.floor(index / 300) % 9,
      children: 0,
      infants: 0,
      currency,
    };
    return { query, offers: searchOffers(query, SNAPSHOT_BATCH_SIZE, index), at: new Date(Date.now() - s * 1000) };
  });
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (next < work.length) {
        const { query, offers, at } = work[next++]!;
        await recordSearch(database.db, query, at, offers);
      }
    }),
  );
  return WRITE_ROWS / ((performance.now() - started) / 1000);
}

async function timeRawWrites(database: Database, round: number, queryId: number): Promise<number> {
  const started = performance.now();
  await database.db.execute(sql`
    INSERT INTO price_snapshot (observed_at, query_id, provider, itinerary_key, origin, destination, departure_date, return_date,
      cabin, carriers, flight_numbers, stops, departure_at, arrival_at, duration_minutes, price_minor, price_per_adult_minor,
      currency, deep_link)
    SELECT now() - i * interval '1 second', ${queryId}::bigint, 'raw', ${`raw-${round}-`} || i, 'XRA', 'XRB', DATE '2027-03-01', NULL,
      'economy', ARRAY['BA'], ARRAY['BA' || (100 + i % 900)], i % 3, TIMESTAMPTZ '2027-03-01 09:00Z',
      TIMESTAMPTZ '2027-03-01 17:00Z', 480, 20000 + i % 90000, 20000 + i % 90000, 'GBP', 'https://example.test/offer/' || i
    FROM generate_series(1, ${WRITE_ROWS}::int) AS i`);
  return WRITE_ROWS / ((performance.now() - started) / 1000);
}

/** Fills the table to `target` snapshots: 20 routes, observations over the last 180 days. */
async function fill(database: Database, target: number): Promise<number> {
  const [{ n: existing } = { n: 0 }] = await queryRows<{ n: number }>(database.db, "SELECT count(*)::int AS n FROM price_snapshot");
  const missing = Math.max(0, target - existing);
  const routes = ROUTES.map(([o, d, c], i) => `(${i}, '${o}', '${d}', '${c}')`).join(", ");
  await database.db.execute(sql.raw(`
    INSERT INTO flight_query (origin, destination, departure_date, cabin, currency)
    SELECT r.origin, r.destination, current_date + g, 'economy', r.currency
    FROM (VALUES ${routes}) AS r(n, origin, destination, currency), generate_series(-180, 300) AS g
    ON CONFLICT ON CONSTRAINT flight_query_canonical_key DO NOTHING`));
  // In slices, so that the embedded engine's memory stays bounded.
  const slice = 100_000;
  for (let start = 0; start < missing; start += slice) {
    const end = Math.min(missing, start + slice);
    await database.db.execute(sql.raw(`
      INSERT INTO price_snapshot (observed_at, query_id, provider, itinerary_key, origin, destination, departure_date, return_date,
        cabin, carriers, flight_numbers, stops, departure_at, arrival_at, duration_minutes, price_minor, price_per_adult_minor,
        currency, deep_link)
      SELECT s.observed_at, q.id, 'fill', 'fill-' || s.i, q.origin, q.destination, q.departure_date, NULL, 'economy',
        ARRAY['BA'], ARRAY['BA' || (100 + s.i % 900)], s.i % 3, q.departure_date + time '09:00',
        q.departure_date + time '17:00', 480, s.price, s.price, q.currency, NULL
      FROM (
        SELECT i,
               now() - ((i / 20) % 180) * interval '1 day' - (i % 3600) * interval '1 second' AS observed_at,
               (i % 20)::int AS route,
               (7 + (i * 7919) % 120)::int AS lead_days,
               20000 + (i * 104729) % 90000 AS price
        FROM generate_series(${existing + start + 1}::bigint, ${existing + end}::bigint) AS i
      ) s
      JOIN (VALUES ${routes}) AS r(n, origin, destination, currency) ON r.n = s.route
      JOIN flight_query q ON q.origin = r.origin AND q.destination = r.destination AND q.cabin = 'economy'
        AND q.currency = r.currency AND q.adults = 1 AND q.children = 0 AND q.infants = 0 AND q.return_date IS NULL
        AND q.departure_date = (s.observed_at::date + s.lead_days)
      ON CONFLICT DO NOTHING`));
    process.stdout.write(`\r  filled ${fmt(existing + end)} / ${fmt(target)} snapshots`);
  }
  process.stdout.write("\n");
  const [{ n } = { n: 0 }] = await queryRows<{ n: number }>(database.db, "SELECT count(*)::int AS n FROM price_snapshot");
  return n;
}

async function timeQueries(run: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < 3; i++) await run(); // warm caches and plans
  const times: number[] = [];
  for (let i = 0; i < QUERY_RUNS; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: quantile(times, 0.5), p95: quantile(times, 0.95) };
}

async function benchEngine(engine: Engine): Promise<EngineFigures | null> {
  let database: Database;
  let cleanup = async () => {};
  if (engine === "embedded") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ft-bench-"));
    database = await openEmbedded({ dataDir: path.join(dir, "pglite") });
    cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
  } else {
    let fresh;
    try {
      fresh = await createFreshDatabase(serverUrls[engine], "ft_bench");
    } catch (error) {
      console.log(`${engine} engine skipped: ${serverUrls[engine]} unreachable (${(error as Error).message})`);
      return null;
    }
    database = await openServer({ url: fresh.url, poolMax: WRITERS });
    cleanup = fresh.drop;
  }
  try {
    console.log(`\n== ${engine} (${database.location})`);
    await migrate(database);
    const timescale = await hasTimescale(database.db);
    const [{ version } = { version: "" }] = await queryRows<{ version: string }>(database.db, "SELECT current_setting('server_version') AS version");
    const detail = `PostgreSQL ${version}${timescale ? ", TimescaleDB" : ", no TimescaleDB"}`;

    const [{ id: rawQueryId } = { id: 0 }] = await queryRows<{ id: number }>(
      database.db,
      sql`INSERT INTO flight_query (origin, destination, departure_date, cabin, currency)
          VALUES ('XRA', 'XRB', DATE '2027-03-01', 'economy', 'GBP') RETURNING id::int AS id`,
    );
    const app: number[] = [];
    const appConcurrent: number[] = [];
    const raw: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      raw.push(await timeRawWrites(database, round, rawQueryId));
      app.push(await timeAppWrites(database, round, 1));
      appConcurrent.push(await timeAppWrites(database, round, WRITERS));
      console.log(
        `  write round ${round + 1}: app ${fmt(app.at(-1)!)} rows/s (1 writer), ${fmt(appConcurrent.at(-1)!)} rows/s ` +
          `(${WRITERS} writers); raw ${fmt(raw.at(-1)!)} rows/s`,
      );
    }

    const fillStarted = performance.now();
    const snapshots = await fill(database, TOTAL_ROWS);
    if (timescale) {
      // The fill is a backfill: like the demo seed, it materialises the aggregate over all of it
      // (the refresh policy only looks 7 days back). Then what the policies do on a running
      // system: compress chunks older than 7 days.
      await refreshContinuousAggregates(database.db);
      const policies = await runTimescalePolicies(database.db);
      if (policies.failed.length) console.log(`  policy failures: ${policies.failed.join("; ")}`);
    }
    await database.db.execute(sql`ANALYZE price_snapshot`);
    const fillSeconds = (performance.now() - fillStarted) / 1000;
    console.log(`  ${fmt(snapshots)} snapshots ready in ${fmt(fillSeconds, 1)} s`);

    const [origin, destination, currency] = ROUTES[0]!;
    const history = () => dailyPriceHistory(database.db, { origin, destination, currency, days: 180 });
    const points = (await history()).length;
    const app180 = await timeQueries(history);
    const raw180 = await timeQueries(() =>
      queryRows(
        database.db,
        sql`SELECT date_trunc('day', observed_at AT TIME ZONE 'UTC') AS day, min(price_per_adult_minor), avg(price_per_adult_minor),
                   max(price_per_adult_minor), count(*)
            FROM price_snapshot
            WHERE origin = ${origin} AND destination = ${destination} AND currency = ${currency}
              AND observed_at >= date_trunc('day', now()) - interval '179 days'
            GROUP BY 1 ORDER BY 1`,
      ),
    );
    return {
      engine,
      detail,
      appRowsPerSecond: median(app),
      appConcurrentRowsPerSecond: median(appConcurrent),
      rawRowsPerSecond: median(raw),
      snapshots,
      fillSeconds,
      historyP50: app180.p50,
      historyP95: app180.p95,
      rawP50: raw180.p50,
      rawP95: raw180.p95,
      historyPoints: points,
    };
  } finally {
    await database.close();
    await cleanup();
  }
}

const engines: Engine[] = args.engine ? [args.engine as Engine] : ["embedded", "server", "timescale"];
const results: EngineFigures[] = [];
for (const engine of engines) {
  const figures = await benchEngine(engine);
  if (figures) results.push(figures);
}

console.log(`\nPrice store benchmark (${os.cpus().length} cores, Node ${process.version}; ${fmt(WRITE_ROWS)} rows per write run, median of ${ROUNDS})`);
const pct = (a: number, b: number) => `${fmt((a / b) * 100)}%`;
console.log(`| engine | raw INSERT ... SELECT | app write path, 1 writer | ratio | app write path, ${WRITERS} writers | ratio |`);
console.log("|---|---|---|---|---|---|");
for (const r of results) {
  console.log(
    `| ${r.engine} (${r.detail}) | ${fmt(r.rawRowsPerSecond)} rows/s | ${fmt(r.appRowsPerSecond)} rows/s | ` +
      `${pct(r.appRowsPerSecond, r.rawRowsPerSecond)} | ${fmt(r.appConcurrentRowsPerSecond)} rows/s | ` +
      `${pct(r.appConcurrentRowsPerSecond, r.rawRowsPerSecond)} |`,
  );
}
console.log(`\n| engine | snapshots | daily history, one route, 180 days: p50 / p95 | raw GROUP BY over snapshots: p50 / p95 | ratio of p50 |`);
console.log("|---|---|---|---|---|");
for (const r of results) {
  console.log(
    `| ${r.engine} | ${fmt(r.snapshots)} | ${fmt(r.historyP50, 1)} / ${fmt(r.historyP95, 1)} ms (${r.historyPoints} days) | ` +
      `${fmt(r.rawP50, 1)} / ${fmt(r.rawP95, 1)} ms | ${fmt(r.rawP50 / r.historyP50, 1)}x faster |`,
  );
}
fs.mkdirSync(".test-output", { recursive: true });
fs.writeFileSync(".test-output/bench-db.json", JSON.stringify(results, null, 2));
