import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { expect, it } from "vitest";
import { RedactUrlQueries, withoutQuery } from "./redact";

it("takes query strings out of the URLs a span records, set at its start or later, before any exporter sees them", async () => {
  const exported = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new RedactUrlQueries(), new SimpleSpanProcessor(exported)] });
  const tracer = provider.getTracer("test");
  const span = tracer.startSpan("GET /api/alerts/unsubscribe", { attributes: { "http.target": "/api/alerts/unsubscribe?token=secret-one-time", "http.method": "GET" } });
  span.setAttributes({ "http.url": "http://localhost:3000/api/auth/callback/email?token=abc&email=a%40b.test", "url.query": "token=abc", "url.full": "https://hooks.example/x" });
  span.end();
  const [recorded] = exported.getFinishedSpans();
  expect(recorded!.attributes).toEqual({
    "http.target": "/api/alerts/unsubscribe?[redacted]",
    "http.method": "GET",
    "http.url": "http://localhost:3000/api/auth/callback/email?[redacted]",
    "url.query": "[redacted]",
    "url.full": "https://hooks.example/x",
  });
  expect(JSON.stringify(recorded!.attributes)).not.toMatch(/secret|token=|abc/);
  expect(withoutQuery("/api/v1/flights/search")).toBe("/api/v1/flights/search");
  await provider.shutdown();
});
