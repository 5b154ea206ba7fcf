// Reads of the health endpoint (server/services/health): small, indexed, bounded, since it is
// polled by load balancers and monitors.
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { queueTablesExist } from "@/db/queries/job-queue";

export interface RecentProviderCall {
  provider: string;
  at: string;
  status: "ok" | "error" | "timeout" | "circuit_open";
  latencyMs: number;
  error: string | null;
  /** Within `windowMinutes` of the database's clock. */
  recent: boolean;
}

/**
 * The latest `perProvider` calls of each provider (any instance, live or scheduled), newest
 * first: one index range scan (provider, observed_at) per provider.
 */
export async function latestProviderCalls(db: Db, providers: string[], options: { perProvider: number; windowMinutes: number }): Promise<RecentProviderCall[]> {
  if (providers.length === 0) return [];
  const rows = await queryRows<{ provider: string; observed_at: string | Date; status: RecentProviderCall["status"]; latency_ms: number; error: string | null; recent: boolean }>(
    db,
    sql`SELECT p.provider, c.observed_at, c.status, c.latency_ms, c.error, c.observed_at >= now() - make_interval(mins => ${options.windowMinutes}::int) AS recent
        FROM json_array_elements_text(${JSON.stringify(providers)}::json) AS p(provider)
        CROSS JOIN LATERAL (
          SELECT observed_at, status, latency_ms, error FROM provider_call
          WHERE provider = p.provider ORDER BY observed_at DESC LIMIT ${options.perProvider}
        ) c
        ORDER BY p.provider, c.observed_at DESC`,
  );
  return rows.map((r) => ({
    provider: r.provider,
    at: new Date(r.observed_at).toISOString(),
    status: r.status,
    latencyMs: Number(r.latency_ms),
    error: r.error,
    recent: Boolean(r.recent),
  }));
}

/**
 * How long the oldest job that is due has waited to be taken, in seconds (0 when none waits),
 * over every queue but `exclude` (dead-letter queues, which no worker takes from); null when
 * pg-boss's tables are not there (no worker has started on this database yet).
 */
export async function oldestDueJobSeconds(db: Db, schema: string, exclude: string[]): Promise<number | null> {
  if (!(await queueTablesExist(db, schema))) return null;
  const [row] = await queryRows<{ seconds: number | string | null }>(
    db,
    sql`SELECT extract(epoch FROM now() - min(start_after))::float8 AS seconds FROM ${sql.identifier(schema)}.job
        WHERE state IN ('created', 'retry') AND start_after <= now() AND left(name, 8) <> '__pgboss'
          AND name NOT IN (SELECT value FROM json_array_elements_text(${JSON.stringify(exclude)}::json))`,
  );
  return row?.seconds == null ? 0 : Math.max(0, Math.round(Number(row.seconds)));
}
