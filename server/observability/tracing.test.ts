/**
 * Traces as a collector receives them: the SDK registered by startTracing (what
 * instrumentation.ts and `npm run worker` call), exporting OTLP/HTTP JSON to a sink on
 * loopback, around the real search service, job queue and worker process.
 */
import { SpanKind, trace } from "@opentelemetry/api";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@/db/client";
import { migrate } from "@/db/migrate";
import { loadReference } from "@/db/queries/reference";
import { ensureUser } from "@/db/queries/users";
import { loadReferenceData } from "@/db/seed/reference";
import type { AppContext } from "@/server/context";
import { searchInputSchema } from "@/server/core/search-query";
import { addDays } from "@/server/core/time";
import { createBoss, insertJobs, prepareQueues, QUEUES } from "@/server/jobs/queue";
import { startJobs } from "@/server/jobs/runtime";
import { searchFlights } from "@/server/services/search/search-flights";
import { trackRoute } from "@/server/services/tracking/tracked-routes";
import { testAppContext } from "@/test/app-context";
import { createTestDatabase, sharedReferenceData, skipEngine, type TestDatabase } from "@/test/engines";
import { startOtlpSink, type OtlpSink, type ReceivedSpan } from "@/test/otlp-sink";
import { until } from "@/test/wait";
import { startWorker } from "@/test/worker-process";
import { runJob } from "./jobs";
import { exportHeaders, flushTracing, startTracing, tracesUrl } from "./otel";
import { currentTraceparent, linkTo, tracingEnabled, withSpan } from "./tracing";

const today = new Date().toISOString().slice(0, 10);
let sequence = 0;
const OFF = { OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf", OTEL_SDK_DISABLED: false } as const;

/** A trace's spans once `done` holds for them (the exporter sends in batches). */
async function traceOf(sink: OtlpSink, traceId: string, done: (spans: ReceivedSpan[]) => boolean): Promise<ReceivedSpan[]> {
  return until(`the spans of trace ${traceId}`, async () => {
    await flushTracing();
    const spans = sink.spans.filter((s) => s.traceId === traceId);
    return done(spans) ? spans : null;
  });
}
const named = (spans: ReceivedSpan[], name: string) => spans.filter((s) => s.name === name);
const one = (spans: ReceivedSpan[], name: string) => {
  const found = named(spans, name);
  if (found.length !== 1) throw new Error(`${found.length} spans named ${name}: ${spans.map((s) => s.name).join(", ")}`);
  return found[0]!;
};

describe("tracing, off (no endpoint)", () => {
  it("registers nothing and runs traced code as it is, with no trace context to hand on", async () => {
    expect(tracesUrl({ ...OFF, OTEL_EXPORTER_OTLP_ENDPOINT: undefined, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: undefined })).toBeNull();
    expect(startTracing("flight-tracker", { ...OFF, OTEL_EXPORTER_OTLP_ENDPOINT: undefined, OTEL_EXPORTER_OTLP_HEADERS: undefined, OTEL_SERVICE_NAME: undefined, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: undefined })).toBe(false);
    expect(tracingEnabled()).toBe(false);
    expect(await withSpan("x", {}, async (span) => [span.isRecording(), currentTraceparent()])).toEqual([false, undefined]);
    // OTEL_SDK_DISABLED wins over an endpoint.
    expect(tracesUrl({ ...OFF, OTEL_SDK_DISABLED: true, OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" })).toBeNull();
  });

  it("reads the endpoint and headers as the OpenTelemetry specification says", () => {
    expect(tracesUrl({ ...OFF, OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318/" })).toBe("http://collector:4318/v1/traces");
    expect(tracesUrl({ ...OFF, OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318", OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "https://traces.example/api/v2/otlp" })).toBe(
      "https://traces.example/api/v2/otlp",
    );
    expect(exportHeaders("x-api-key=abc%3D%3D, dataset = flights")).toEqual({ "x-api-key": "abc==", dataset: "flights" });
    expect(linkTo("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")?.context).toMatchObject({ traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331" });
    for (const bad of [undefined, 42, "00-00000000000000000000000000000000-b7ad6b7169203331-01", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331", "garbage"]) expect(linkTo(bad)).toBeUndefined();
  });
});

describe("tracing, on [embedded]", () => {
  let sink: OtlpSink;
  let database: TestDatabase;
  let ctx: AppContext;

  beforeAll(async () => {
    sink = await startOtlpSink();
    expect(startTracing("flight-tracker-test", { ...OFF, OTEL_EXPORTER_OTLP_ENDPOINT: sink.url, OTEL_EXPORTER_OTLP_PROTOCOL: "http/json" })).toBe(true);
    database = await createTestDatabase("embedded");
    await migrate(database);
    await loadReferenceData(database.db, await sharedReferenceData());
    ctx = testAppContext(database, await loadReference(database.db));
    // pg-boss's tables, as a worker's first start makes them.
    const boss = createBoss(database, ctx.config);
    await boss.start();
    await prepareQueues(boss, ctx.config);
    await boss.stop({ graceful: false, wait: true });
  });
  afterAll(async () => {
    await database?.close();
    await sink?.close();
  });

  /** What Next.js makes for each request when the SDK is registered: the trace's root span. */
  const asRequest = <T>(name: string, run: () => Promise<T>) =>
    trace.getTracer("next.js").startActiveSpan(name, { kind: SpanKind.SERVER }, async (span) => {
      try {
        return { result: await run(), traceId: span.spanContext().traceId, spanId: span.spanContext().spanId };
      } finally {
        span.end();
      }
    });

  it("a search is one trace: the request, the search, a span per provider call, the cache and the database write", async () => {
    const departureDate = addDays(today, 33);
    const input = searchInputSchema.parse({ originCode: "LHR", destinationCode: "JFK", departureDate });
    const { result, traceId, spanId: requestSpan } = await asRequest("GET /api/v1/flights/search", () => searchFlights(ctx, input));
    expect(result.cache).toBe("miss");
    const spans = await traceOf(sink, traceId, (s) => named(s, "observations.write").length > 0 && named(s, "GET /api/v1/flights/search").length > 0);

    const search = one(spans, "search.flights");
    expect(search.parentSpanId).toBe(requestSpan);
    expect(search.attributes).toMatchObject({ "search.origin": "LHR", "search.destination": "JFK", "search.cache": "miss" });
    const providers = named(spans, "provider.search");
    expect(providers.map((s) => s.attributes["provider.id"]).sort()).toEqual(["farefinder", "skyway"]);
    for (const call of providers) {
      expect(call.parentSpanId).toBe(search.spanId);
      expect(call.attributes).toMatchObject({ "provider.status": "ok", "provider.cabin": "economy", "provider.attempts": 1 });
      expect(call.attributes["provider.offers"]).toBeGreaterThan(0);
      expect(typeof call.attributes["provider.latency_ms"]).toBe("number");
      expect(call.status).not.toBe(2);
    }
    const get = one(spans, "cache.get");
    expect([get.parentSpanId, get.attributes["cache.hit"]]).toEqual([search.spanId, false]);
    expect(one(spans, "cache.set").parentSpanId).toBe(search.spanId);
    const write = one(spans, "observations.write");
    expect(write.parentSpanId).toBe(search.spanId);
    const [rows] = await queryRows<{ n: number }>(ctx.db, sql`SELECT count(*)::int AS n FROM price_snapshot WHERE origin = 'LHR' AND departure_date = ${departureDate}`);
    expect(write.attributes).toMatchObject({ "db.system": "postgresql", "observations.count": 1, "db.rows_written": rows!.n });
    expect(new Set(spans.map((s) => s.service))).toEqual(new Set(["flight-tracker-test"]));
    // Nothing of this search was exported outside its trace.
    expect(sink.spans.filter((s) => s.name === "provider.search" && s.traceId !== traceId)).toEqual([]);

    // The same search again: one cache hit, no provider asked.
    const again = await asRequest("GET /api/v1/flights/search", () => searchFlights(ctx, input));
    const hit = await traceOf(sink, again.traceId, (s) => named(s, "search.flights").length > 0 && named(s, "GET /api/v1/flights/search").length > 0);
    expect(one(hit, "cache.get").attributes["cache.hit"]).toBe(true);
    expect(named(hit, "provider.search")).toEqual([]);
  });

  it("a job's trace links to what enqueued it: a request through insertJobs, the scheduler's tick through the queue", async () => {
    // A request that enqueues (as an admin's retry does), and the job run later, elsewhere.
    const { result: data, traceId, spanId } = await asRequest("POST /api/v1/admin/ingestions/1/retry", async () => {
      const [id] = await ctx.db.transaction((tx) => insertJobs(tx, [{ name: QUEUES.ingestDead, data: { queryId: 1, dueAt: new Date().toISOString() } }]));
      const [row] = await queryRows<{ data: { traceparent?: string } }>(ctx.db, sql`SELECT data FROM pgboss.job WHERE id = ${id!}::uuid`);
      return row!.data;
    });
    expect(data.traceparent).toBe(`00-${traceId}-${spanId}-01`);
    let jobTrace = "";
    await runJob(QUEUES.ingestDead, data, async () => {
      jobTrace = trace.getActiveSpan()!.spanContext().traceId;
    });
    const [job] = await traceOf(sink, jobTrace, (s) => named(s, "job ingest-dead").length > 0);
    expect(job).toMatchObject({ name: "job ingest-dead", parentSpanId: null, kind: 5, links: [{ traceId, spanId }] });
    expect(jobTrace).not.toBe(traceId);

    // A tracked route falls due; the queue's first tick hands its query over, a worker runs it.
    const user = await ensureUser(ctx.db, `tracing-${Date.now()}-${sequence++}@example.test`);
    await trackRoute(ctx, user.id, { kind: "exact", originCode: "MAN", destinationCode: "DUB", departureDate: addDays(today, 21), cabin: "economy", adults: 1, children: 0, infants: 0 });
    const runtime = await startJobs(ctx, { concurrency: 1, pollingIntervalSeconds: 0.5 });
    try {
      const ingest = await until("a traced ingestion job", async () => {
        await flushTracing();
        return sink.spans.find((s) => s.name === "job ingest" && s.links.length > 0);
      });
      const tick = sink.spans.find((s) => s.name === "ingest.schedule" && s.spanId === ingest.links[0]!.spanId);
      expect(tick, "the tick the job links to").toBeDefined();
      expect(tick!.attributes["ingest.enqueued"]).toBeGreaterThanOrEqual(1);
      expect(ingest.traceId).not.toBe(tick!.traceId);
      expect(ingest.kind).toBe(5);
      // The job's own trace: its provider calls and its write.
      const spans = await traceOf(sink, ingest.traceId, (s) => named(s, "observations.write").length > 0);
      expect(named(spans, "provider.search").map((s) => s.parentSpanId)).toEqual([ingest.spanId, ingest.spanId]);
      const write = one(spans, "observations.write");
      // The tracked route's check goes to the alerts' outbox with the write's context; their evaluation links to it.
      const evaluation = await until("the alerts' evaluation of that check", async () => {
        await flushTracing();
        return sink.spans.find((s) => s.name === "alerts.evaluate" && s.links.some((l) => l.spanId === write.spanId));
      });
      expect(evaluation.attributes["alerts.events"]).toBeGreaterThanOrEqual(1);
    } finally {
      await runtime.stop(2_000);
    }
  });
});

describe.skipIf(skipEngine("server"))("npm run worker's traces [server]", () => {
  let sink: OtlpSink;
  let database: TestDatabase;
  beforeAll(async () => {
    sink = await startOtlpSink();
    database = await createTestDatabase("server");
    await migrate(database);
    await loadReferenceData(database.db, await sharedReferenceData());
  });
  afterAll(async () => {
    await database?.close();
    await sink?.close();
  });

  it("are sent by the worker process itself (its own SDK, outside Next.js), linked across the queue, and flushed when it stops", async () => {
    const ctx = testAppContext(database, await loadReference(database.db));
    const user = await ensureUser(ctx.db, `tracing-worker-${Date.now()}@example.test`);
    await trackRoute(ctx, user.id, { kind: "exact", originCode: "LHR", destinationCode: "EDI", departureDate: addDays(today, 18), cabin: "economy", adults: 1, children: 0, infants: 0 });
    const worker = startWorker({ DATABASE_URL: database.url!, OTEL_EXPORTER_OTLP_ENDPOINT: sink.url, OTEL_EXPORTER_OTLP_PROTOCOL: "http/json", SIMULATED_LATENCY_MS: "0" });
    try {
      await until("the worker's ingestion run", async () => {
        const [row] = await queryRows<{ n: number }>(ctx.db, sql`SELECT count(*)::int AS n FROM ingestion_run WHERE status = 'succeeded'`);
        return row!.n > 0;
      }, 60_000);
    } finally {
      worker.process.kill("SIGTERM");
    }
    expect(await worker.exited).toBe(0);
    // Sent on the way out, not left in the batch.
    const job = sink.spans.find((s) => s.name === "job ingest");
    expect(job, sink.spans.map((s) => s.name).join(", ")).toBeDefined();
    expect(job!.service).toBe("flight-tracker-worker");
    const tick = sink.spans.find((s) => s.name === "ingest.schedule" && s.spanId === job!.links[0]?.spanId);
    expect(tick?.service).toBe("flight-tracker-worker");
    expect(sink.spans.filter((s) => s.traceId === job!.traceId && s.name === "provider.search")).toHaveLength(2);
    expect(sink.refused).toEqual([]);
  });
});
