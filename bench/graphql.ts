/**
 * `npm run bench:graphql`: what GraphQL costs over REST for the same search, on the production
 * build (embedded engine, simulated market with no latency): the REST search, then the same
 * search over GraphQL asking the contract's fields for 20 flights, then 100 flights with every
 * field; each one after warm-up, so every answer comes from the search cache and the figures
 * are the transport's and the answer's cost. Sequential requests on loopback; prints p50 / p95
 * and the ratio to REST. `--skip-build` uses the existing build.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildUnlessSkipped, day, parseArgs, startServer, waitFor } from "./support";

const args = parseArgs();
const PORT = Number(args.port ?? 3471);
const BASE = `http://127.0.0.1:${PORT}`;
const N = Number(args.n ?? 300);
const date = day(40);

const REST = `/api/v1/flights/search?originCode=LHR&destinationCode=JFK&departureDate=${date}&limit=20`;
const CONTRACT = `{ flights(originCode: "LHR", destinationCode: "JFK", departureDate: "${date}", first: 20) { totalCount lastUpdated pageInfo { hasNextPage endCursor }
  edges { cursor node { id airlineCode airlineName flightNumber origin { code name city country } destination { code name city country } departureTime arrivalTime duration stops price { amount currency } cabin deepLink } } } }`;
const AIRPORT = "{ code name city country countryCode }";
const FULL = `{ flights(originCode: "LHR", destinationCode: "JFK", departureDate: "${date}", first: 100) { totalCount lastUpdated currency cached simulated providers { provider status latencyMs offerCount }
  insight { level typicalLow { amount } typicalHigh { amount } } pageInfo { hasNextPage endCursor }
  edges { cursor node { id airlineCode airlineName flightNumber origin ${AIRPORT} destination ${AIRPORT} departureTime arrivalTime duration durationMinutes stops price { amount currency } pricePerAdult { amount currency } cabin deepLink provider simulated expiresAt
    slices { departureTime arrivalTime duration stops layovers { airport { code } duration } segments { airlineCode flightNumber origin { code } destination { code } departureTime arrivalTime aircraft } }
    sources { provider price { amount currency } deepLink } } } } }`;

type Call = () => Promise<Response>;
const graphql = (query: string): Call => () => fetch(`${BASE}/api/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) });

async function measure(call: Call): Promise<{ p50: number; p95: number; bytes: number }> {
  let bytes = 0;
  for (let i = 0; i < 20; i++) {
    const response = await call();
    const text = await response.text();
    if (!response.ok || text.includes('"errors"')) throw new Error(`${response.status} ${text.slice(0, 300)}`);
    bytes = text.length;
  }
  const times: number[] = [];
  for (let i = 0; i < N; i++) {
    const started = performance.now();
    await (await call()).arrayBuffer();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(N * 0.5)]!, p95: times[Math.floor(N * 0.95)]!, bytes };
}

async function main() {
  buildUnlessSkipped(args);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ft-benchgql-"));
  const server = startServer(PORT, {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: "1",
    SIMULATED_LATENCY_MS: "0",
    RATE_LIMIT_SEARCH_PER_MINUTE: "0",
    DEMO_HISTORY_ON_START: "false",
    LOG_LEVEL: "warn",
    EMBEDDED_DATABASE_DIR: path.join(dir, "pglite"),
  });
  try {
    await waitFor(`${BASE}/api/health`);
    const rest = await measure(() => fetch(`${BASE}${REST}`));
    const contract = await measure(graphql(CONTRACT));
    const full = await measure(graphql(FULL));
    console.log(`${N} sequential requests each after 20 warm-ups, cached search LHR-JFK, ${os.cpus().length} cores`);
    console.log("scenario                              p50 ms   p95 ms   answer bytes   p50 vs REST");
    for (const [name, r] of [["REST search, 20 flights (all fields)", rest], ["GraphQL, contract fields, first 20", contract], ["GraphQL, every field, first 100", full]] as const) {
      console.log(`${name.padEnd(38)}${r.p50.toFixed(1).padStart(6)}   ${r.p95.toFixed(1).padStart(6)}   ${String(r.bytes).padStart(12)}   ${(r.p50 / rest.p50).toFixed(2).padStart(9)}x`);
    }
  } finally {
    server.kill("SIGTERM");
    await new Promise((resolve) => server.once("exit", resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
