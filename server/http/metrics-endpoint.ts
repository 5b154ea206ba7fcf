import { queueDepths } from "@/db/queries/admin";
import { UnauthenticatedError } from "@/server/core/errors";
import { PGBOSS_SCHEMA } from "@/server/jobs/queue";
import { METRICS_CONTENT_TYPE, renderMetrics } from "@/server/observability/metrics";
import { METRICS_CHALLENGE, metricsAuthorized } from "@/server/observability/metrics-token";
import type { Db } from "@/db/client";
import { problemFor } from "./problem";

export interface MetricsEndpointDeps {
  /** METRICS_TOKEN: the bearer token a scrape must send; undefined: open. */
  token: string | undefined;
  /** The database, for the queues' depths (a failure leaves only them out). */
  db: () => Promise<Db>;
}

/** GET /api/metrics: this process's metrics in Prometheus's text format, behind the token when one is set. */
export async function handleMetrics(request: Request, deps: MetricsEndpointDeps): Promise<Response> {
  if (!metricsAuthorized(request.headers.get("authorization"), deps.token)) {
    const refusal = problemFor(new UnauthenticatedError("Send the metrics token (METRICS_TOKEN) as Authorization: Bearer <token>."));
    refusal.headers.set("WWW-Authenticate", METRICS_CHALLENGE);
    return refusal;
  }
  const body = await renderMetrics({ queueDepths: async () => queueDepths(await deps.db(), PGBOSS_SCHEMA) });
  return new Response(body, { headers: { "Content-Type": METRICS_CONTENT_TYPE, "Cache-Control": "no-store" } });
}
