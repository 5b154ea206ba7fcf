import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { queryRows, type Database, type Db } from "@/db/client";

/**
 * Applies drizzle-kit's SQL migrations (db/migrations). Compared with drizzle's own migrator it
 * takes an advisory lock, so app instances starting together migrate once; it names the
 * migration and statement that failed; and it runs what TimescaleDB forbids inside a
 * transaction (the first refresh of a continuous aggregate) after the commit. Applied
 * migrations are recorded in drizzle's table and format, so `drizzle-kit migrate` agrees.
 */

export const defaultMigrationsFolder = path.join(process.cwd(), "db", "migrations");

export interface Migration {
  tag: string;
  /** drizzle-kit's journal timestamp: the migration's identity in the migrations table. */
  createdAt: number;
  hash: string;
  statements: string[];
}

export interface AppliedMigration {
  /** From the journal; null for a migration this build does not know (a newer app applied it). */
  tag: string | null;
  createdAt: number;
}

export interface MigrationResult {
  applied: string[];
  latest: string | null;
}

export class MigrationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "MigrationError";
  }
}

interface Journal {
  entries: { idx: number; when: number; tag: string }[];
}

const readByFolder = new Map<string, Migration[]>();

/** The migrations of a folder, read once per process (the health check asks on every call). */
export function readMigrations(folder = defaultMigrationsFolder): Migration[] {
  let migrations = readByFolder.get(folder);
  if (!migrations) readByFolder.set(folder, (migrations = readMigrationFiles(folder)));
  return migrations;
}

function readMigrationFiles(folder: string): Migration[] {
  const journalPath = path.join(folder, "meta", "_journal.json");
  let journal: Journal;
  try {
    journal = JSON.parse(fs.readFileSync(journalPath, "utf8")) as Journal;
  } catch (error) {
    throw new MigrationError(`Cannot read the migration journal ${journalPath}`, { cause: error });
  }
  return journal.entries
    .toSorted((a, b) => a.idx - b.idx)
    .map((entry) => {
      const text = fs.readFileSync(path.join(folder, `${entry.tag}.sql`), "utf8");
      return {
        tag: entry.tag,
        createdAt: entry.when,
        hash: crypto.createHash("sha256").update(text).digest("hex"),
        statements: text
          .split("--> statement-breakpoint")
          .map((statement) => statement.trim())
          .filter((statement) => stripComments(statement).length > 0),
      };
    });
}

function stripComments(statement: string): string {
  return statement.replace(/^\s*--.*$/gm, "").trim();
}

// Any constant shared by every instance of the app; "fltr" in ASCII.
const MIGRATION_LOCK_KEY = 0x666c7472;

/** Creating these is not safe against a concurrent creator: call it under the migration lock. */
async function ensureMigrationsTable(db: Db) {
  await db.execute(sql.raw(`CREATE SCHEMA IF NOT EXISTS drizzle`));
  await db.execute(
    sql.raw(`CREATE TABLE IF NOT EXISTS drizzle.__drizzle_migrations (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)`),
  );
}

/** Migrations recorded in the database, newest last, named from the journal where known. */
export async function appliedMigrations(db: Db, migrations = readMigrations()): Promise<AppliedMigration[]> {
  const exists = await queryRows<{ present: boolean }>(
    db,
    sql`SELECT to_regclass('drizzle.__drizzle_migrations') IS NOT NULL AS present`,
  );
  if (!exists[0]?.present) return [];
  const rows = await queryRows<{ created_at: string | number }>(
    db,
    sql`SELECT created_at FROM drizzle.__drizzle_migrations ORDER BY created_at`,
  );
  const byTime = new Map(migrations.map((m) => [m.createdAt, m.tag]));
  return rows.map((row) => {
    const createdAt = Number(row.created_at);
    return { tag: byTime.get(createdAt) ?? null, createdAt };
  });
}

export async function migrate(database: Database, options: { folder?: string } = {}): Promise<MigrationResult> {
  const migrations = readMigrations(options.folder);
  const { db } = database;

  const applied: Migration[] = [];
  try {
    await db.transaction(async (tx) => {
      // Held until commit: a second instance waits here, then finds nothing left to do.
      await tx.execute(sql`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`);
      await ensureMigrationsTable(tx as unknown as Db);
      const last = await queryRows<{ created_at: string | number | null }>(
        tx as unknown as Db,
        sql`SELECT max(created_at) AS created_at FROM drizzle.__drizzle_migrations`,
      );
      const lastApplied = last[0]?.created_at == null ? -1 : Number(last[0].created_at);
      for (const migration of migrations) {
        if (migration.createdAt <= lastApplied) continue;
        for (const [index, statement] of migration.statements.entries()) {
          try {
            await tx.execute(sql.raw(statement));
          } catch (error) {
            throw new MigrationError(
              `Migration ${migration.tag} failed at statement ${index + 1} of ${migration.statements.length} ` +
                `(${firstLine(statement)}): ${describeError(error)}. Nothing was applied; the schema is as it was.`,
              { cause: error },
            );
          }
        }
        await tx.execute(
          sql`INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES (${migration.hash}, ${migration.createdAt})`,
        );
        applied.push(migration);
      }
    });
  } catch (error) {
    if (error instanceof MigrationError) throw error;
    throw new MigrationError(`Migrating the database failed: ${describeError(error)}`, { cause: error });
  }

  if (applied.length > 0) await refreshContinuousAggregates(db);
  const latest = (await appliedMigrations(db, migrations)).at(-1);
  return { applied: applied.map((m) => m.tag), latest: latest?.tag ?? null };
}

/**
 * Materialises every continuous aggregate up to an hour ago, as the refresh policy does, so the
 * current day stays in the real-time part and later writes to it show at once. (Writes into an
 * already materialised day, such as a backfill, show after the next refresh.) Must run outside
 * a transaction.
 */
export async function refreshContinuousAggregates(db: Db): Promise<void> {
  if (!(await hasTimescale(db))) return;
  const views = await queryRows<{ view: string }>(
    db,
    sql`SELECT format('%I.%I', view_schema, view_name) AS view FROM timescaledb_information.continuous_aggregates`,
  );
  for (const { view } of views) {
    await db.execute(sql`CALL refresh_continuous_aggregate(${view}::regclass, NULL, now() - INTERVAL '1 hour')`);
  }
}

export async function hasTimescale(db: Db): Promise<boolean> {
  const rows = await queryRows<{ present: boolean }>(
    db,
    sql`SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') AS present`,
  );
  return rows[0]?.present === true;
}

function firstLine(statement: string): string {
  const line = stripComments(statement).split("\n")[0]?.trim() ?? "";
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}

export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // drizzle wraps driver errors as "Failed query: <sql>"; the driver's message is in .cause.
  if (error.cause instanceof Error && error.message.startsWith("Failed query")) return describeError(error.cause);
  // postgres.js and PGlite put the server's message in .message; postgres.js connection
  // errors carry the useful part (ECONNREFUSED, ...) in .code.
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
}
