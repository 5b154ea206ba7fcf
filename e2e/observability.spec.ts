import { expect, test } from "@playwright/test";
import { inDays } from "./helpers";

// The server behind this project (scripts/e2e-server.mjs "failing") sends its traces to an OTLP
// sink on its port + 1000, keeps /api/metrics behind a token, and has FareFinder always failing.
const TOKEN = "e2e-metrics-token";

interface SinkSpan {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  status: number;
  attributes: Record<string, string | number | boolean | null>;
}

test("a search comes out as one trace (request, search, a span per provider, cache, writes) and as Prometheus text", async ({ request, baseURL }) => {
  const sink = `http://127.0.0.1:${Number(new URL(baseURL!).port) + 1000}`;
  const departureDate = inDays(50);
  const search = await request.get(`/api/v1/flights/search?originCode=MAN&destinationCode=AMS&departureDate=${departureDate}`);
  expect(search.status()).toBe(200);
  const requestId = search.headers()["x-request-id"];
  expect(requestId).toBeTruthy();

  // The spans arrive in batches: wait for this search's.
  let trace: SinkSpan[] = [];
  await expect
    .poll(
      async () => {
        const spans = (await (await request.get(`${sink}/spans`)).json()) as SinkSpan[];
        const root = spans.find((s) => s.name === "search.flights" && s.attributes["search.origin"] === "MAN" && s.attributes["search.destination"] === "AMS");
        trace = root ? spans.filter((s) => s.traceId === root.traceId) : [];
        return trace.filter((s) => s.name === "provider.search").length;
      },
      { timeout: 30_000, intervals: [1_000] },
    )
    .toBe(2);
  const byName = (name: string) => trace.filter((s) => s.name === name);
  const searchSpan = byName("search.flights")[0]!;
  // Under Next's own span for the request.
  const parent = trace.find((s) => s.spanId === searchSpan.parentSpanId);
  expect(parent, "the search span has its request's span as an ancestor in the same trace").toBeDefined();
  // No URL's query string leaves the process (it may carry one-time tokens): the request's is redacted.
  const requestSpan = trace.find((s) => typeof s.attributes["http.target"] === "string")!;
  expect(requestSpan.attributes["http.target"]).toBe("/api/v1/flights/search?[redacted]");
  expect(JSON.stringify(trace)).not.toContain("departureDate=");
  const providers = Object.fromEntries(byName("provider.search").map((s) => [s.attributes["provider.id"], s]));
  expect(providers.skyway!.attributes["provider.status"]).toBe("ok");
  expect(providers.farefinder!.attributes["provider.status"]).toBe("error");
  expect(providers.farefinder!.status).toBe(2); // ERROR
  expect(byName("cache.get").length).toBeGreaterThan(0);
  expect(byName("cache.get")[0]!.attributes["cache.hit"]).toBe(false);
  expect(byName("observations.write").length).toBeGreaterThan(0);

  // Prometheus text, behind the token.
  expect((await request.get("/api/metrics")).status()).toBe(401);
  const metrics = await request.get("/api/metrics", { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(metrics.status()).toBe(200);
  expect(metrics.headers()["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
  const text = await metrics.text();
  const value = (pattern: RegExp) => Number(text.match(pattern)?.[1] ?? NaN);
  expect(value(/^flight_tracker_provider_calls_total\{provider="farefinder",outcome="error"\} (\d+)/m)).toBeGreaterThanOrEqual(1);
  expect(value(/^flight_tracker_provider_calls_total\{provider="skyway",outcome="ok"\} (\d+)/m)).toBeGreaterThanOrEqual(1);
  expect(value(/^flight_tracker_http_requests_total\{method="GET",route="\/api\/v1\/flights\/search",status="200"\} (\d+)/m)).toBeGreaterThanOrEqual(1);
  expect(value(/^flight_tracker_snapshot_rows_written_total (\d+)/m)).toBeGreaterThan(0);
  expect(text).toMatch(/^process_cpu_seconds_total /m);
});
