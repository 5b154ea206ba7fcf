/**
 * `npm run smoke:multi`: the deployment's topology on this machine, without Docker, and a smoke
 * test across it. Two `next start` web instances and two `npm run worker` processes share one
 * fresh database on the TimescaleDB server and one Redis (through the Upstash-compatible bridge);
 * the checks (scripts/smoke/checks.ts) prove that what one instance does the others see. Prints
 * a line per check and "N passed, N failed", writes .test-output/smoke-multi.json, exits 1 on
 * any failure. Everything it started is stopped and the database dropped, whatever happens
 * (Ctrl-C included), within an overall deadline. Loopback only.
 *
 * Needs the production build (`npx next build`, or pass --build), Redis (TEST_REDIS_URL, default
 * 127.0.0.1:6379) and the TimescaleDB server (TEST_TIMESCALE_URL, else 127.0.0.1:5433, else
 * started with ../shared/timescaledb/start-server.sh).
 * Options: --build (build first), --skip-unavailable (no Redis or TimescaleDB: report the run as
 * skipped and exit 0; `npm test` passes it outside CI).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { redisUnavailable, TEST_REDIS_URL } from "@/test/upstash-bridge";
import { smokeChecks } from "./smoke/checks";
import { startTopology } from "./smoke/topology";
import { serverReachable } from "./fresh-database.mjs";
import { ensureTimescaleServer } from "./timescale-server.mjs";

const root = path.resolve(import.meta.dirname, "..");
const out = path.join(root, ".test-output");
const reportFile = path.join(out, "smoke-multi.json");
const logDir = path.join(out, "smoke-multi");
const DEADLINE_MS = 5 * 60_000;
const args = new Set(process.argv.slice(2));

interface Result {
  name: string;
  ok: boolean;
  detail: string;
  ms: number;
}
const results: Result[] = [];
const cleanups: (() => Promise<void>)[] = [];

function report(extra: Record<string, unknown> = {}) {
  fs.mkdirSync(out, { recursive: true });
  const passed = results.filter((r) => r.ok).length;
  fs.writeFileSync(reportFile, `${JSON.stringify({ passed, failed: results.length - passed, checks: results, ...extra }, null, 2)}\n`);
  return { passed, failed: results.length - passed };
}

function record(name: string, started: number, error?: unknown, detail = "") {
  if (stopped) return;
  const ok = error === undefined;
  const why = error instanceof Error ? error.message : String(error);
  results.push({ name, ok, detail: ok ? detail : why, ms: Date.now() - started });
  console.log(`${ok ? "ok  " : "FAIL"} ${name}${ok ? (detail ? `\n       ${detail}` : "") : `\n       ${why}`}`);
}

/**
 * Newest first; one failing cleanup does not stop the others. Callers at the same time share one
 * run (Ctrl-C during the last checks' own teardown must not exit before it is done).
 */
let tearingDown: Promise<void> | null = null;
function teardown(): Promise<void> {
  tearingDown ??= (async () => {
    for (let cleanup = cleanups.pop(); cleanup; cleanup = cleanups.pop()) {
      await cleanup().catch((error: unknown) => console.error(`[smoke] cleanup failed: ${error instanceof Error ? error.message : String(error)}`));
    }
  })().finally(() => (tearingDown = null));
  return tearingDown;
}

/** Set by Ctrl-C or the deadline: the checks still running are not reported, as their failures would only be the stop's. */
let stopped = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    stopped = true;
    console.error(`\n[smoke] ${signal}: stopping everything`);
    void teardown().then(() => {
      report({ interrupted: signal });
      process.exit(130);
    });
  });
}

/** A prerequisite that is missing: a failure, reported as one check. */
function fail(problem: string): never {
  console.error(`[smoke] ${problem}`);
  results.push({ name: "prerequisites", ok: false, detail: problem, ms: 0 });
  report();
  console.log("0 passed, 1 failed");
  process.exit(1);
}

/** Redis or TimescaleDB missing: with --skip-unavailable (and not in CI) the run is skipped, else it fails. */
function skipOrFail(problem: string): never {
  if (!args.has("--skip-unavailable") || process.env.CI) fail(problem);
  console.warn(`[smoke] skipped: ${problem}`);
  report({ skipped: problem });
  process.exit(0);
}

if (args.has("--build")) {
  const built = spawnSync(path.join(root, "node_modules", ".bin", "next"), ["build"], { cwd: root, env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" }, stdio: "inherit" });
  if (built.status !== 0) fail("the production build failed");
}
if (!fs.existsSync(path.join(root, ".next", "BUILD_ID"))) {
  console.error("[smoke] no production build: run `npx next build` first, or `npm run smoke:multi -- --build`.");
  process.exit(2);
}
const redisProblem = await redisUnavailable();
if (redisProblem) skipOrFail(`no Redis at ${TEST_REDIS_URL} (${redisProblem}); set TEST_REDIS_URL`);
const timescale = await ensureTimescaleServer(process.env, root);
cleanups.push(async () => timescale.stop());
if (!timescale.url || !(await serverReachable(timescale.url))) {
  await teardown();
  skipOrFail(timescale.problem ?? `no TimescaleDB server answers at ${timescale.url}`);
}

const deadline = Date.now() + DEADLINE_MS;
const overall = setTimeout(() => {
  console.error(`[smoke] the overall deadline (${DEADLINE_MS / 1000} s) passed: stopping everything`);
  record("finished within the deadline", deadline - DEADLINE_MS, new Error(`still running after ${DEADLINE_MS / 1000} s`));
  stopped = true;
  void teardown().then(() => {
    const { passed, failed } = report();
    console.log(`${passed} passed, ${failed} failed`);
    process.exit(1);
  });
}, DEADLINE_MS);
overall.unref();

console.log(`[smoke] two web instances and two workers on ${timescale.url.replace(/\/[^/]*$/, "/<fresh database>")} and Redis at ${TEST_REDIS_URL}; logs in ${path.relative(root, logDir)}/`);
let started = Date.now();
try {
  const topology = await startTopology({ root, timescaleUrl: timescale.url, logDir, deadline, cleanups });
  record("topology: two web instances (WORKER_MODE=worker) ready on one fresh database and one Redis", started, undefined, `web A ${topology.webA.origin}, web B ${topology.webB.origin}, database ${topology.databaseName}`);
  const workerProblems = await topology.workersStarted;
  const exitedAtStart = new Set(topology.processes.filter((p) => p.child.exitCode !== null || p.child.signalCode !== null));
  record("workers: two `npm run worker` processes started together on the fresh database both run", started, workerProblems.length ? new Error(workerProblems.join("; ")) : undefined);
  for (const check of smokeChecks(topology, deadline)) {
    if (stopped) break;
    started = Date.now();
    try {
      record(check.name, started, undefined, await check.run());
    } catch (error) {
      record(check.name, started, error);
    }
  }
  const crashed = topology.processes.filter((p) => (p.child.exitCode !== null || p.child.signalCode !== null) && !exitedAtStart.has(p));
  started = Date.now();
  record("no process exited during the checks", started, crashed.length ? new Error(crashed.map((p) => `${p.name} (${p.logFile})`).join(", ")) : undefined);
} catch (error) {
  record("topology: two web instances (WORKER_MODE=worker) ready on one fresh database and one Redis", started, error);
} finally {
  clearTimeout(overall);
  await teardown();
}
// Ctrl-C or the deadline: their handler reports and exits.
if (stopped) await new Promise(() => {});
const { passed, failed } = report();
if (failed > 0) console.log(`[smoke] logs of every process: ${path.relative(root, logDir)}/`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
