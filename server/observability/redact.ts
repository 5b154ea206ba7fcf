import type { Context } from "@opentelemetry/api";
import type { ReadableSpan, Span, SpanProcessor } from "@opentelemetry/sdk-trace-base";

/** Span attributes that hold a URL or its query string (Next.js's request spans, fetch spans). */
const URL_ATTRIBUTES = ["http.target", "http.url", "url.full", "url.query", "next.url"];

/** A URL without its query string, which may carry one-time tokens (sign-in links, unsubscribe links) or a query's input. */
export function withoutQuery(value: string): string {
  const at = value.indexOf("?");
  return at === -1 ? value : `${value.slice(0, at)}?[redacted]`;
}

function redact(attributes: Record<string, unknown>): void {
  for (const key of URL_ATTRIBUTES) {
    const value = attributes[key];
    if (typeof value === "string") attributes[key] = key === "url.query" ? "[redacted]" : withoutQuery(value);
  }
}

/**
 * Runs before the exporting processor and takes query strings out of the URLs spans record, so
 * no token or user input in a URL leaves the process in a trace. Attributes given at a span's
 * start are rewritten there; any set later, when it ends (the exporting processor, registered
 * after this one, sees the result).
 */
export class RedactUrlQueries implements SpanProcessor {
  onStart(span: Span, _context: Context): void {
    const attributes: Record<string, unknown> = {};
    for (const key of URL_ATTRIBUTES) {
      const value = span.attributes[key];
      if (typeof value === "string") attributes[key] = value;
    }
    redact(attributes);
    if (Object.keys(attributes).length) span.setAttributes(attributes as Record<string, string>);
  }

  onEnd(span: ReadableSpan): void {
    redact(span.attributes as Record<string, unknown>);
  }

  async forceFlush(): Promise<void> {}

  async shutdown(): Promise<void> {}
}
