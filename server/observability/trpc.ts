import { SpanStatusCode } from "@opentelemetry/api";
import { prom, secondsSince } from "./metrics";
import { withSpan } from "./tracing";

interface CallResult {
  ok: boolean;
  error?: { code: string };
}

/**
 * One tRPC procedure call, traced (`trpc <path>`) and counted by result code. The procedure's
 * path is a bounded label: only procedures that exist reach a middleware.
 */
export async function observeProcedure<R extends CallResult>(path: string, type: string, next: () => Promise<R>): Promise<R> {
  const started = performance.now();
  const result = await withSpan(`trpc ${path}`, { "rpc.system": "trpc", "rpc.method": path }, async (span) => {
    const outcome = await next();
    if (!outcome.ok) span.setStatus({ code: SpanStatusCode.ERROR, message: outcome.error?.code });
    return outcome;
  });
  prom.trpcCalls.inc({ procedure: path, type, code: result.ok ? "OK" : (result.error?.code ?? "UNKNOWN") });
  prom.trpcDuration.observe({ procedure: path, type }, secondsSince(started));
  return result;
}
