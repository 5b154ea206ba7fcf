/**
 * `npm run bench:http`: the production server on loopback under load (autocannon), in one run:
 *  (a) a bare baseline route answering a fixed JSON as large as a search answer,
 *  (b) cached searches (one search, warmed),
 *  (c) uncached searches (a new canonical query every request; simulated providers with no
 *      injected latency; every answer recorded as price snapshots),
 * each at 20 and 64 connections: requests/s, p50/p95/p99 latency, errors, and the ratio to (a).
 * The embedded engine is used unless --database=server (BENCH_DATABASE_URL / TEST_DATABASE_URL).
 * Options: --seconds=N per run (default 10), --skip-build.
 */
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { createFreshDatabase } from "@/scripts/fresh-database.mjs";
import { buildUnlessSkipped, parseArgs, root, startServer, waitFor } from "./support";

const args = parseArgs();
const SECONDS = Number(args.seconds ?? 10);
const PORT = 3210;
const BASE = `http://127.0.0.1:${PORT}`;

const ROUTES = [
  ["LHR", "JFK"], ["LHR", "DXB"], ["LGW", "BCN"], ["CDG", "JFK"], ["FRA", "SIN"], ["AMS", "LIS"], ["MAD", "MEX"],
  ["JFK", "LAX"], ["SFO", "NRT"], ["ORD", "MIA"], ["ATL", "CUN"], ["SEA", "HNL"], ["YYZ", "YVR"], ["SYD", "MEL"],
  ["SIN", "BKK"], ["HND", "ICN"], ["DXB", "BOM"], ["GRU", "EZE"], ["JNB", "CPT"], ["MUC", "FCO"], ["DUB", "EDI"],
  ["BOS", "SFO"], ["DEN", "PHX"], ["IST", "ATH"], ["DOH", "CAI"], ["BKK", "HKG"], ["MEL", "AKL"], ["ZRH", "VIE"],
];
const CABINS = ["economy", "premium_economy", "business"];

function day(offset: number) {
  return new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
}

let unique = 0;
/** A search nobody asked before in this run: route, date, cabin and party vary. */
function uniqueSearch(): string {
  const n = unique++;
  const [o, d] = ROUTES[n % ROUTES.length]!;
  const date = day(10 + (Math.floor(n / ROUTES.length) % 330));
  const cabin = CABINS[Math.floor(n / (ROUTES.length * 330)) % CABINS.length];
  const adults = 1 + (Math.floor(n / (ROUTES.length * 330 * CABINS.length)) % 4);
  return `/api/v1/flights/search?originCode=${o}&destinationCode=${d}&departureDate=${date}&cabins=${cabin}&adults=${adults}`;
}

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

async function load(scenario: string, connections: number, pathFor: () => string): Promise<Figures> {
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
  latencies.sort((a, b) => a - b);
  return {
    scenario,
    connections,
    requests: result.requests.total,
    rps: result.requests.average,
    p50: percentile(latencies, 0.5),
    p95: percentile(latencies, 0.95),
    p99: percentile(latencies, 0.99),
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
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
    console.log(`search answer: ${answer.length} bytes; ${SECONDS} s per run; engine: ${engine}`);

    const figures: Figures[] = [];
    for (const connections of [20, 64]) {
      figures.push(await load("(a) baseline route", connections, () => BASELINE));
      figures.push(await load("(b) cached search", connections, () => CACHED));
      figures.push(await load("(c) uncached search", connections, uniqueSearch));
    }
    console.log(`\nHTTP benchmark (${os.cpus().length} cores, Node ${process.version}, ${engine})`);
    console.log("| scenario | connections | requests | req/s | p50 ms | p95 ms | p99 ms | errors | non-2xx | req/s vs baseline |");
    console.log("|---|---|---|---|---|---|---|---|---|---|");
    for (const f of figures) {
      const baseline = figures.find((b) => b.connections === f.connections && b.scenario.startsWith("(a)"))!;
      console.log(
        `| ${f.scenario} | ${f.connections} | ${f.requests} | ${f.rps.toFixed(0)} | ${f.p50.toFixed(1)} | ${f.p95.toFixed(1)} | ${f.p99.toFixed(1)} | ${f.errors} | ${f.non2xx} | ${((f.rps / baseline.rps) * 100).toFixed(0)}% |`,
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
