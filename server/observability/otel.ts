import { trace } from "@opentelemetry/api";
import { BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { OTLPHttpJsonTraceExporter, OTLPHttpProtoTraceExporter, registerOTel } from "@vercel/otel";
import { env, type Env } from "@/server/env";
import { RedactUrlQueries } from "./redact";
import { setTracingEnabled, tracingEnabled } from "./tracing";

export type TracingSettings = Pick<
  Env,
  "OTEL_EXPORTER_OTLP_ENDPOINT" | "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT" | "OTEL_EXPORTER_OTLP_PROTOCOL" | "OTEL_EXPORTER_OTLP_HEADERS" | "OTEL_SERVICE_NAME" | "OTEL_SDK_DISABLED"
>;

/** Where the spans go: the traces URL as given, else the base URL's `/v1/traces`; null when tracing is off. */
export function tracesUrl(settings: TracingSettings): string | null {
  if (settings.OTEL_SDK_DISABLED) return null;
  if (settings.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return settings.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  if (settings.OTEL_EXPORTER_OTLP_ENDPOINT) return `${settings.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, "")}/v1/traces`;
  return null;
}

/** OTEL_EXPORTER_OTLP_HEADERS (`name=value,...`, values URL-encoded as the specification says) as headers. */
export function exportHeaders(text: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const pair of (text ?? "").split(",")) {
    const at = pair.indexOf("=");
    if (at <= 0) continue;
    headers[pair.slice(0, at).trim()] = decodeURIComponent(pair.slice(at + 1).trim());
  }
  return headers;
}

/**
 * Registers the OpenTelemetry SDK for this process when an OTLP endpoint is set (and does
 * nothing otherwise: no exporter is made, so a process without a collector never tries to
 * reach one): @vercel/otel's, which Next.js's own spans (one per request) use too, with an
 * AsyncLocalStorage context, the W3C trace context propagator, and its fetch instrumentation.
 * The exporter is given explicitly, from server/env.ts: @vercel/otel's "auto" one would send
 * to localhost:4318 when no endpoint is set. The sampler (OTEL_TRACES_SAMPLER and _ARG),
 * propagators (OTEL_PROPAGATORS) and resource attributes (OTEL_RESOURCE_ATTRIBUTES) are read
 * by the SDK from the environment. Returns whether tracing is on.
 */
export function startTracing(defaultServiceName: string, settings: TracingSettings = env): boolean {
  const url = tracesUrl(settings);
  if (!url || tracingEnabled()) return tracingEnabled();
  const options = { url, headers: exportHeaders(settings.OTEL_EXPORTER_OTLP_HEADERS) };
  const exporter = settings.OTEL_EXPORTER_OTLP_PROTOCOL === "http/json" ? new OTLPHttpJsonTraceExporter(options) : new OTLPHttpProtoTraceExporter(options);
  registerOTel({
    serviceName: settings.OTEL_SERVICE_NAME ?? defaultServiceName,
    // Not on Vercel: drop the resource attributes @vercel/otel adds for it.
    attributes: { "cloud.provider": undefined, "vercel.runtime": undefined },
    // Query strings out of recorded URLs first: they may hold one-time tokens.
    spanProcessors: [new RedactUrlQueries(), new BatchSpanProcessor(exporter)],
  });
  setTracingEnabled(true);
  return true;
}

/** Sends the spans still in the batch (a worker stopping); nothing when tracing is off. */
export async function flushTracing(): Promise<void> {
  if (!tracingEnabled()) return;
  const provider = trace.getTracerProvider() as { getDelegate?: () => unknown };
  const delegate = (provider.getDelegate?.() ?? provider) as { forceFlush?: () => Promise<void> };
  await delegate.forceFlush?.();
}
