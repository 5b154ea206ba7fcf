// Retention: raw price snapshots and run records past their age are dropped; daily aggregates stay.
import { sql } from "drizzle-orm";
import { affectedRows, queryRows, type Db } from "@/db/client";
import { hasTimescale } from "@/db/migrate";

/** Rows per DELETE on plain PostgreSQL: short statements, so writers are never held up for long. */
const DELETE_BATCH = 5_000;

export interface RetentionResult {
  engine: "timescale" | "postgres";
  /** Chunks dropped (TimescaleDB) or rows deleted (PostgreSQL). */
  snapshots: number;
  providerCalls: number;
  runs: number;
  events: number;
}

/**
 * Drops price snapshots and provider calls observed before `cutoff`. On TimescaleDB whole
 * chunks go (drop_chunks); the continuous aggregate keeps the days it has materialised, since
 * its refresh window (7 days) never reaches that far back. On PostgreSQL rows are deleted in
 * batches with the daily rollup's recompute trigger told to stand aside (the setting
 * `flight_tracker.retention`), so the daily figures of those days are kept too. Ingestion runs
 * and outbox events older than `recordsCutoff` go as well.
 */
export async function dropExpiredHistory(db: Db, cutoff: Date, recordsCutoff: Date): Promise<RetentionResult> {
  const result: RetentionResult = { engine: "postgres", snapshots: 0, providerCalls: 0, runs: 0, events: 0 };
  if (await hasTimescale(db)) {
    result.engine = "timescale";
    // Whatever the aggregate has not materialised yet of what goes (a backfill, say) is first.
    await db.execute(sql`CALL refresh_continuous_aggregate('price_daily', NULL, ${cutoff.toISOString()}::timestamptz)`);
    for (const table of ["price_snapshot", "provider_call"] as const) {
      const rows = await queryRows(db, sql`SELECT drop_chunks(${table}::regclass, older_than => ${cutoff.toISOString()}::timestamptz)`);
      result[table === "price_snapshot" ? "snapshots" : "providerCalls"] = rows.length;
    }
  } else {
    result.snapshots = await deleteInBatches(db, sql`DELETE FROM price_snapshot WHERE ctid = ANY (ARRAY(SELECT ctid FROM price_snapshot WHERE observed_at < ${cutoff.toISOString()}::timestamptz LIMIT ${DELETE_BATCH}))`, true);
    result.providerCalls = await deleteInBatches(db, sql`DELETE FROM provider_call WHERE ctid = ANY (ARRAY(SELECT ctid FROM provider_call WHERE observed_at < ${cutoff.toISOString()}::timestamptz LIMIT ${DELETE_BATCH}))`, false);
  }
  result.runs = await deleteInBatches(db, sql`DELETE FROM ingestion_run WHERE id = ANY (ARRAY(SELECT id FROM ingestion_run WHERE started_at < ${recordsCutoff.toISOString()}::timestamptz LIMIT ${DELETE_BATCH}))`, false);
  result.events = await deleteInBatches(db, sql`DELETE FROM event_outbox WHERE id = ANY (ARRAY(SELECT id FROM event_outbox WHERE created_at < ${recordsCutoff.toISOString()}::timestamptz LIMIT ${DELETE_BATCH}))`, false);
  return result;
}

async function deleteInBatches(db: Db, statement: ReturnType<typeof sql>, keepRollup: boolean): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await db.transaction(async (tx) => {
      if (keepRollup) await tx.execute(sql`SELECT set_config('flight_tracker.retention', 'on', true)`);
      return affectedRows(await tx.execute(statement));
    });
    total += deleted;
    if (deleted < DELETE_BATCH) return total;
  }
}
