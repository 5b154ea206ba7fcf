import { sql } from "drizzle-orm";
import { bigint, check, index, integer, pgTable, primaryKey, smallint, text, timestamp } from "drizzle-orm/pg-core";
import { flightQuery } from "./prices";

// The same list as RECORDED_PROVIDER_STATUSES in server/core/provider-report.ts (a test checks).
export const providerStatusValues = ["ok", "error", "timeout", "circuit_open"] as const;

/**
 * One provider call of one fan-out (a live search or, later, scheduled ingestion): how the
 * provider did, written in the same transaction as the prices it found. Provider health (calls,
 * error rate, timeouts, latency percentiles) is read from here, so it holds across instances
 * and restarts. A hypertable on `observed_at` with TimescaleDB (see the hand-written migration).
 */
export const providerCall = pgTable(
  "provider_call",
  {
    observedAt: timestamp("observed_at", { withTimezone: true }).notNull(),
    queryId: bigint("query_id", { mode: "number" })
      .notNull()
      .references(() => flightQuery.id, { onDelete: "cascade" }),
    provider: text("provider").notNull(),
    status: text("status", { enum: providerStatusValues }).notNull(),
    latencyMs: integer("latency_ms").notNull(),
    offerCount: integer("offer_count").notNull(),
    /** Calls made, retries included; 0 when the circuit breaker skipped the provider. */
    attempts: smallint("attempts").notNull(),
    error: text("error"),
  },
  (t) => [
    // The time column is part of every unique key of a hypertable.
    primaryKey({ name: "provider_call_pk", columns: [t.queryId, t.provider, t.observedAt] }),
    index("provider_call_provider_observed_at_idx").on(t.provider, t.observedAt),
    // The admin console's figures over the last hour and day, all providers at once. TimescaleDB
    // makes this very index with the hypertable (its default time index): the migration creates it
    // IF NOT EXISTS, so that only plain PostgreSQL gets it from there.
    index("provider_call_observed_at_idx").on(t.observedAt.desc()),
    check("provider_call_status_check", sql`${t.status} IN ('ok', 'error', 'timeout', 'circuit_open')`),
    check("provider_call_counts_check", sql`${t.latencyMs} >= 0 AND ${t.offerCount} >= 0 AND ${t.attempts} >= 0`),
  ],
);
