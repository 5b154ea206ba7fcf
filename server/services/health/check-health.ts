import { sql } from "drizzle-orm";
import { queryRows, type Database } from "@/db/client";
import { describeDatabaseFailure } from "@/db/describe-failure";
import { appliedMigrations, readMigrations } from "@/db/migrate";
import { referenceDataIsCurrent } from "@/db/seed/reference";
import packageJson from "@/package.json";
import { metrics, type Metrics } from "@/server/metrics";

export interface DatabaseHealth {
  engine: Database["engine"] | null;
  location: string | null;
  reachable: boolean;
  latencyMs: number | null;
  serverVersion: string | null;
  timescaledb: { installed: boolean; version: string | null };
  migrations: { latest: string | null; applied: number; pending: string[] };
  referenceDataLoaded: boolean;
  error: string | null;
}

export interface HealthReport {
  status: "ok" | "unavailable";
  version: string;
  time: string;
  uptimeSeconds: number;
  database: DatabaseHealth;
  /** Counters of this process since it started (searches, cache, snapshot writes, limits). */
  counters: Metrics;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Whether the app can serve: the database answers and its schema is the one this build
 * expects. `open` yields the database (already migrated where this process is responsible
 * for that); any failure there, or a pending migration, makes the report "unavailable".
 */
export async function checkHealth(
  open: () => Promise<Database>,
  options: { timeoutMs?: number; describeTarget?: { engine: Database["engine"]; location: string } } = {},
): Promise<HealthReport> {
  const timeoutMs = options.timeoutMs ?? 8000;
  const database: DatabaseHealth = {
    engine: options.describeTarget?.engine ?? null,
    location: options.describeTarget?.location ?? null,
    reachable: false,
    latencyMs: null,
    serverVersion: null,
    timescaledb: { installed: false, version: null },
    migrations: { latest: null, applied: 0, pending: [] },
    referenceDataLoaded: false,
    error: null,
  };
  try {
    const handle = await withTimeout(open(), timeoutMs, "Opening the database");
    database.engine = handle.engine;
    database.location = handle.location;
    const started = performance.now();
    const [info] = await withTimeout(
      queryRows<{ version: string; timescale: string | null }>(
        handle.db,
        sql`SELECT current_setting('server_version') AS version,
                   (SELECT extversion FROM pg_extension WHERE extname = 'timescaledb') AS timescale`,
      ),
      timeoutMs,
      "The database check",
    );
    database.latencyMs = Math.round((performance.now() - started) * 10) / 10;
    database.reachable = true;
    database.serverVersion = info?.version ?? null;
    database.timescaledb = { installed: info?.timescale != null, version: info?.timescale ?? null };

    const known = readMigrations();
    const applied = await appliedMigrations(handle.db, known);
    const appliedTimes = new Set(applied.map((m) => m.createdAt));
    database.migrations = {
      latest: applied.at(-1)?.tag ?? null,
      applied: applied.length,
      pending: known.filter((m) => !appliedTimes.has(m.createdAt)).map((m) => m.tag),
    };
    if (database.migrations.pending.length > 0) {
      database.error =
        `${database.migrations.pending.length} migration(s) pending (${database.migrations.pending.join(", ")}): ` +
        "run `npm run db:migrate`, or set DATABASE_MIGRATE_ON_START=true";
    } else {
      database.referenceDataLoaded = await referenceDataIsCurrent(handle.db);
    }
  } catch (error) {
    database.error = describeDatabaseFailure(database.engine ?? "unknown", database.location, error);
  }
  return {
    status: database.reachable && database.migrations.pending.length === 0 && !database.error ? "ok" : "unavailable",
    version: packageJson.version,
    time: new Date().toISOString(),
    uptimeSeconds: Math.round(process.uptime()),
    database,
    counters: { ...metrics },
  };
}
