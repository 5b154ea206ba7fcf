/** What the HTTP and browser benchmarks share: options, the production build and its server. */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import path from "node:path";
import { openEmbedded, openServer, type Database } from "@/db/client";
import { createFreshDatabase, serverReachable } from "@/scripts/fresh-database.mjs";

export const root = path.resolve(import.meta.dirname, "..");

/** `--name=value` and `--flag` options. */
export function parseArgs(argv = process.argv.slice(2)): Record<string, string> {
  return Object.fromEntries(
    argv.map((arg) => {
      const [key, value] = arg.replace(/^--/, "").split("=");
      return [key, value ?? "true"];
    }),
  );
}

/** `next build`, unless --skip-build. */
export function buildUnlessSkipped(args: Record<string, string>): void {
  if (args["skip-build"]) return;
  console.log("building...");
  const build = spawnSync(path.join(root, "node_modules/.bin/next"), ["build"], { cwd: root, stdio: "ignore", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (build.status !== 0) throw new Error("next build failed");
}

/** `next start` on loopback. */
export function startServer(port: number, env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(path.join(root, "node_modules/.bin/next"), ["start", "-p", String(port), "-H", "127.0.0.1"], { cwd: root, env, stdio: "ignore" });
}

export async function waitFor(url: string, ms = 120_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`${url} did not answer within ${ms} ms`);
}

const ROUTES = [
  ["LHR", "JFK"], ["LHR", "DXB"], ["LGW", "BCN"], ["CDG", "JFK"], ["FRA", "SIN"], ["AMS", "LIS"], ["MAD", "MEX"],
  ["JFK", "LAX"], ["SFO", "NRT"], ["ORD", "MIA"], ["ATL", "CUN"], ["SEA", "HNL"], ["YYZ", "YVR"], ["SYD", "MEL"],
  ["SIN", "BKK"], ["HND", "ICN"], ["DXB", "BOM"], ["GRU", "EZE"], ["JNB", "CPT"], ["MUC", "FCO"], ["DUB", "EDI"],
  ["BOS", "SFO"], ["DEN", "PHX"], ["IST", "ATH"], ["DOH", "CAI"], ["BKK", "HKG"], ["MEL", "AKL"], ["ZRH", "VIE"],
];
const CABINS = ["economy", "premium_economy", "business"];

/** The date `offset` days from today (UTC). */
export function day(offset: number): string {
  return new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
}

/** REST search paths nobody asked before in this run: route, date, cabin and party vary. */
export function uniqueSearches(): () => string {
  let unique = 0;
  return () => {
    const n = unique++;
    const [o, d] = ROUTES[n % ROUTES.length]!;
    const date = day(10 + (Math.floor(n / ROUTES.length) % 330));
    const cabin = CABINS[Math.floor(n / (ROUTES.length * 330)) % CABINS.length];
    const adults = 1 + (Math.floor(n / (ROUTES.length * 330 * CABINS.length)) % 4);
    return `/api/v1/flights/search?originCode=${o}&destinationCode=${d}&departureDate=${date}&cabins=${cabin}&adults=${adults}`;
  };
}

/** The PostgreSQL server the benchmarks use beside the embedded engine (the tests' server). */
export const BENCH_SERVER_URL = process.env.TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";

/**
 * Runs `measure` on a fresh embedded database in memory, then on a fresh database of
 * BENCH_SERVER_URL's server when it answers (dropped afterwards).
 */
export async function onEachEngine(name: string, measure: (label: string, database: Database) => Promise<void>, options: { poolMax?: number } = {}): Promise<void> {
  const embedded = await openEmbedded({});
  try {
    await measure("embedded (PGlite, in memory)", embedded);
  } finally {
    await embedded.close();
  }
  if (!(await serverReachable(BENCH_SERVER_URL))) {
    console.log(`\nPostgreSQL server at ${BENCH_SERVER_URL} unreachable: skipped.`);
    return;
  }
  const fresh = await createFreshDatabase(BENCH_SERVER_URL, name);
  const server = await openServer({ url: fresh.url, poolMax: options.poolMax ?? 10 });
  try {
    await measure(`PostgreSQL server (${new URL(BENCH_SERVER_URL).host})`, server);
  } finally {
    await server.close();
    await fresh.drop();
  }
}
