import type { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { sql, type SQL, type SQLWrapper } from "drizzle-orm";
import type { Sql } from "postgres";
import * as schema from "@/db/schema";
import { acquireDirectoryLock, type DirectoryLock } from "@/db/lock";

/** The drizzle database both engines expose: application code is written against this only. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export type EngineKind = "embedded" | "server";

export interface Database {
  readonly engine: EngineKind;
  readonly db: Db;
  /** Where the data lives, safe to print: a folder, "memory", or the server URL without password. */
  readonly location: string;
  /** The server's URL, credentials included (for the job queue's own pool); never log it. */
  readonly url?: string;
  /**
   * The embedded engine's one connection for libraries that bring their own SQL (the pg-boss job
   * queue): text with positional parameters ($1...), or without parameters several statements
   * (a transaction). A server has no such thing: those libraries open their own pool at `url`.
   */
  executeSql?(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  close(): Promise<void>;
}

export interface EmbeddedOptions {
  /** A folder to keep the data in, or undefined for an in-memory database (tests, benchmarks). */
  dataDir?: string;
}

export interface ServerOptions {
  url: string;
  poolMax?: number;
  connectTimeoutSeconds?: number;
  /** Runs every new connection in this schema (tests give each run its own). */
  searchPath?: string;
}

/**
 * Opens the embedded engine: PGlite (PostgreSQL compiled to WebAssembly) with TimescaleDB.
 * PGlite is a single process-local connection, so a folder may be open in one process only;
 * a lock file turns a second opener's silent corruption into a clear error.
 */
export async function openEmbedded(options: EmbeddedOptions = {}): Promise<Database> {
  const [{ PGlite }, { timescaledb }, { drizzle }] = await Promise.all([
    import("@electric-sql/pglite"),
    import("@electric-sql/pglite/timescaledb"),
    import("drizzle-orm/pglite"),
  ]);
  let lock: DirectoryLock | undefined;
  if (options.dataDir) lock = acquireDirectoryLock(options.dataDir);
  let client: PGlite;
  try {
    client = await PGlite.create({ dataDir: options.dataDir, extensions: { timescaledb } });
    // What shared_preload_libraries does on a server. Without it a reopened database has the
    // extension's catalog but not its hooks: inserts into a hypertable fail ("invalid INSERT on
    // the root table") and compression and aggregate refreshes report a licence error.
    await client.exec("LOAD 'timescaledb'");
  } catch (error) {
    lock?.release();
    throw new Error(`Could not open the embedded database${options.dataDir ? ` in ${options.dataDir}` : ""}`, {
      cause: error,
    });
  }
  const db = drizzle({ client, schema }) as unknown as Db;
  return {
    engine: "embedded",
    db,
    location: options.dataDir ?? "memory",
    async executeSql(text, values) {
      if (values?.length) return { rows: (await client.query<Record<string, unknown>>(text, values)).rows };
      const results = await client.exec(text);
      return { rows: (results.at(-1)?.rows ?? []) as Record<string, unknown>[] };
    },
    async close() {
      try {
        await client.close();
      } finally {
        lock?.release();
      }
    },
  };
}

/** Opens a PostgreSQL or TimescaleDB server through postgres.js. Connections are made lazily. */
export async function openServer(options: ServerOptions): Promise<Database> {
  const [{ default: postgres }, { drizzle }] = await Promise.all([import("postgres"), import("drizzle-orm/postgres-js")]);
  const client: Sql = postgres(options.url, {
    max: options.poolMax ?? 10,
    connect_timeout: options.connectTimeoutSeconds ?? 5,
    idle_timeout: 30,
    max_lifetime: 30 * 60,
    // NOTICEs (for example "relation already exists, skipping") are expected during migrations.
    onnotice: () => {},
    connection: {
      application_name: "flight-tracker",
      ...(options.searchPath ? { search_path: options.searchPath } : {}),
    },
  });
  const db = drizzle({ client, schema }) as unknown as Db;
  return {
    engine: "server",
    db,
    location: redactUrl(options.url),
    url: options.url,
    async close() {
      await client.end({ timeout: 5 });
    },
  };
}

/** Connection parameters that hold a secret (libpq's names). */
const SECRET_PARAMETERS = ["password", "sslpassword", "sslkey", "passfile"];

/** The URL with its password (in the user part or as a parameter) replaced, fit for logs and the health page. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    for (const name of SECRET_PARAMETERS) if (parsed.searchParams.has(name)) parsed.searchParams.set(name, "***");
    return parsed.toString();
  } catch {
    return "(unparseable DATABASE_URL)";
  }
}

/**
 * Rows of a raw SQL statement. The drivers differ (postgres.js returns an array, PGlite an
 * object with `rows`), and so do some value types: int8 arrives as a string from one and a
 * number from the other, so callers convert with Number() or cast in SQL.
 */
export async function queryRows<T extends Record<string, unknown>>(db: Db, query: SQLWrapper | string): Promise<T[]> {
  const result: unknown = await db.execute(typeof query === "string" ? sql.raw(query) : query);
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

/** Rows changed by an INSERT/UPDATE/DELETE: postgres.js reports `count`, PGlite `affectedRows`. */
export function affectedRows(result: unknown): number {
  const r = result as { count?: number; affectedRows?: number };
  return Number(r.count ?? r.affectedRows ?? 0);
}

const CONNECTION_ERROR_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  // admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections
  "57P01",
  "57P02",
  "57P03",
  "53300",
]);

/** True when the error (or one it wraps) means the database cannot be reached right now. */
export function isConnectionError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && CONNECTION_ERROR_CODES.has(code)) return true;
  }
  return false;
}

/**
 * Runs a library's positional SQL (`$1`, `$2` ...) through a Drizzle handle, a transaction
 * included: how pg-boss inserts a job in the same transaction as the rows it is about (its
 * `db` option). Objects are sent as JSON.
 */
export function sqlExecutor(db: Db): { executeSql(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }> } {
  return {
    async executeSql(text, values = []) {
      const chunks: SQL[] = [];
      let last = 0;
      for (const match of text.matchAll(/\$(\d+)/g)) {
        chunks.push(sql.raw(text.slice(last, match.index)));
        const value = values[Number(match[1]) - 1];
        chunks.push(sql`${value !== null && typeof value === "object" && !(value instanceof Date) ? JSON.stringify(value) : (value ?? null)}`);
        last = match.index + match[0].length;
      }
      chunks.push(sql.raw(text.slice(last)));
      return { rows: await queryRows(db, sql.join(chunks)) };
    },
  };
}
