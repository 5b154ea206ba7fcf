/**
 * `npm run bench:alerts`: how long a price check takes to reach its owner, on each engine (a
 * fresh embedded database in memory, and a fresh database on TEST_DATABASE_URL's server when it
 * answers). 10,000 tracked routes (1,000 users with 10 each, the default rules, a baseline
 * price), 1,000 of those users with a webhook to a receiver on loopback. Then 10,000 checks land
 * (the `tracked_route.observed` events ingestion writes in the snapshots' transaction: 100
 * transactions of 100, one every 100 ms), 1,000 of them 20% cheaper. One worker process's
 * runtime (startJobs: the evaluator, WORKER_CONCURRENCY delivery workers) does the rest. Prints,
 * from each check's commit: the in-app notification written (p50/p95/max) and the webhook
 * received (p50/p95/max), and the whole run's time.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import { queryRows, type Database } from "@/db/client";
import { migrate } from "@/db/migrate";
import { TRACKED_ROUTE_OBSERVED } from "@/db/queries/tracked-state";
import { loadReference } from "@/db/queries/reference";
import { loadReferenceData } from "@/db/seed/reference";
import { buildReferenceData } from "@/db/seed/reference-data";
import { seal } from "@/server/alerts/secret-box";
import { newWebhookSecret } from "@/server/alerts/webhook";
import { authSecrets } from "@/server/auth/secret";
import { configFromEnv, createAppContext, type AppConfig, type AppContext } from "@/server/context";
import { startJobs } from "@/server/jobs/runtime";
import { onEachEngine, parseArgs } from "./support";

const args = parseArgs();
const USERS = Number(args.users ?? 1_000);
const ROUTES_PER_USER = 10;
const TRIGGERED = Number(args.triggered ?? 1_000);
const BATCHES = 100;
const BASE_PRICE = 50_000;

function config(base: AppConfig): AppConfig {
  return {
    ...base,
    providers: { ...base.providers, providers: "simulated", duffel: undefined },
    tracking: { ...base.tracking, workerMode: "off" },
    alerts: { ...base.alerts, allowLoopback: true, pollMs: 1_000 },
    auth: { ...base.auth, email: { ...base.auth.email, server: undefined } },
  };
}

/** Users, routes (with the default rules at a baseline) and webhook channels, in bulk. */
async function setUp(ctx: AppContext, hookUrl: string): Promise<void> {
  await ctx.db.execute(sql.raw(`INSERT INTO app_user (email) SELECT 'alerts-bench-' || n || '@example.test' FROM generate_series(1, ${USERS}) AS n`));
  await ctx.db.execute(
    sql.raw(`
    INSERT INTO tracked_route (user_id, kind, origin, destination, departure_date, cabin, currency, current_price_minor, first_price_minor, last_checked_at)
    SELECT u.id, 'exact', 'LHR', 'JFK', current_date + 30 + k, 'economy', 'GBP', ${BASE_PRICE}, ${BASE_PRICE}, now() - interval '1 hour'
    FROM app_user u, generate_series(1, ${ROUTES_PER_USER}) AS k`),
  );
  const state = `jsonb_build_object('baselineMinor', ${BASE_PRICE}, 'lowestMinor', ${BASE_PRICE}, 'lastAlertMinor', NULL, 'lastAlertAt', NULL, 'armed', true)`;
  await ctx.db.execute(
    sql.raw(`
    INSERT INTO alert_rule (tracked_route_id, user_id, kind, floor_percent, drop_percent, state)
    SELECT r.id, r.user_id, d.kind, d.floor_percent, d.drop_percent, ${state}
    FROM tracked_route r CROSS JOIN (VALUES ('new_low', 1::float8, NULL::float8), ('drop', NULL, 10)) AS d(kind, floor_percent, drop_percent)`),
  );
  const sealed = seal(newWebhookSecret(), await authSecrets(ctx.db, ctx.config.auth));
  // The users whose routes will fall get the webhooks: one route each.
  await ctx.db.execute(
    sql`INSERT INTO notification_channel (user_id, kind, name, target, secret_sealed)
        SELECT id, 'webhook', 'bench', ${hookUrl}, ${sealed} FROM app_user ORDER BY id LIMIT ${TRIGGERED}`,
  );
}

/** The checks: one per route; the first route of each user with a webhook 20% cheaper. */
async function land(ctx: AppContext): Promise<void> {
  const routes = await queryRows<{ id: string; user_id: string; departure_date: string; falls: boolean }>(
    ctx.db,
    sql`SELECT r.id, r.user_id, r.departure_date::text,
          (row_number() OVER (PARTITION BY r.user_id ORDER BY r.id) = 1 AND EXISTS (SELECT 1 FROM notification_channel c WHERE c.user_id = r.user_id)) AS falls
        FROM tracked_route r ORDER BY random()`,
  );
  const size = Math.ceil(routes.length / BATCHES);
  for (let i = 0; i < routes.length; i += size) {
    const started = Date.now();
    const at = new Date().toISOString();
    const events = routes.slice(i, i + size).map((r) => {
      const price = r.falls ? BASE_PRICE * 0.8 : BASE_PRICE;
      const payload = { trackedRouteId: r.id, userId: r.user_id, observedAt: at, priceMinor: price, previousPriceMinor: BASE_PRICE, firstPriceMinor: BASE_PRICE, currency: "GBP", departureDate: r.departure_date, returnDate: null, itineraryKey: null, provider: "skyway", simulated: true };
      return sql`(${TRACKED_ROUTE_OBSERVED}, ${`${r.id}@${at}`}, ${JSON.stringify(payload)}::jsonb, clock_timestamp())`;
    });
    await ctx.db.execute(sql`INSERT INTO event_outbox (topic, key, payload, created_at) VALUES ${sql.join(events, sql`, `)}`);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 100 - (Date.now() - started))));
  }
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return `p50 ${seconds(percentile(sorted, 0.5))}, p95 ${seconds(percentile(sorted, 0.95))}, max ${seconds(sorted.at(-1) ?? NaN)} (${values.length})`;
};

async function measure(label: string, database: Database): Promise<void> {
  console.log(`\n${label}`);
  await migrate(database);
  await loadReferenceData(database.db, await buildReferenceData());
  const ctx = createAppContext({ config: config(configFromEnv()), database, reference: await loadReference(database.db) });
  const received = new Map<string, number>();
  const receiver = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      const id = (JSON.parse(body) as { data: { notificationId: string } }).data.notificationId;
      if (!received.has(id)) received.set(id, Date.now());
      response.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  try {
    await setUp(ctx, `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/bench`);
    const runtime = await startJobs(ctx, { pollingIntervalSeconds: 0.5 });
    const started = Date.now();
    try {
      await land(ctx);
      const deadline = Date.now() + 120_000;
      while (received.size < TRIGGERED && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      await runtime.stop(5_000);
    }
    const rows = await queryRows<{ id: string; landed: string | Date; written: string | Date }>(
      ctx.db,
      sql`SELECT n.id, e.created_at AS landed, n.created_at AS written FROM notification n
          JOIN event_outbox e ON e.topic = ${TRACKED_ROUTE_OBSERVED} AND e.key = n.tracked_route_id::text || '@' || to_char(n.observed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
    );
    const inApp = rows.map((r) => new Date(r.written).getTime() - new Date(r.landed).getTime());
    const webhook = rows.flatMap((r) => (received.has(r.id) ? [received.get(r.id)! - new Date(r.landed).getTime()] : []));
    console.log(`  checks landed: ${USERS * ROUTES_PER_USER} over ${BATCHES} transactions; alerts written: ${rows.length} (of ${TRIGGERED} expected)`);
    console.log(`  check -> in-app notification: ${summary(inApp)}`);
    console.log(`  check -> webhook received:    ${summary(webhook)}`);
    console.log(`  all ${TRIGGERED} webhooks in: ${seconds(Date.now() - started)} from the first check`);
  } finally {
    await new Promise((resolve) => receiver.close(resolve));
  }
}

await onEachEngine("ft_bench_alerts", measure);
