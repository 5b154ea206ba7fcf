import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { queryRows, type Database } from "@/db/client";
import { appliedMigrations, defaultMigrationsFolder, migrate, MigrationError, readMigrations } from "@/db/migrate";
import { createTestDatabase, ENGINES, skipEngine, type EngineName } from "@/test/engines";
import { startUnpreloadedTimescale, unpreloadedTimescaleUnavailable } from "@/test/timescale-servers";

const expectedDailyColumns = [
  ["day", "timestamp with time zone"],
  ["origin", "text"],
  ["destination", "text"],
  ["departure_date", "date"],
  ["return_date", "date"],
  ["cabin", "USER-DEFINED"],
  ["currency", "text"],
  ["min_price_minor", "bigint"],
  ["avg_price_minor", "numeric"],
  ["max_price_minor", "bigint"],
  ["sample_count", "bigint"],
];

async function columns(database: Database, table: string) {
  const rows = await queryRows<{ column_name: string; data_type: string }>(
    database.db,
    `SELECT column_name, data_type FROM information_schema.columns
     WHERE table_schema = 'public' AND table_name = '${table}' ORDER BY ordinal_position`,
  );
  return rows.map((r) => [r.column_name, r.data_type]);
}

async function relkind(database: Database, name: string) {
  const rows = await queryRows<{ relkind: string }>(database.db, `SELECT relkind FROM pg_class WHERE oid = to_regclass('public.${name}')`);
  return rows[0]?.relkind ?? null;
}

/** A copy of the real migrations plus extra files, for failure tests. */
function migrationsWith(extra: { tag: string; sql: string }[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ft-migrations-"));
  fs.cpSync(defaultMigrationsFolder, dir, { recursive: true });
  const journalPath = path.join(dir, "meta", "_journal.json");
  const journal = JSON.parse(fs.readFileSync(journalPath, "utf8")) as { entries: { idx: number; when: number; tag: string }[] };
  let when = Math.max(...journal.entries.map((e) => e.when));
  for (const migration of extra) {
    when += 1000;
    journal.entries.push({ idx: journal.entries.length, when, tag: migration.tag });
    fs.writeFileSync(path.join(dir, `${migration.tag}.sql`), migration.sql);
  }
  fs.writeFileSync(journalPath, JSON.stringify(journal));
  return dir;
}

const open: Database[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((d) => d.close()));
});

async function fresh(engine: EngineName) {
  const database = await createTestDatabase(engine);
  open.push(database);
  return database;
}

/** Every migration this build ships, in order. */
const ALL = ["0000_init", "0001_timescale", "0002_provider_calls", "0003_provider_calls_timescale", "0004_auth", "0005_session_seen", "0006_tracking", "0007_alerts", "0008_admin"];

describe("readMigrations", () => {
  it("reads drizzle-kit's journal in order, with statements split at the breakpoints", () => {
    const migrations = readMigrations();
    expect(migrations.map((m) => m.tag)).toEqual(ALL);
    expect(migrations[0]!.statements.some((s) => s.startsWith('CREATE TABLE "price_snapshot"'))).toBe(true);
    expect(migrations[1]!.statements).toHaveLength(3);
    expect(migrations[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
  });
});

for (const engine of ENGINES) {
  describe.skipIf(skipEngine(engine))(`migrate [${engine}]`, () => {
    it("applies every migration once, then nothing", async () => {
      const database = await fresh(engine);
      const first = await migrate(database);
      expect(first.applied).toEqual(ALL);
      expect(first.latest).toBe(ALL.at(-1));
      const second = await migrate(database);
      expect(second.applied).toEqual([]);
      expect((await appliedMigrations(database.db)).map((m) => m.tag)).toEqual(ALL);
    });

    it("gives price_snapshot and price_daily the same columns on every engine", async () => {
      const database = await fresh(engine);
      await migrate(database);
      expect(await columns(database, "price_daily")).toEqual(expectedDailyColumns);
      const snapshot = await columns(database, "price_snapshot");
      expect(snapshot.slice(0, 3)).toEqual([
        ["observed_at", "timestamp with time zone"],
        ["query_id", "bigint"],
        ["provider", "text"],
      ]);
      expect(snapshot).toHaveLength(24);
      expect(snapshot).toContainEqual(["simulated", "boolean"]);
    });

    it("stops at a failing migration, names it, and leaves the schema as it was", async () => {
      const database = await fresh(engine);
      await migrate(database);
      const folder = migrationsWith([
        { tag: "0002_good", sql: "CREATE TABLE should_not_survive (id int);" },
        {
          tag: "0003_broken",
          sql: "ALTER TABLE airport ADD COLUMN also_rolled_back int;\n--> statement-breakpoint\nALTER TABLE no_such_table ADD COLUMN x int;",
        },
      ]);
      const failure = await migrate(database, { folder }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(MigrationError);
      expect((failure as Error).message).toMatch(/0003_broken failed at statement 2 of 2/);
      expect((failure as Error).message).toMatch(/no_such_table/);
      expect((failure as Error).message).toMatch(/schema is as it was/);
      expect(await relkind(database, "should_not_survive")).toBeNull();
      expect((await columns(database, "airport")).map(([name]) => name)).not.toContain("also_rolled_back");
      expect((await appliedMigrations(database.db)).map((m) => m.tag)).toEqual(ALL);
    });
  });
}

for (const engine of ["embedded", "timescale"] as const) {
describe.skipIf(skipEngine(engine))(`migrate [${engine}]: the TimescaleDB objects`, () => {
  it("makes price_snapshot a compressed hypertable and price_daily a real-time continuous aggregate", async () => {
    const database = await fresh(engine);
    await migrate(database);
    const hypertables = await queryRows<{ hypertable_name: string; compression_enabled: boolean; primary_dimension: string }>(
      database.db,
      "SELECT hypertable_name, compression_enabled, primary_dimension FROM timescaledb_information.hypertables WHERE hypertable_schema = 'public' ORDER BY hypertable_name",
    );
    expect(hypertables).toEqual([
      { hypertable_name: "price_snapshot", compression_enabled: true, primary_dimension: "observed_at" },
      { hypertable_name: "provider_call", compression_enabled: true, primary_dimension: "observed_at" },
    ]);

    const [dimension] = await queryRows<{ time_interval: string }>(
      database.db,
      "SELECT time_interval::text AS time_interval FROM timescaledb_information.dimensions WHERE hypertable_name = 'price_snapshot'",
    );
    expect(dimension?.time_interval).toBe("7 days");

    const [compression] = await queryRows<{ segmentby: string; orderby: string }>(
      database.db,
      "SELECT segmentby, orderby FROM timescaledb_information.hypertable_compression_settings WHERE hypertable = 'price_snapshot'::regclass",
    );
    expect(compression).toEqual({ segmentby: "origin,destination", orderby: "departure_date,observed_at DESC,query_id,provider,itinerary_key" });
    const [calls] = await queryRows<{ segmentby: string; orderby: string }>(
      database.db,
      "SELECT segmentby, orderby FROM timescaledb_information.hypertable_compression_settings WHERE hypertable = 'provider_call'::regclass",
    );
    expect(calls).toEqual({ segmentby: "provider", orderby: "observed_at DESC,query_id" });

    const jobs = await queryRows<{ proc_name: string; hypertable_name: string; config: Record<string, unknown> | string }>(
      database.db,
      "SELECT proc_name, hypertable_name, config FROM timescaledb_information.jobs WHERE hypertable_name IS NOT NULL ORDER BY proc_name, hypertable_name",
    );
    const config = (row: (typeof jobs)[number]) => (typeof row.config === "string" ? JSON.parse(row.config) : row.config);
    expect(jobs.map((j) => [j.proc_name, j.hypertable_name])).toEqual([
      ["policy_compression", "price_snapshot"],
      ["policy_compression", "provider_call"],
      ["policy_refresh_continuous_aggregate", "price_daily"],
    ]);
    expect(config(jobs[0]!)).toMatchObject({ compress_after: "7 days" });
    expect(config(jobs[1]!)).toMatchObject({ compress_after: "7 days" });
    expect(config(jobs[2]!)).toMatchObject({ start_offset: "7 days", end_offset: "01:00:00" });

    const [aggregate] = await queryRows<{ view_name: string; materialized_only: boolean }>(
      database.db,
      "SELECT view_name, materialized_only FROM timescaledb_information.continuous_aggregates",
    );
    expect(aggregate).toEqual({ view_name: "price_daily", materialized_only: false });
  });
});
}

describe.skipIf(skipEngine("server"))("migrate [server]: plain PostgreSQL", () => {
  it("builds plain relations when TimescaleDB is not there", async () => {
    const database = await fresh("server");
    await migrate(database);
    const extensions = await queryRows<{ extname: string }>(database.db, "SELECT extname FROM pg_extension");
    expect(extensions.map((e) => e.extname)).not.toContain("timescaledb");
    expect(await relkind(database, "price_snapshot")).toBe("r");
    expect(await relkind(database, "price_daily")).toBe("v");
    expect(await relkind(database, "price_snapshot_observed_at_idx")).toBe("i");
    expect(await relkind(database, "price_snapshot_route_departure_idx")).toBe("i");
    // The view reads a rollup kept current by triggers, the stand-in for a continuous aggregate.
    expect(await relkind(database, "price_daily_rollup")).toBe("r");
    const triggers = await queryRows<{ tgname: string }>(
      database.db,
      "SELECT tgname FROM pg_trigger WHERE tgrelid = 'price_snapshot'::regclass AND NOT tgisinternal ORDER BY tgname",
    );
    expect(triggers.map((t) => t.tgname)).toEqual([
      "price_snapshot_rollup_delete",
      "price_snapshot_rollup_insert",
      "price_snapshot_rollup_truncate",
      "price_snapshot_rollup_update_new",
      "price_snapshot_rollup_update_old",
    ]);
  });

  it("lets concurrent instances start together: one migrates, the other waits and finds nothing to do", async () => {
    const database = await fresh("server");
    const { openServer } = await import("@/db/client");
    const second = await openServer({ url: (database as { url?: string }).url!, poolMax: 2 });
    open.push(second);
    const results = await Promise.all([migrate(database), migrate(second)]);
    expect(results.map((r) => r.applied.length).sort()).toEqual([0, ALL.length]);
    expect(results.every((r) => r.latest === ALL.at(-1))).toBe(true);
  });
});

// A server whose installation has TimescaleDB but does not preload it: there CREATE EXTENSION
// ends the connection (a FATAL no exception handler catches), so the migration must not try.
describe.skipIf(unpreloadedTimescaleUnavailable() !== null && !process.env.CI)("migrate [server with TimescaleDB installed, not preloaded]", () => {
  it("falls back to plain relations instead of losing the connection", async () => {
    const server = await startUnpreloadedTimescale();
    try {
      const { openServer } = await import("@/db/client");
      const database = await openServer({ url: server.url, poolMax: 2 });
      open.push(database);
      const [available] = await queryRows<{ n: number }>(database.db, "SELECT count(*)::int AS n FROM pg_available_extensions WHERE name = 'timescaledb'");
      expect(available!.n).toBe(1);
      expect((await migrate(database)).latest).toBe(ALL.at(-1));
      const extensions = await queryRows<{ extname: string }>(database.db, "SELECT extname FROM pg_extension");
      expect(extensions.map((e) => e.extname)).not.toContain("timescaledb");
      expect(await relkind(database, "price_daily")).toBe("v");
    } finally {
      await Promise.all(open.splice(0).map((d) => d.close().catch(() => {})));
      await server.stop();
    }
  });
});
