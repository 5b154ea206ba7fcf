/**
 * The job queue's faults, with real processes: `npm run worker` (node + tsx, scripts/worker.ts)
 * on the PostgreSQL server, SIGKILLed in the middle of a job, stopped with SIGTERM, and cut off
 * from its database for a while (through a TCP proxy on loopback that the test closes and
 * reopens); and the embedded engine closed and reopened with a job pending.
 */
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openEmbedded, queryRows, type Database } from "@/db/client";
import { migrate } from "@/db/migrate";
import { TRACKED_ROUTE_OBSERVED } from "@/db/queries/tracked-state";
import { loadReference } from "@/db/queries/reference";
import { ensureUser } from "@/db/queries/users";
import { loadReferenceData } from "@/db/seed/reference";
import { eventOutbox, ingestionRun, trackedRouteQuery } from "@/db/schema";
import type { AppContext } from "@/server/context";
import { addDays } from "@/server/core/time";
import { trackRoute } from "@/server/services/tracking/tracked-routes";
import { testAppContext } from "@/test/app-context";
import { until } from "@/test/wait";
import { startWorker, type WorkerProcess as Worker } from "@/test/worker-process";
import { createTestDatabase, sharedReferenceData, skipEngine, type TestDatabase } from "@/test/engines";
import { createBoss, prepareQueues, QUEUES } from "./queue";
import { startJobs } from "./runtime";
import { scheduleDue } from "./schedule";

const today = new Date().toISOString().slice(0, 10);
let sequence = 0;

/** A TCP proxy on loopback to the database server that the test can cut and restore. */
async function databaseProxy(target: { host: string; port: number }) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | null = null;
  let port = 0;
  const open = () =>
    new Promise<void>((resolve) => {
      server = net.createServer((client) => {
        const upstream = net.connect(target.port, target.host);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on("close", () => sockets.delete(s));
          s.on("error", () => s.destroy());
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, "127.0.0.1", () => {
        port = (server!.address() as net.AddressInfo).port;
        resolve();
      });
    });
  await open();
  return {
    port: () => port,
    async cut() {
      await new Promise<void>((resolve) => {
        server!.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
    restore: open,
  };
}

describe.skipIf(skipEngine("server"))("job faults with real worker processes [server]", () => {
  let database: TestDatabase;
  let ctx: AppContext;
  const workers: Worker[] = [];

  beforeAll(async () => {
    database = await createTestDatabase("server");
    await migrate(database);
    await loadReferenceData(database.db, await sharedReferenceData());
    ctx = testAppContext(database, await loadReference(database.db));
  }, 120_000);

  afterAll(async () => {
    for (const worker of workers) if (worker.process.exitCode === null) worker.process.kill("SIGKILL");
    await database?.close();
  });

  const worker = (env: Record<string, string> = {}) => {
    const started = startWorker({ DATABASE_URL: database.url!, ...env });
    workers.push(started);
    return started;
  };

  async function trackedQuery(originCode: string, destinationCode: string, days: number) {
    const user = await ensureUser(ctx.db, `faults-${Date.now()}-${sequence++}@example.test`);
    const route = await trackRoute(ctx, user.id, { kind: "exact", originCode, destinationCode, departureDate: addDays(today, days), cabin: "economy", adults: 1, children: 0, infants: 0 });
    const [link] = await ctx.db.select().from(trackedRouteQuery).where(eq(trackedRouteQuery.trackedRouteId, route.id));
    return { routeId: route.id, queryId: link!.queryId };
  }
  const runsOf = (queryId: number) => ctx.db.select().from(ingestionRun).where(eq(ingestionRun.queryId, queryId)).orderBy(ingestionRun.attempt);
  const observationsOf = async (queryId: number) =>
    (await queryRows<{ n: number }>(ctx.db, sql`SELECT count(DISTINCT observed_at)::int AS n FROM price_snapshot WHERE query_id = ${queryId}`))[0]!.n;

  it("a worker SIGKILLed in the middle of a job: another takes it after its expiry, and nothing is written twice or lost", async () => {
    const { routeId, queryId } = await trackedQuery("LHR", "BOS", 40);
    // Providers that take 6 s: the job is certainly in hand when the worker is killed.
    const doomed = worker({ SIMULATED_LATENCY_MS: "6000" });
    await until("the first attempt to start", async () => (await runsOf(queryId)).some((r) => r.status === "running"), 60_000);
    doomed.process.kill("SIGKILL");
    expect(await doomed.exited).toBeNull();
    expect(await observationsOf(queryId)).toBe(0);

    const rescuer = worker({ SIMULATED_LATENCY_MS: "0" });
    const runs = await until("the retry to succeed", async () => {
      const rows = await runsOf(queryId);
      return rows.some((r) => r.status === "succeeded") ? rows : null;
    }, 45_000);
    expect(runs.map((r) => [r.attempt, r.status])).toEqual([
      [1, "failed"],
      [2, "succeeded"],
    ]);
    expect(runs[0]!.error).toMatch(/worker stopped before the run finished/);
    expect(runs[1]!.jobId).toBe(runs[0]!.jobId);
    expect(await observationsOf(queryId)).toBe(1);
    const events = (await ctx.db.select().from(eventOutbox).where(eq(eventOutbox.topic, TRACKED_ROUTE_OBSERVED))).filter((e) => e.payload.trackedRouteId === routeId);
    expect(events).toHaveLength(1);

    rescuer.process.kill("SIGTERM");
    expect(await rescuer.exited).toBe(0);
  }, 120_000);

  it("SIGTERM: the worker finishes the job in hand, then exits cleanly; the job is not run again", async () => {
    const { queryId } = await trackedQuery("MAN", "AMS", 30);
    const graceful = worker({ SIMULATED_LATENCY_MS: "3000" });
    await until("the job to start", async () => (await runsOf(queryId)).some((r) => r.status === "running"), 60_000);
    graceful.process.kill("SIGTERM");
    expect(await graceful.exited).toBe(0);
    expect((await runsOf(queryId)).map((r) => [r.attempt, r.status])).toEqual([[1, "succeeded"]]);
    expect(graceful.output.join("")).toMatch(/worker stopped/);
    const [job] = await queryRows<{ state: string }>(ctx.db, sql`SELECT state FROM pgboss.job WHERE name = ${QUEUES.ingest} AND data->>'queryId' = ${String(queryId)}`);
    expect(job?.state ?? "completed").toBe("completed");
  }, 120_000);

  it("the database unreachable for a while: the worker keeps running, reconnects and resumes", async () => {
    const url = new URL(database.url!);
    const proxy = await databaseProxy({ host: url.hostname, port: Number(url.port || 5432) });
    const viaProxy = new URL(database.url!);
    viaProxy.hostname = "127.0.0.1";
    viaProxy.port = String(proxy.port());
    const survivor = worker({ DATABASE_URL: viaProxy.toString(), SIMULATED_LATENCY_MS: "0", DATABASE_CONNECT_TIMEOUT: "2" });
    const before = await trackedQuery("CDG", "FCO", 20);
    await until("a run before the outage", async () => (await runsOf(before.queryId)).some((r) => r.status === "succeeded"), 60_000);

    await proxy.cut();
    const during = await trackedQuery("CDG", "VCE", 21);
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    expect(survivor.process.exitCode).toBeNull();
    expect(await runsOf(during.queryId)).toEqual([]);

    await proxy.restore();
    await until("a run after the database came back", async () => (await runsOf(during.queryId)).some((r) => r.status === "succeeded"), 60_000);
    expect(survivor.output.join("")).toMatch(/job queue error|ECONNRESET|ECONNREFUSED|terminated/i);
    survivor.process.kill("SIGTERM");
    expect(await survivor.exited).toBe(0);
    await proxy.cut();
  }, 150_000);
});

describe("the embedded engine restarting", () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ft-jobs-"));
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it("keeps its schedules and pending jobs: the job handed over before the restart runs after it", async () => {
    let database: Database = await openEmbedded({ dataDir });
    await migrate(database);
    await loadReferenceData(database.db, await sharedReferenceData());
    let ctx = testAppContext(database, await loadReference(database.db));
    const user = await ensureUser(ctx.db, "restart@example.test");
    const route = await trackRoute(ctx, user.id, { kind: "exact", originCode: "BER", destinationCode: "PRG", departureDate: addDays(today, 15), cabin: "economy", adults: 1, children: 0, infants: 0 });
    const boss = createBoss(database, ctx.config);
    await boss.start();
    await prepareQueues(boss, ctx.config);
    await boss.schedule(QUEUES.retention, "17 3 * * *");
    expect((await scheduleDue(ctx, boss)).enqueued).toBe(1);
    const [pending] = await queryRows<{ id: string }>(ctx.db, sql`SELECT id FROM pgboss.job WHERE name = ${QUEUES.ingest} AND state = 'created'`);
    expect(pending).toBeDefined();
    await boss.stop({ graceful: false, wait: true });
    await database.close();

    database = await openEmbedded({ dataDir });
    ctx = testAppContext(database, await loadReference(database.db));
    const runtime = await startJobs(ctx, { concurrency: 1, pollingIntervalSeconds: 0.5 });
    try {
      expect((await runtime.boss.getSchedules()).map((s) => s.name)).toContain(QUEUES.retention);
      const [run] = await until("the pending job to run", async () => {
        const rows = await ctx.db.select().from(ingestionRun).where(and(eq(ingestionRun.jobId, pending!.id), eq(ingestionRun.status, "succeeded")));
        return rows.length ? rows : null;
      }, 45_000);
      expect(run!.attempt).toBe(1);
      const [link] = await ctx.db.select().from(trackedRouteQuery).where(eq(trackedRouteQuery.trackedRouteId, route.id));
      expect(run!.queryId).toBe(link!.queryId);
    } finally {
      await runtime.stop(2_000);
      await database.close();
    }
  }, 120_000);
});
