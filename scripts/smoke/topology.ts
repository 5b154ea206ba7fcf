import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { ParsedMail } from "mailparser";
import { startUpstashBridge, type UpstashBridge } from "@/test/upstash-bridge";
import { createFreshDatabase } from "../fresh-database.mjs";
import { startMailServer } from "../mail-server.mjs";
import { Instance } from "./client";
import { freePort, startProcess, waitFor, type Managed } from "./processes";

/**
 * The deployment's topology on loopback, without Docker: one fresh database on the TimescaleDB
 * server, migrated once (the compose file's one-shot migration), Redis behind the
 * Upstash-compatible bridge, an SMTP catcher, two `next start` web instances that only serve
 * (WORKER_MODE=worker) and two `npm run worker` processes, all sharing the database and Redis.
 *
 * The web instances share one bridge, as they would share the REST proxy. Each worker has a
 * bridge of its own in front of the same Redis: the commands it sends are how the smoke test
 * tells which worker ran which job (a job ends by caching its prices), with no change to the app.
 */

/** Settings the app reads that must not leak in from the caller's environment (a Duffel token, a tracing endpoint...). */
const APP_SETTING = /^(DATABASE_|EMBEDDED_DATABASE_DIR$|UPSTASH_|EMAIL_|AUTH_|ADMIN_EMAILS$|PROVIDERS$|PROVIDER_|DUFFEL_|SIMULATED_|RATE_LIMIT_|INGEST_|WORKER_|ALERTS_|SEARCH_|DEMO_|SNAPSHOT_|TRACKED_|CSV_|BENCH_|TRUSTED_PROXIES$|PORT$|LOG_LEVEL$|OTEL_|METRICS_|NODE_ENV$)/;

/** Anonymous searches per minute per client address on the web instances (the shared-limit check uses it up). */
export const ANONYMOUS_SEARCHES_PER_MINUTE = 6;

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

export interface Topology {
  webA: Instance;
  webB: Instance;
  /** The admin the sign-in check signs in as (in ADMIN_EMAILS). */
  adminEmail: string;
  mail: Mail[];
  /** Every command each worker sent to Redis, by worker name. */
  workerCommands: Record<"worker 1" | "worker 2", string[][]>;
  /** Each worker's own metrics endpoint (WORKER_METRICS_PORT). */
  workerMetrics: Record<"worker 1" | "worker 2", string>;
  /** Resolves when both workers have started or failed to: the problems, none when both run. */
  workersStarted: Promise<string[]>;
  processes: Managed[];
  databaseName: string;
}

export interface Teardown {
  /** Runs every cleanup registered so far, newest first; each failure is reported, none stops the rest. */
  run(): Promise<string[]>;
}

/**
 * Starts it all; every resource is registered with `cleanups` as soon as it exists, so a failure
 * half-way (or Ctrl-C) still takes down what was started.
 */
export async function startTopology(options: { root: string; timescaleUrl: string; logDir: string; deadline: number; cleanups: (() => Promise<void>)[] }): Promise<Topology> {
  const { root, logDir, deadline, cleanups } = options;
  fs.mkdirSync(logDir, { recursive: true });
  const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => !APP_SETTING.test(key))) as NodeJS.ProcessEnv;
  base.NEXT_TELEMETRY_DISABLED = "1";

  const database = await createFreshDatabase(options.timescaleUrl, "ft_smoke");
  cleanups.push(() => database.drop());

  // The migration, once, before anything starts (the instances do not migrate on start).
  const migrate = startProcess("migration", process.execPath, ["--import", "tsx", "scripts/seed.ts"], {
    cwd: root,
    env: { ...base, DATABASE_URL: database.url, NODE_ENV: "production" },
    logFile: path.join(logDir, "migration.log"),
  });
  cleanups.push(() => migrate.stop());
  const migrated = await Promise.race([migrate.exited, new Promise<"late">((resolve) => setTimeout(() => resolve("late"), Math.max(0, deadline - Date.now())))]);
  if (migrated !== 0) throw new Error(`the migration ${migrated === "late" ? "did not finish in time" : `failed (exit ${migrated})`}: ${migrate.logFile}`);

  const mail: Mail[] = [];
  const mailServer = await startMailServer((message: ParsedMail) => mail.push({ to: message.to && "text" in message.to ? message.to.text : "", subject: message.subject ?? "", text: message.text ?? "" }));
  cleanups.push(() => mailServer.close());

  // Keys this run wrote are removed at the end, so that a second run soon after starts cold.
  const written = new Set<string>();
  const recordWrites = (command: string[]) => {
    if (command[0]?.toUpperCase() === "SET" && command[1]) written.add(command[1]);
  };
  const bridges: UpstashBridge[] = [];
  cleanups.push(async () => {
    if (written.size > 0 && bridges[0]) await bridges[0].redis.del(...written);
    await Promise.all(bridges.map((bridge) => bridge.close()));
  });
  const workerCommands: Topology["workerCommands"] = { "worker 1": [], "worker 2": [] };
  const workerMetrics: Topology["workerMetrics"] = { "worker 1": "", "worker 2": "" };
  bridges.push(await startUpstashBridge({ onCommand: recordWrites }));
  for (const name of ["worker 1", "worker 2"] as const) {
    bridges.push(
      await startUpstashBridge({
        onCommand: (command) => {
          recordWrites(command);
          workerCommands[name].push(command);
        },
      }),
    );
  }
  const [webBridge, ...workerBridges] = bridges as [UpstashBridge, UpstashBridge, UpstashBridge];

  const adminEmail = `smoke-admin-${crypto.randomBytes(4).toString("hex")}@smoke.test`;
  const shared: NodeJS.ProcessEnv = {
    ...base,
    DATABASE_URL: database.url,
    DATABASE_MIGRATE_ON_START: "false",
    // The web instances only serve and enqueue; the jobs run in the workers (the server default, said out loud).
    WORKER_MODE: "worker",
    PROVIDERS: "simulated",
    LOG_LEVEL: "info",
    EMAIL_SERVER: mailServer.url,
    EMAIL_FROM: "Flight Tracker <smoke@smoke.test>",
  };
  const processes: Managed[] = [];
  cleanups.push(async () => {
    await Promise.all(processes.map((p) => p.stop()));
  });

  const webs: Instance[] = [];
  for (const name of ["web A", "web B"]) {
    const port = await freePort();
    const web = startProcess(name, process.execPath, [path.join(root, "node_modules", "next", "dist", "bin", "next"), "start", "-p", String(port), "-H", "127.0.0.1"], {
      cwd: root,
      env: {
        ...shared,
        PORT: String(port),
        UPSTASH_REDIS_REST_URL: webBridge.url,
        UPSTASH_REDIS_REST_TOKEN: webBridge.token,
        // AUTH_SECRET unset on purpose: the instances must agree on the one generated in the database.
        ADMIN_EMAILS: adminEmail,
        // As behind the compose file's nginx: the client's address is the one it adds.
        TRUSTED_PROXIES: "1",
        RATE_LIMIT_SEARCH_PER_MINUTE: String(ANONYMOUS_SEARCHES_PER_MINUTE),
        SIMULATED_LATENCY_MS: "50-300",
      },
      logFile: path.join(logDir, `${name.replace(" ", "-")}.log`),
    });
    processes.push(web);
    webs.push(new Instance(name, `http://127.0.0.1:${port}`));
  }
  for (const [i, bridge] of workerBridges.entries()) {
    const name = (["worker 1", "worker 2"] as const)[i]!;
    const metricsPort = await freePort();
    processes.push(
      startProcess(name, process.execPath, ["--import", "tsx", "scripts/worker.ts"], {
        cwd: root,
        env: {
          ...shared,
          NODE_ENV: "production",
          UPSTASH_REDIS_REST_URL: bridge.url,
          UPSTASH_REDIS_REST_TOKEN: bridge.token,
          WORKER_CONCURRENCY: "2",
          // Stopped at the end with jobs perhaps in hand: a short wait for them, not the default 30 s.
          WORKER_STOP_TIMEOUT_MS: "5000",
          // Jobs that take a moment, so that one worker cannot drain the queue between the other's polls.
          SIMULATED_LATENCY_MS: "400-900",
          // Each its own metrics port (the default one is taken by the first), on loopback only.
          WORKER_METRICS_HOST: "127.0.0.1",
          WORKER_METRICS_PORT: String(metricsPort),
        },
        logFile: path.join(logDir, `${name.replace(" ", "-")}.log`),
      }),
    );
    workerMetrics[name] = `http://127.0.0.1:${metricsPort}/metrics`;
  }

  const [webA, webB] = webs as [Instance, Instance];
  // Workers that fail to start are their own check: the web instances' checks still run.
  const workersStarted = Promise.allSettled(
    processes.slice(2).map((worker) => waitFor(`${worker.name} started`, async () => (/"msg":"worker started"/.test(worker.output()) ? true : null), { deadline, everyMs: 250, process: worker })),
  ).then((outcomes) => outcomes.flatMap((o) => (o.status === "rejected" ? [o.reason instanceof Error ? o.reason.message : String(o.reason)] : [])));
  // The readiness probe a load balancer uses (/api/health on a build that predates it).
  const ready = async (web: Instance) => {
    const probe = await web.call("/api/health/ready");
    await probe.body?.cancel();
    if (probe.status !== 404) return probe.status === 200 ? true : null;
    const health = await web.call("/api/health");
    await health.body?.cancel();
    return health.status === 200 ? true : null;
  };
  await Promise.all(webs.map((web, i) => waitFor(`${web.name} ready (/api/health/ready)`, () => ready(web), { deadline, everyMs: 500, process: processes[i] })));
  return { webA, webB, adminEmail, mail, workerCommands, workerMetrics, workersStarted, processes, databaseName: database.name };
}
