import { sql } from "drizzle-orm";
import { queryRows, type Database } from "@/db/client";
import { describeDatabaseFailure } from "@/db/describe-failure";
import { appliedMigrations, readMigrations } from "@/db/migrate";
import { referenceDataIsCurrent } from "@/db/seed/reference";
import { since, type Deadline, type DependencyHealth } from "./dependency";

export interface DatabaseHealth extends DependencyHealth {
  engine: Database["engine"] | null;
  location: string | null;
  reachable: boolean;
  serverVersion: string | null;
  timescaledb: { installed: boolean; version: string | null };
  migrations: { latest: string | null; applied: number; pending: string[] };
  referenceDataLoaded: boolean;
}

/**
 * Whether the app can serve from its database: it answers, and its schema is the one this build
 * expects (no migration pending). `opened` is the database as the app opens it (migrated where
 * this process is responsible for that). Anything else is "down", with the setting to change.
 */
export async function checkDatabase(
  opened: Promise<Database>,
  deadline: Deadline,
  target?: { engine: Database["engine"]; location: string },
): Promise<DatabaseHealth> {
  const health: DatabaseHealth = {
    status: "down",
    latencyMs: null,
    error: null,
    note: null,
    engine: target?.engine ?? null,
    location: target?.location ?? null,
    reachable: false,
    serverVersion: null,
    timescaledb: { installed: false, version: null },
    migrations: { latest: null, applied: 0, pending: [] },
    referenceDataLoaded: false,
  };
  try {
    const handle = await deadline.race(opened, "Opening the database");
    health.engine = handle.engine;
    health.location = handle.location;
    const started = performance.now();
    const [info] = await deadline.race(
      queryRows<{ version: string; timescale: string | null }>(
        handle.db,
        sql`SELECT current_setting('server_version') AS version,
                   (SELECT extversion FROM pg_extension WHERE extname = 'timescaledb') AS timescale`,
      ),
      "The database check",
    );
    health.latencyMs = since(started);
    health.reachable = true;
    health.serverVersion = info?.version ?? null;
    health.timescaledb = { installed: info?.timescale != null, version: info?.timescale ?? null };

    const known = readMigrations();
    const applied = await deadline.race(appliedMigrations(handle.db, known), "Reading the applied migrations");
    const appliedTimes = new Set(applied.map((m) => m.createdAt));
    health.migrations = {
      latest: applied.at(-1)?.tag ?? null,
      applied: applied.length,
      pending: known.filter((m) => !appliedTimes.has(m.createdAt)).map((m) => m.tag),
    };
    if (health.migrations.pending.length > 0) {
      health.error =
        `${health.migrations.pending.length} migration(s) pending (${health.migrations.pending.join(", ")}): ` +
        "run `npm run db:migrate`, or set DATABASE_MIGRATE_ON_START=true";
    } else {
      health.referenceDataLoaded = await deadline.race(referenceDataIsCurrent(handle.db), "Reading the reference data's version");
      if (!health.referenceDataLoaded) health.note = "The reference data (airports, airlines) is not loaded or not current: run `npm run db:seed`.";
      health.status = "ok";
    }
  } catch (error) {
    health.error = describeDatabaseFailure(health.engine ?? "unknown", health.location, error);
  }
  return health;
}
