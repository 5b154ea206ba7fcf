import { SpanKind, type Link } from "@opentelemetry/api";
import { prom, secondsSince } from "./metrics";
import { linkTo, withSpan } from "./tracing";

/**
 * Runs one job of `queue`: counted by outcome with its duration in the metrics, and traced as a
 * trace of its own (`job <queue>`) linked to the span that enqueued it, whose `traceparent` the
 * job's data carries (traceFields() when it was enqueued), so a job's trace leads back to the
 * search, request or scheduler tick that caused it without making it part of that trace.
 */
export async function runJob<T>(queue: string, data: unknown, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  let outcome: "completed" | "failed" = "failed";
  try {
    const link = linkTo((data as { traceparent?: unknown } | null | undefined)?.traceparent);
    const links: Link[] = link ? [link] : [];
    const result = await withSpan(`job ${queue}`, { "messaging.system": "pg-boss", "messaging.destination.name": queue }, () => run(), { root: true, kind: SpanKind.CONSUMER, links });
    outcome = "completed";
    return result;
  } finally {
    prom.jobs.inc({ queue, outcome });
    prom.jobDuration.observe({ queue, outcome }, secondsSince(started));
  }
}
