import type { Database } from "@/db/client";
import { runTimescalePolicies } from "@/db/maintenance";
import { migrate } from "@/db/migrate";
import { loadReferenceData, referenceDataIsCurrent } from "@/db/seed/reference";
import { log } from "@/server/log";

/**
 * Makes a database ready for the app where this process is responsible for that: migrated and
 * holding the current reference data. The app context calls it always for the embedded engine,
 * and for a server when DATABASE_MIGRATE_ON_START is set.
 */
export async function prepareDatabase(database: Database): Promise<void> {
  const migrated = await migrate(database);
  if (migrated.applied.length > 0) log.info("database migrated", { applied: migrated.applied, engine: database.engine });
  if (!(await referenceDataIsCurrent(database.db))) {
    const counts = await loadReferenceData(database.db);
    log.info("reference data loaded", { ...counts });
  }
}

const MAINTENANCE_INTERVAL_MS = 15 * 60 * 1000;

/**
 * TimescaleDB's policy jobs (compression, aggregate refresh) for the embedded engine, which has
 * no background workers: now, then every 15 minutes. Returns the function that stops them.
 */
export function startEmbeddedMaintenance(database: Database): () => void {
  const run = () =>
    runTimescalePolicies(database.db)
      .then(({ failed }) => {
        for (const failure of failed) log.warn("timescaledb policy failed", { failure });
      })
      .catch((error: unknown) => log.warn("timescaledb maintenance failed", { err: error }));
  void run();
  const timer = setInterval(run, MAINTENANCE_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
