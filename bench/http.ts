/**
 * `npm run bench:http`: the production server on loopback under load (autocannon), in one run:
 *  (a) a bare baseline route answering a fixed JSON as large as a search answer,
 *  (b) cached searches (one search, warmed),
 *  (c) uncached searches (a new canonical query every request; simulated providers with no
 *      injected latency; every answer recorded as price snapshots),
 * each at 20 and 64 connections: requests/s, p50/p95/p99 latency, errors, and the ratio to (a).
 * The scenarios alternate (a, b, c, a, b, c, ...) over --rounds rounds, so that a slow minute of
 * the machine falls on all of them alike; req/s is the median round's, latencies are pooled.
 * The embedded engine is used unless --database=server (BENCH_DATABASE_URL / TEST_DATABASE_URL).
 * Options: --seconds=N per round (default 5), --rounds=N (default 3), --skip-build,
 * --only=a,b,c (scenarios; the ratio column needs a), --connections=20,64.
 */
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { createFreshDatabase } from "@/scripts/fresh-database.mjs";
import { buildUnlessSkipped, day, parseArgs, root, startServer, uniqueSearches, waitFor } from "./support";

const uniqueSearch = uniqueSearches();

const args = parseArgs();
const SECONDS = Number(args.seconds ?? 5);
const ROUNDS = Number(args.rounds ?? 3);
const PORT = 3210;
const BASE = `http://127.0.0.1:${PORT}`;

const CACHED = `/api/v1/flights/search?originCode=LHR&destinationCode=JFK&departureDate=${day(30)}`;

interface Figures {
  scenario: string;
  connections: number;
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  non2xx: number;
}

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
}

interface Round {
  rps: number;
  requests: number;
  latencies: number[];
  errors: number;
  non2xx: number;
}

async function round(connections: number, pathFor: () => string): Promise<Round> {
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: BASE,
        connections,
        duration: SECONDS,
        requests: [{ method: "GET", setupRequest: (request) => ({ ...request, path: pathFor() }) }],
      },
      (error, res) => (error ? reject(error) : resolve(res)),
    );
    instance.on("response", (_client: unknown, _status: number, _bytes: number, responseTime: number) => latencies.push(responseTime));
  });
  return { rps: result.requests.average, requests: result.requests.total, latencies, errors: result.errors + result.timeouts, non2xx: result.non2xx };
}

function combine(scenario: string, connections: number, rounds: Round[]): Figures {
  const latencies = rounds.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const rates = rounds.map((r) => r.rps).sort((a, b) => a - b);
  const sum = (pick: (r: Round) => number) => rounds.reduce((total, r) => total + pick(r), 0);
  return {
    scenario,
    connections,
    requests: sum((r) => r.requests),
    rps: rates[Math.floor(rates.length / 2)]!,
    p50: percentile(latencies, 0.5),
    p95: percentile(latencies, 0.95),
    p99: percentile(latencies, 0.99),
    errors: sum((r) => r.errors),
    non2xx: sum((r) => r.non2xx),
  };
}

async function main() {
  buildUnlessSkipped(args);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: "1",
    BENCH_ROUTES: "true",
    SIMULATED_LATENCY_MS: "0",
    RATE_LIMIT_SEARCH_PER_MINUTE: "0",
    DEMO_HISTORY_ON_START: "false",
    LOG_LEVEL: "warn",
  };
  let cleanup = async () => {};
  let engine = "embedded (PGlite + TimescaleDB)";
  if (args.database === "server") {
    const serverUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";
    const fresh = await createFreshDatabase(serverUrl, "ft_benchhttp");
    env.DATABASE_URL = fresh.url;
    env.DATABASE_MIGRATE_ON_START = "true";
    engine = "PostgreSQL server";
    cleanup = fresh.drop;
  } else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ft-benchhttp-"));
    env.EMBEDDED_DATABASE_DIR = path.join(dir, "pglite");
    cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
  }

  const server: ChildProcess = startServer(PORT, env);
  try {
    await waitFor(`${BASE}/api/health`);
    // Warm: the cached search, the route code, and measure the size of a search answer.
    const warm = await fetch(`${BASE}${CACHED}`);
    const answer = await warm.text();
    if (!warm.ok) throw new Error(`search failed: ${warm.status} ${answer.slice(0, 200)}`);
    for (let i = 0; i < 20; i++) await fetch(`${BASE}${uniqueSearch()}`);
    const BASELINE = `/api/bench/baseline?bytes=${answer.length}`;
    await fetch(`${BASE}${BASELINE}`);
    console.log(`search answer: ${answer.length} bytes; ${ROUNDS} rounds of ${SECONDS} s per scenario; engine: ${engine}`);

    const only = (args.only ?? "a,b,c").split(",");
    const scenarios = (
      [
        ["(a) baseline route", () => BASELINE],
        ["(b) cached search", () => CACHED],
        ["(c) uncached search", uniqueSearch],
      ] as [string, () => string][]
    ).filter(([name]) => only.includes(name[1]!));
    const figures: Figures[] = [];
    for (const connections of (args.connections ?? "20,64").split(",").map(Number)) {
      const rounds = scenarios.map((): Round[] => []);
      for (let r = 0; r < ROUNDS; r++) {
        for (const [i, [, pathFor]] of scenarios.entries()) rounds[i]!.push(await round(connections, pathFor));
      }
      scenarios.forEach(([name], i) => figures.push(combine(name, connections, rounds[i]!)));
    }
    console.log(`\nHTTP benchmark (${os.cpus().length} cores, Node ${process.version}, ${engine})`);
    console.log("| scenario | connections | requests | req/s | p50 ms | p95 ms | p99 ms | errors | non-2xx | req/s vs baseline |");
    console.log("|---|---|---|---|---|---|---|---|---|---|");
    for (const f of figures) {
      const baseline = figures.find((b) => b.connections === f.connections && b.scenario.startsWith("(a)"));
      console.log(
        `| ${f.scenario} | ${f.connections} | ${f.requests} | ${f.rps.toFixed(0)} | ${f.p50.toFixed(1)} | ${f.p95.toFixed(1)} | ${f.p99.toFixed(1)} | ${f.errors} | ${f.non2xx} | ${baseline ? `${((f.rps / baseline.rps) * 100).toFixed(0)}%` : "-"} |`,
      );
    }
    fs.mkdirSync(path.join(root, ".test-output"), { recursive: true });
    fs.writeFileSync(path.join(root, `.test-output/bench-http-${args.database === "server" ? "server" : "embedded"}.json`), JSON.stringify(figures, null, 2));
  } finally {
    server.kill("SIGTERM");
    await new Promise((resolve) => server.once("exit", resolve));
    await cleanup();
  }
}

await main();
