#!/usr/bin/env node
/**
 * `npm test`: the whole suite, then one summary line "N passed, N failed".
 *  0. A TimescaleDB server for the third engine: TEST_TIMESCALE_URL, or the one on
 *     127.0.0.1:5433, or else one started with ../shared/timescaledb/start-server.sh (and
 *     stopped at the end).
 *  1. Vitest: unit and integration tests, every data test on the embedded engine, the
 *     PostgreSQL server at TEST_DATABASE_URL and the TimescaleDB server (each skipped with a
 *     notice when unreachable, unless CI).
 *  2. The production build, then Playwright end-to-end tests in Chromium (CHROMIUM_PATH,
 *     default /usr/bin/chromium; skipped with a notice when absent, unless CI).
 *  3. On the same build, the multi-instance smoke test (scripts/smoke-multi.ts): two web
 *     instances and two workers sharing the TimescaleDB server and Redis, a count per check
 *     (skipped with a notice when Redis or TimescaleDB is missing, unless CI).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { DEFAULT_TIMESCALE_URL, ensureTimescaleServer } from "./timescale-server.mjs";

const root = path.resolve(import.meta.dirname, "..");
const out = path.join(root, ".test-output");
fs.mkdirSync(out, { recursive: true });
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
const inCi = Boolean(process.env.CI);
const bin = (name) => path.join(root, "node_modules", ".bin", name);
const run = (command, args) => spawnSync(command, args, { cwd: root, env, stdio: "inherit" }).status ?? 1;
const readJson = (file) => {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return null;
  }
};

let passed = 0;
let failed = 0;
let skipped = 0;

// 0. TimescaleDB
const timescale = await ensureTimescaleServer(env, root);
if (timescale.problem) console.warn(`[test] ${timescale.problem}; its tests are skipped (or fail, in CI)`);
env.TEST_TIMESCALE_URL = timescale.url ?? DEFAULT_TIMESCALE_URL;
const stopTimescale = timescale.stop;

// 1. Vitest
const unitReport = path.join(out, "unit.json");
fs.rmSync(unitReport, { force: true });
const unitStatus = run(bin("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${unitReport}`]);
const unit = readJson(unitReport);
if (unit) {
  passed += unit.numPassedTests;
  failed += unit.numFailedTests;
  skipped += unit.numPendingTests + (unit.numTodoTests ?? 0);
  // A suite that fails to load counts its file as a failure even with no test results.
  if (unitStatus !== 0 && unit.numFailedTests === 0) failed += Math.max(1, unit.numFailedTestSuites);
} else {
  failed += 1;
}

// 2. Build, then Playwright. The build must not open the database: a page rendered at build
// time that reads it would hold the embedded database's lock while `npm run app` starts the
// server (and on a server, need it reachable from the build machine). Counted as one failure.
function build() {
  const probe = path.join(out, "build-database-probe");
  fs.rmSync(probe, { recursive: true, force: true });
  const status = spawnSync(bin("next"), ["build"], { cwd: root, env: { ...env, EMBEDDED_DATABASE_DIR: probe }, stdio: "inherit" }).status ?? 1;
  if (status !== 0) return false;
  if (fs.existsSync(probe)) {
    console.error("[test] The build opened the embedded database: a page or route renders at build time and reads it (give it `await connection()`).");
    failed += 1;
    fs.rmSync(probe, { recursive: true, force: true });
  }
  return true;
}

const chromium = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
if (!fs.existsSync(chromium) && !inCi) {
  console.warn(`\n[test] End-to-end tests skipped: no Chromium at ${chromium} (install Debian's chromium package or set CHROMIUM_PATH).`);
} else if (!build()) {
  console.error("[test] The production build failed; end-to-end tests not run.");
  failed += 1;
} else {
  const e2eReport = path.join(out, "e2e.json");
  fs.rmSync(e2eReport, { force: true });
  const e2eStatus = run(bin("playwright"), ["test"]);
  const e2e = readJson(e2eReport);
  if (e2e?.stats) {
    passed += e2e.stats.expected + e2e.stats.flaky;
    failed += e2e.stats.unexpected;
    skipped += e2e.stats.skipped;
    if (e2eStatus !== 0 && e2e.stats.unexpected === 0) failed += 1;
  } else {
    failed += 1;
  }

  // 3. The multi-instance smoke test, on the build Playwright used.
  const smokeReport = path.join(out, "smoke-multi.json");
  fs.rmSync(smokeReport, { force: true });
  const smokeStatus = run(bin("tsx"), ["scripts/smoke-multi.ts", "--skip-unavailable"]);
  const smoke = readJson(smokeReport);
  if (smoke?.skipped) {
    skipped += 1;
  } else if (smoke) {
    passed += smoke.passed;
    failed += smoke.failed;
    if (smokeStatus !== 0 && smoke.failed === 0) failed += 1;
  } else {
    failed += 1;
  }
}

stopTimescale();
if (skipped > 0) console.log(`(${skipped} skipped)`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
