/**
 * `npm run bench:profile`: where an uncached search's time goes. Runs the REST search handler
 * in this process (the app's own context on a fresh embedded database, simulated providers with
 * no injected latency, every answer recorded), 20 at a time, each one a search nobody asked
 * before, under the V8 CPU profiler; then prints the share of CPU time by part of the system and
 * the functions with the most self time. HTTP and Next.js are left out: `npm run bench:http`
 * gives their cost as its bare route.
 * Options: --seconds=N (default 15), --concurrency=N (default 20), --engine=embedded|server,
 * --top=N functions (default 25), --save=FILE (the .cpuprofile, for Chrome DevTools).
 */
import fs from "node:fs";
import inspector from "node:inspector/promises";
import os from "node:os";
import path from "node:path";
import { createFreshDatabase } from "@/scripts/fresh-database.mjs";
import { parseArgs, root, uniqueSearches } from "./support";

const args = parseArgs();
const SECONDS = Number(args.seconds ?? 15);
const CONCURRENCY = Number(args.concurrency ?? 20);
const TOP = Number(args.top ?? 25);

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** The part of the system a function belongs to, by where its code lives. */
const PARTS: [string, RegExp][] = [
  ["embedded database (PGlite, WebAssembly)", /@electric-sql\/pglite|^wasm:\/\//],
  ["database driver (postgres.js)", /node_modules\/postgres\//],
  ["ORM (drizzle-orm)", /drizzle-orm/],
  ["simulated market (server/core/fare-model)", /server\/core\/fare-model/],
  ["providers (server/providers)", /server\/providers/],
  ["search: fan-out, merge, rank (server/services/search)", /server\/services\/search/],
  ["write path (server/observations, db/queries)", /server\/observations|db\/queries/],
  ["answer: DTO (server/http)", /server\/http/],
  ["other app code (server/, db/)", /\/work\/[^/]+\/(server|db)\//],
  ["validation (zod)", /node_modules\/zod/],
  ["other packages", /node_modules/],
  ["Node.js internals", /^node:|^internal\//],
];

function partOf(frame: CallFrame): string {
  if (frame.functionName === "(garbage collector)") return "garbage collection";
  if (frame.functionName === "(idle)") return "idle (waiting)";
  if (frame.functionName === "(program)") return "V8 and native code (program)";
  if (!frame.url) return frame.functionName.startsWith("(") ? "V8 and native code (program)" : "built-ins (JSON, RegExp, ...)";
  return PARTS.find(([, pattern]) => pattern.test(frame.url))?.[0] ?? "other";
}

function selfTimes(profile: Profile): Map<number, number> {
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  return self;
}

function report(profile: Profile, searches: number, seconds: number): void {
  const self = selfTimes(profile);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const busy = [...self].filter(([id]) => byId.get(id)!.callFrame.functionName !== "(idle)").reduce((a, [, t]) => a + t, 0);
  const parts = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const [id, micros] of self) {
    const frame = byId.get(id)!.callFrame;
    const part = partOf(frame);
    parts.set(part, (parts.get(part) ?? 0) + micros);
    const where = frame.url ? `${frame.url.replace(/^file:\/\//, "").replace(root + "/", "")}:${frame.lineNumber + 1}` : "";
    const name = `${frame.functionName || "(anonymous)"} ${where}`.trim();
    functions.set(name, (functions.get(name) ?? 0) + micros);
  }
  const pct = (micros: number) => `${((micros / total) * 100).toFixed(1)}%`;
  console.log(`\n${searches} uncached searches in ${seconds.toFixed(1)} s (${(searches / seconds).toFixed(1)}/s, ${CONCURRENCY} at a time); CPU busy ${pct(busy)}; ${((busy / 1000) / searches).toFixed(2)} ms of CPU per search\n`);
  console.log("| part | share of samples | ms per search |");
  console.log("|---|---|---|");
  for (const [part, micros] of [...parts].sort((a, b) => b[1] - a[1])) console.log(`| ${part} | ${pct(micros)} | ${(micros / 1000 / searches).toFixed(2)} |`);
  console.log(`\nTop ${TOP} functions by self time`);
  console.log("| function | self |");
  console.log("|---|---|");
  for (const [name, micros] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, TOP)) console.log(`| ${name.replace(/\|/g, "\\|")} | ${pct(micros)} |`);
}

async function main() {
  let cleanup = async () => {};
  let engine = "embedded";
  Object.assign(process.env, { SIMULATED_LATENCY_MS: "0", RATE_LIMIT_SEARCH_PER_MINUTE: "0", DEMO_HISTORY_ON_START: "false", LOG_LEVEL: "warn" });
  if (args.engine === "server") {
    const fresh = await createFreshDatabase(process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test", "ft_profile");
    Object.assign(process.env, { DATABASE_URL: fresh.url, DATABASE_MIGRATE_ON_START: "true" });
    engine = "PostgreSQL server";
    cleanup = fresh.drop;
  } else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ft-profile-"));
    delete process.env.DATABASE_URL;
    process.env.EMBEDDED_DATABASE_DIR = path.join(dir, "pglite");
    cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
  }
  // After the environment is set: the app reads it when its modules load.
  const { closeAppContext, getAppContext } = await import("@/server/context");
  const { handleFlightSearch, searchEndpointDeps } = await import("@/server/http/search-endpoint");
  try {
    const ctx = await getAppContext();
    const deps = { ...searchEndpointDeps(ctx), answers: null };
    const next = uniqueSearches();
    const search = async () => {
      const response = await handleFlightSearch(new Request(`http://127.0.0.1${next()}`), deps);
      if (!response.ok) throw new Error(`search answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
      await response.text();
    };
    for (let i = 0; i < 40; i++) await search(); // warm the code and the database
    console.log(`profiling ${SECONDS} s of uncached searches on the ${engine} engine (${os.cpus().length} cores, Node ${process.version})`);

    const session = new inspector.Session();
    session.connect();
    await session.post("Profiler.enable");
    await session.post("Profiler.setSamplingInterval", { interval: 200 });
    await session.post("Profiler.start");
    const started = performance.now();
    const until = started + SECONDS * 1000;
    let searches = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (performance.now() < until) {
          await search();
          searches++;
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    const { profile } = (await session.post("Profiler.stop")) as { profile: Profile };
    session.disconnect();
    await ctx.observations.flush();
    if (args.save) fs.writeFileSync(args.save, JSON.stringify(profile));
    report(profile, searches, elapsed);
  } finally {
    await closeAppContext();
    await cleanup();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
