import {
  context,
  INVALID_SPAN_CONTEXT,
  isSpanContextValid,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Link,
  type Span,
  type SpanContext,
  type SpanOptions,
} from "@opentelemetry/api";
import packageJson from "@/package.json";

/**
 * Spans of our own work (provider calls, the cache, database writes, jobs) inside the trace of
 * the request or job that does it. Through the OpenTelemetry API only: the SDK is registered by
 * server/observability/otel.ts when an OTLP endpoint is set. Until then every helper here runs
 * its function straight away, so tracing that is off costs a flag check.
 */

// On globalThis: instrumentation.ts and the route handlers are separate bundles in Next.js,
// each with its own copy of this module, and both must see that tracing was turned on.
const state = globalThis as { __flightTrackerTracing?: boolean };

export function setTracingEnabled(on: boolean): void {
  state.__flightTrackerTracing = on;
}

export function tracingEnabled(): boolean {
  return state.__flightTrackerTracing === true;
}

const tracer = () => trace.getTracer("flight-tracker", packageJson.version);
/** What a function traced while tracing is off gets: setting attributes on it does nothing. */
const NO_SPAN: Span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

export interface SpanSettings extends Pick<SpanOptions, "kind" | "links" | "root"> {
  /** Parent other than the active context (a write batched from another request's). */
  parent?: Context;
}

/**
 * Runs `fn` in a new span, a child of the active one: ended when `fn` settles, marked as an
 * error (with the exception) when it throws.
 */
export async function withSpan<T>(name: string, attributes: Attributes, fn: (span: Span) => Promise<T>, settings: SpanSettings = {}): Promise<T> {
  if (!tracingEnabled()) return fn(NO_SPAN);
  const { parent, ...options } = settings;
  return tracer().startActiveSpan(name, { ...options, attributes }, parent ?? context.active(), async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** The active context when tracing is on (for work that runs later, elsewhere), else undefined. */
export function activeContext(): Context | undefined {
  return tracingEnabled() ? context.active() : undefined;
}

/** The span context of a context, when it holds a valid one. */
export function spanContextOf(ctx: Context | undefined): SpanContext | undefined {
  const spanContext = ctx && trace.getSpanContext(ctx);
  return spanContext && isSpanContextValid(spanContext) ? spanContext : undefined;
}

/**
 * The W3C `traceparent` of the active span, to put into a job's data so that the job's trace
 * links to what enqueued it; undefined without an active span (tracing off, or none).
 */
export function currentTraceparent(): string | undefined {
  const spanContext = tracingEnabled() ? spanContextOf(context.active()) : undefined;
  if (!spanContext) return undefined;
  return `00-${spanContext.traceId}-${spanContext.spanId}-${(spanContext.traceFlags & 0xff).toString(16).padStart(2, "0")}`;
}

/** `{ traceparent }` of the active span, to spread into a job's data or an event's payload; {} without one. */
export function traceFields(): { traceparent?: string } {
  const traceparent = currentTraceparent();
  return traceparent ? { traceparent } : {};
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** A span link to the context a `traceparent` names (one in a job's data); undefined when malformed. */
export function linkTo(traceparent: unknown): Link | undefined {
  if (typeof traceparent !== "string") return undefined;
  const match = TRACEPARENT.exec(traceparent);
  if (!match) return undefined;
  const spanContext: SpanContext = { traceId: match[1]!, spanId: match[2]!, traceFlags: Number.parseInt(match[3]!, 16), isRemote: true };
  return isSpanContextValid(spanContext) ? { context: spanContext } : undefined;
}

/** Links to the distinct contexts these `traceparent`s name (a batch's sources), at most `max`. */
export function linksTo(traceparents: unknown[], max = 32): Link[] {
  const links = new Map<string, Link>();
  for (const traceparent of traceparents) {
    const link = linkTo(traceparent);
    if (link && links.size < max) links.set(link.context.spanId, link);
  }
  return [...links.values()];
}
