#!/usr/bin/env node
/**
 * Starts the production build (`next start`) on loopback in one of the configurations the
 * end-to-end tests cover, and cleans up after it:
 *   embedded     no configuration at all, with a fresh embedded database folder
 *   unreachable  DATABASE_URL pointing at a port where nothing listens
 *   server       a fresh database on TEST_DATABASE_URL's server, migrated and seeded on start,
 *                sign-in links sent by SMTP to a mail server on loopback (mailFile)
 *   timescale    the same on the TimescaleDB server at TEST_TIMESCALE_URL, with no sign-in
 *                method configured
 *   web          like embedded, with the demo price history written before the start (the
 *                journeys read it), providers slow enough to watch, and no rate limit
 *   failing      like embedded, with the FareFinder provider always failing, traces sent to an
 *                OTLP sink on loopback (port + 1000; GET /spans lists what it received) and
 *                /api/metrics behind the token E2E_METRICS_TOKEN
 *   app          the quick start's own command (`npm run app`, listening on every address)
 *   dev          `next dev` on every address (development: opened at 127.0.0.1, not localhost)
 * Usage: node scripts/e2e-server.mjs <mode> <port>
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { createFreshDatabase } from "./fresh-database.mjs";
import { startMailServer } from "./mail-server.mjs";

const [mode, port] = process.argv.slice(2);

/** Where the mail server of the server on `port` writes what it receives, a JSON line per message. */
function mailFile(serverPort) {
  return path.join(root, ".test-output", `e2e-mail-${serverPort}.jsonl`);
}

/** A mail server on loopback writing each message it receives to `file`, a JSON line each. */
async function mailServerWriting(file) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, "");
  return startMailServer((mail) => fs.appendFileSync(file, `${JSON.stringify({ to: mail.to?.text ?? "", subject: mail.subject ?? "", text: mail.text ?? "" })}\n`));
}

const root = path.resolve(import.meta.dirname, "..");

/** The metrics token of the "failing" server (e2e/observability.spec.ts sends it). */
const E2E_METRICS_TOKEN = "e2e-metrics-token";

/**
 * An OTLP/HTTP JSON sink on loopback: keeps the spans posted to /v1/traces and lists them, as
 * { name, traceId, spanId, parentSpanId, status, attributes } objects, at GET /spans.
 */
function startOtlpSink(sinkPort) {
  const spans = [];
  const value = (v) => v?.stringValue ?? v?.intValue ?? v?.doubleValue ?? v?.boolValue ?? null;
  const server = http.createServer((request, response) => {
    if (request.method === "GET" && request.url === "/spans") {
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(spans));
      return;
    }
    const chunks = [];
    request.on("data", (chunk) => chunks.push(chunk));
    request.on("end", () => {
      try {
        for (const resource of JSON.parse(Buffer.concat(chunks).toString("utf8")).resourceSpans ?? []) {
          for (const scope of resource.scopeSpans ?? []) {
            for (const span of scope.spans ?? []) {
              const attributes = Object.fromEntries((span.attributes ?? []).map((a) => [a.key, value(a.value)]));
              spans.push({ name: span.name, traceId: span.traceId, spanId: span.spanId, parentSpanId: span.parentSpanId || null, status: span.status?.code ?? 0, attributes });
            }
          }
        }
      } catch {
        // not JSON: not ours to keep
      }
      response.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  server.listen(sinkPort, "127.0.0.1");
  return server;
}
const baseEnv = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !/^(DATABASE_|EMBEDDED_DATABASE_DIR$)/.test(key)),
);
// Addresses that are admins at sign-in (the admin console's specs; each signs in with its own,
// the per-address sign-in limit being what it is).
const E2E_ADMINS = Array.from({ length: 8 }, (_, i) => `admin${i + 1}@e2e.test`).join(",");
// The console's demo pauses no provider here: the other specs expect every provider to answer.
const env = { ...baseEnv, NEXT_TELEMETRY_DISABLED: "1", LOG_LEVEL: "warn", ADMIN_EMAILS: E2E_ADMINS, DEMO_PAUSED_PROVIDER: "none" };
let cleanup = async () => {};

/** An empty embedded database folder of this server's own. */
function freshEmbeddedDir() {
  const dir = path.join(root, ".test-output", `e2e-pglite-${port}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(`${dir}.lock`, { force: true });
  return dir;
}

if (mode === "embedded") {
  env.EMBEDDED_DATABASE_DIR = freshEmbeddedDir();
  // Tracked routes refresh within a minute or so (e2e/tracking.spec.ts watches one do it).
  env.INGEST_CADENCE = "0:1m";
  env.INGEST_TICK_SECONDS = "5";
  // Every test signs in from 127.0.0.1: the per-address sign-in limit would end the run. The
  // per-email one stays as shipped (e2e/sign-in.spec.ts runs into it on purpose).
  env.RATE_LIMIT_SIGN_IN_PER_ADDRESS = "500";
  // e2e/alerts.spec.ts makes a route's simulated price fall (POST /api/test/market) and watches
  // the alert arrive; the evaluator looks at new prices every half second.
  env.SIMULATED_MARKET_CONTROL = "true";
  env.ALERTS_POLL_MS = "500";
} else if (mode === "web") {
  Object.assign(env, { EMBEDDED_DATABASE_DIR: freshEmbeddedDir(), SIMULATED_LATENCY_MS: "400-1400", RATE_LIMIT_SEARCH_PER_MINUTE: "0", RATE_LIMIT_SIGN_IN_PER_ADDRESS: "500" });
  const seed = spawnSync(path.join(root, "node_modules", ".bin", "tsx"), ["scripts/seed.ts", "--demo"], { cwd: root, env, stdio: ["ignore", "ignore", "inherit"] });
  if (seed.status !== 0) process.exit(seed.status ?? 1);
} else if (mode === "app" || mode === "dev") {
  Object.assign(env, { EMBEDDED_DATABASE_DIR: freshEmbeddedDir(), DEMO_HISTORY_ON_START: "false" });
} else if (mode === "failing") {
  const sinkPort = Number(port) + 1000;
  const sink = startOtlpSink(sinkPort);
  Object.assign(env, {
    EMBEDDED_DATABASE_DIR: freshEmbeddedDir(),
    SIMULATED_FAIL: "farefinder",
    DEMO_HISTORY_ON_START: "false",
    RATE_LIMIT_SEARCH_PER_MINUTE: "0",
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${sinkPort}`,
    OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
    METRICS_TOKEN: E2E_METRICS_TOKEN,
  });
  cleanup = async () => void sink.close();
} else if (mode === "unreachable") {
  env.DATABASE_URL = "postgres://flight:e2e-secret@127.0.0.1:1/flights";
  env.DATABASE_CONNECT_TIMEOUT = "2";
} else if (mode === "server" || mode === "timescale") {
  const serverUrl =
    mode === "server"
      ? process.env.TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test"
      : process.env.TEST_TIMESCALE_URL || "postgres://postgres@127.0.0.1:5433/postgres";
  const fresh = await createFreshDatabase(serverUrl, "ft_e2e");
  env.DATABASE_URL = fresh.url;
  env.DATABASE_MIGRATE_ON_START = "true";
  // On the PostgreSQL server, sign-in links by real SMTP: a mail server on loopback keeps what it
  // receives in a file the tests read (e2e/server.spec.ts). On the TimescaleDB server, none: a
  // production install with no sign-in method configured.
  const mail = mode === "server" ? await mailServerWriting(mailFile(port)) : null;
  if (mail) Object.assign(env, { EMAIL_SERVER: mail.url, EMAIL_FROM: "Flight Tracker <e2e@example.test>", RATE_LIMIT_SIGN_IN_PER_ADDRESS: "500" });
  cleanup = async () => {
    await mail?.close();
    await fresh.drop().catch(() => {});
  };
} else {
  console.error(`unknown mode ${mode}`);
  process.exit(2);
}

const [command, args] =
  mode === "app"
    ? [process.execPath, [path.join(root, "scripts", "app.mjs")]]
    : [path.join(root, "node_modules", ".bin", "next"), mode === "dev" ? ["dev", "-p", port] : ["start", "-p", port, "-H", "127.0.0.1"]];
const next = spawn(command, args, { cwd: root, env: { ...env, PORT: port }, stdio: "inherit" });
let stopping = false;
const stop = (signal) => {
  if (stopping) return;
  stopping = true;
  next.kill(signal);
};
process.on("SIGINT", () => stop("SIGINT"));
process.on("SIGTERM", () => stop("SIGTERM"));
next.on("exit", async (code) => {
  await cleanup();
  process.exit(code ?? 0);
});
