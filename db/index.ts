import { openEmbedded, openServer, type Database } from "@/db/client";
import { runTimescalePolicies } from "@/db/maintenance";
import { migrate } from "@/db/migrate";
import { loadReferenceData, referenceDataIsCurrent } from "@/db/seed/reference";
import { env } from "@/server/env";
import { log } from "@/server/log";

export type { Database, Db } from "@/db/client";

interface Holder {
  database?: Promise<Database>;
  ready?: Promise<Database>;
  maintenance?: NodeJS.Timeout;
}

// Kept on globalThis so that Next.js dev reloads reuse one database instead of opening another.
const holder: Holder = ((globalThis as { __flightTrackerDb?: Holder }).__flightTrackerDb ??= {});

const MAINTENANCE_INTERVAL_MS = 15 * 60 * 1000;

/** The configured database, opened once per process. Server connections are made on first use. */
export function getDatabase(): Promise<Database> {
  holder.database ??= (
    env.DATABASE_URL
      ? openServer({ url: env.DATABASE_URL, poolMax: env.DATABASE_POOL_MAX, connectTimeoutSeconds: env.DATABASE_CONNECT_TIMEOUT })
      : openEmbedded({ dataDir: env.EMBEDDED_DATABASE_DIR })
  ).catch((error: unknown) => {
    holder.database = undefined;
    throw error;
  });
  return holder.database;
}

/**
 * The database, migrated and holding reference data where this process is responsible for that:
 * always for the embedded engine, and for a server when DATABASE_MIGRATE_ON_START is set.
 * A failure is reported to the caller (the health check shows it) and retried on the next call.
 */
export function getReadyDatabase(): Promise<Database> {
  holder.ready ??= prepare().catch((error: unknown) => {
    holder.ready = undefined;
    throw error;
  });
  return holder.ready;
}

async function prepare(): Promise<Database> {
  const database = await getDatabase();
  const embedded = database.engine === "embedded";
  if (embedded || env.DATABASE_MIGRATE_ON_START) {
    const migrated = await migrate(database);
    if (migrated.applied.length > 0) log.info("database migrated", { applied: migrated.applied, engine: database.engine });
    if (!(await referenceDataIsCurrent(database.db))) {
      const counts = await loadReferenceData(database.db);
      log.info("reference data loaded", { ...counts });
    }
  }
  if (embedded) startEmbeddedMaintenance(database);
  return database;
}

function startEmbeddedMaintenance(database: Database) {
  if (holder.maintenance) return;
  const run = () =>
    runTimescalePolicies(database.db)
      .then(({ failed }) => {
        for (const failure of failed) log.warn("timescaledb policy failed", { failure });
      })
      .catch((error: unknown) => log.warn("timescaledb maintenance failed", { err: error }));
  void run();
  holder.maintenance = setInterval(run, MAINTENANCE_INTERVAL_MS);
  holder.maintenance.unref();
}

/** Closes the process's database (scripts and tests; the app keeps it for its lifetime). */
export async function closeDatabase(): Promise<void> {
  if (holder.maintenance) clearInterval(holder.maintenance);
  holder.maintenance = undefined;
  const pending = holder.database;
  holder.database = undefined;
  holder.ready = undefined;
  if (pending) await (await pending).close();
}
