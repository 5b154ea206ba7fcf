import net from "node:net";
import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { queryRows } from "@/db/client";
import { closeAppContext } from "@/server/context";
import { searchInputSchema } from "@/server/core/search-query";
import { addDays } from "@/server/core/time";
import { createBoss, prepareQueues, QUEUES } from "@/server/jobs/queue";
import { API_ROUTES, OTHER_ROUTE } from "@/server/observability/api-routes";
import { searchFlights } from "@/server/services/search/search-flights";
import { TEST_CONFIG } from "@/test/app-context";
import { createTestDatabase, describeEachEngine, skipEngine, type TestDatabase } from "@/test/engines";
import { parseMetrics, sampleValue, type Sample } from "@/test/prometheus";

const TOKEN = "metrics-token-for-the-tests-0123";
const today = new Date().toISOString().slice(0, 10);
let dateOffset = 40;

/** A loopback port nothing listens on: a database there refuses connections at once. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
let unreachable = "";
beforeAll(async () => {
  unreachable = `postgres://postgres@127.0.0.1:${await closedPort()}/nothing`;
});

// Set by hand: vi.stubEnv's undoing did not survive vi.resetModules here.
const saved = new Map<string, string | undefined>();
function setEnv(key: string, value: string | undefined) {
  if (value === undefined) delete process.env[key];
  else process.env[key] = value;
}

/**
 * The route file's GET with these settings (env.ts reads them when loaded). DATABASE_URL is
 * always given: unset, the route would open the embedded database of this checkout.
 */
async function metricsRoute(vars: Record<string, string | undefined> = {}) {
  await closeAppContext();
  vi.resetModules();
  for (const [key, value] of Object.entries({ DATABASE_URL: unreachable, METRICS_TOKEN: undefined, ...vars })) {
    if (!saved.has(key)) saved.set(key, process.env[key]);
    setEnv(key, value);
  }
  return (await import("@/app/api/metrics/route")).GET;
}

async function scrape(GET: (request: Request) => Promise<Response>, headers: Record<string, string> = {}): Promise<{ response: Response; samples: Sample[] }> {
  const response = await GET(new Request("http://localhost/api/metrics", { headers }));
  return { response, samples: response.status === 200 ? parseMetrics(await response.text()) : [] };
}

afterEach(() => {
  for (const [key, value] of saved) setEnv(key, value);
  saved.clear();
});
afterAll(async () => {
  await closeAppContext();
});

describeEachEngine(
  "GET /api/metrics after real work",
  ({ app, database }) => {
    it("a search through the search service moves the search, cache, provider and snapshot figures; API requests are counted by route pattern", async () => {
      const GET = await metricsRoute();
      const before = (await scrape(GET)).samples;

      const ctx = app();
      const departureDate = addDays(today, dateOffset++);
      const input = searchInputSchema.parse({ originCode: "LHR", destinationCode: "JFK", departureDate });
      const first = await searchFlights(ctx, input);
      const second = await searchFlights(ctx, input);
      expect([first.cache, second.cache]).toEqual(["miss", "hit"]);
      const [rows] = await queryRows<{ n: number }>(database().db, sql`SELECT count(*)::int AS n FROM price_snapshot WHERE origin = 'LHR' AND departure_date = ${departureDate}`);
      expect(rows!.n).toBeGreaterThan(0);
      // Real route files, through the wrapper every API handler has.
      const openapi = await (await import("@/app/api/v1/openapi.json/route")).GET(new Request("http://localhost/api/v1/openapi.json"));
      expect(openapi.status).toBe(200);
      const missing = await (await import("@/app/api/[...path]/route")).GET(new Request("http://localhost/api/v1/no-such-thing/0b8f6a4e-6f0e-4c43"));
      expect(missing.status).toBe(404);

      const { response, samples: after } = await scrape(GET);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
      const delta = (name: string, labels: Record<string, string> = {}) => sampleValue(after, name, labels) - sampleValue(before, name, labels);

      expect(delta("flight_tracker_searches_total")).toBe(2);
      expect(delta("flight_tracker_search_cache_lookups_total", { result: "miss" })).toBe(1);
      expect(delta("flight_tracker_search_cache_lookups_total", { result: "hit" })).toBe(1);
      expect(delta("flight_tracker_search_duration_seconds_count", { cache: "miss" })).toBe(1);
      expect(delta("flight_tracker_search_duration_seconds_count", { cache: "hit" })).toBe(1);
      for (const provider of ["skyway", "farefinder"]) {
        expect(delta("flight_tracker_provider_calls_total", { provider, outcome: "ok" }), provider).toBe(1);
        expect(delta("flight_tracker_provider_call_duration_seconds_count", { provider, outcome: "ok" }), provider).toBe(1);
        expect(delta("flight_tracker_provider_call_duration_seconds_bucket", { provider, outcome: "ok", le: "+Inf" }), provider).toBe(1);
        expect(delta("flight_tracker_provider_offers_total", { provider }), provider).toBeGreaterThan(0);
      }
      expect(delta("flight_tracker_snapshot_rows_written_total")).toBe(rows!.n);
      expect(delta("flight_tracker_observations_written_total")).toBe(1);

      expect(delta("flight_tracker_http_requests_total", { method: "GET", route: "/api/v1/openapi.json", status: "200" })).toBe(1);
      expect(delta("flight_tracker_http_requests_total", { method: "GET", route: "/api/[...path]", status: "404" })).toBe(1);
      expect(delta("flight_tracker_http_request_duration_seconds_count", { method: "GET", route: "/api/v1/openapi.json", status_class: "2xx" })).toBe(1);
      // The first scrape counts itself once it is answered.
      expect(delta("flight_tracker_http_requests_total", { method: "GET", route: "/api/metrics", status: "200" })).toBe(1);
      // Route labels are patterns, never the paths asked for.
      const routes = new Set(after.filter((s) => s.name === "flight_tracker_http_requests_total").map((s) => s.labels.route));
      for (const route of routes) expect([...API_ROUTES, OTHER_ROUTE]).toContain(route);

      expect(sampleValue(after, "flight_tracker_build_info", { version: "0.1.0" })).toBe(1);
      expect(after.some((s) => s.name === "process_cpu_user_seconds_total")).toBe(true);
      expect(after.some((s) => s.name === "nodejs_heap_size_used_bytes")).toBe(true);
    });
  },
  { seed: true },
);

describe("GET /api/metrics", () => {
  it("with METRICS_TOKEN set: 401 with a Bearer challenge without the token or with another one, the metrics with it", async () => {
    const GET = await metricsRoute({ METRICS_TOKEN: TOKEN });
    const refused: Record<string, string>[] = [{}, { Authorization: `Bearer ${TOKEN}x` }, { Authorization: `Bearer ${TOKEN.slice(0, -1)}` }, { Authorization: `Basic ${TOKEN}` }, { Authorization: TOKEN }];
    for (const headers of refused) {
      const { response } = await scrape(GET, headers);
      expect(response.status, JSON.stringify(headers)).toBe(401);
      expect(response.headers.get("www-authenticate")).toBe('Bearer realm="metrics"');
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      expect((await response.json()).detail).toMatch(/METRICS_TOKEN/);
    }
    const { response, samples } = await scrape(GET, { Authorization: `Bearer ${TOKEN}` });
    expect(response.status).toBe(200);
    expect(samples.some((s) => s.name === "flight_tracker_searches_total")).toBe(true);
  });

  it("without METRICS_TOKEN: open", async () => {
    const { response } = await scrape(await metricsRoute());
    expect(response.status).toBe(200);
  });

  it("with the database unreachable: still 200 with every other metric; the queues' depths are left out and the failure counted", async () => {
    const GET = await metricsRoute({ DATABASE_URL: unreachable });
    const before = (await scrape(GET)).samples;
    const { response, samples } = await scrape(GET);
    expect(response.status).toBe(200);
    expect(samples.filter((s) => s.name === "flight_tracker_queue_jobs")).toEqual([]);
    expect(sampleValue(samples, "flight_tracker_metrics_collect_errors_total", { collector: "queue_jobs" }) - sampleValue(before, "flight_tracker_metrics_collect_errors_total", { collector: "queue_jobs" })).toBe(1);
    expect(samples.some((s) => s.name === "flight_tracker_searches_total")).toBe(true);
    expect(samples.some((s) => s.name === "process_resident_memory_bytes")).toBe(true);
  });

  describe.skipIf(skipEngine("server"))("the queues' depths [server]", () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await createTestDatabase("server");
    });
    afterAll(async () => {
      await closeAppContext();
      await database?.close();
    });

    it("are read from pg-boss's tables at each scrape, per queue and state, without pg-boss's own queues", async () => {
      const GET = await metricsRoute({ DATABASE_URL: database.url });
      // Before any worker made the queue's tables: no depths, and no error.
      const empty = (await scrape(GET)).samples;
      expect(empty.filter((s) => s.name === "flight_tracker_queue_jobs")).toEqual([]);

      const boss = createBoss(database, TEST_CONFIG);
      await boss.start();
      try {
        await prepareQueues(boss, TEST_CONFIG);
        await boss.send(QUEUES.ingest, { queryId: 1, dueAt: new Date().toISOString() }, { startAfter: 3_600, singletonKey: "1" });
        await boss.send(QUEUES.ingest, { queryId: 2, dueAt: new Date().toISOString() }, { startAfter: 3_600, singletonKey: "2" });
      } finally {
        await boss.stop({ graceful: false, wait: true });
      }
      const { samples } = await scrape(GET);
      expect(sampleValue(samples, "flight_tracker_queue_jobs", { queue: "ingest", state: "waiting" })).toBe(2);
      expect(sampleValue(samples, "flight_tracker_queue_jobs", { queue: "ingest", state: "active" })).toBe(0);
      expect(sampleValue(samples, "flight_tracker_queue_jobs", { queue: "ingest-schedule", state: "waiting" })).toBe(0);
      expect(samples.filter((s) => s.name === "flight_tracker_queue_jobs" && s.labels.queue!.startsWith("__pgboss"))).toEqual([]);
    });
  });
});
