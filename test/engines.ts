/**
 * Test databases on both engines: the embedded PGlite (with TimescaleDB) and the PostgreSQL
 * server at TEST_DATABASE_URL (default: this machine's, postgres://postgres@127.0.0.1:5432/test).
 * Every call makes a new, empty database (in memory, or CREATE DATABASE on the server) that is
 * dropped afterwards, so test files never share state and can run in parallel.
 *
 * Without a reachable server the server-engine tests are skipped locally with a notice; with
 * CI=true they fail instead, so CI never passes without having run them.
 */
import postgres from "postgres";
import { afterAll, beforeAll, describe } from "vitest";
import { openEmbedded, openServer, type Database } from "@/db/client";
import { migrate } from "@/db/migrate";
import { loadReference } from "@/db/queries/reference";
import { loadReferenceData } from "@/db/seed/reference";
import { buildReferenceData, type ReferenceData } from "@/db/seed/reference-data";
import type { AppContext } from "@/server/context";
import type { Reference } from "@/server/core/reference";
import { createFreshDatabase } from "@/scripts/fresh-database.mjs";
import { testAppContext, type TestContextOverrides } from "./app-context";

export type EngineName = "embedded" | "server";
export const ENGINES: EngineName[] = ["embedded", "server"];

export const TEST_SERVER_URL = process.env.TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";
const inCi = Boolean(process.env.CI);

async function probe(url: string): Promise<string | null> {
  const sql = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql`SELECT 1`;
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/** Why the server engine cannot be tested here, or null when it can. */
export const serverUnavailable = await probe(TEST_SERVER_URL);
if (serverUnavailable && !inCi) {
  console.warn(`[test] PostgreSQL server tests skipped: ${TEST_SERVER_URL} unreachable (${serverUnavailable}).`);
}

export interface TestDatabase extends Database {
  /** The server database's own URL (server engine only). */
  url?: string;
}

/** A new, empty database on the engine; closing it drops it. */
export async function createTestDatabase(engine: EngineName, options: { dataDir?: string } = {}): Promise<TestDatabase> {
  if (engine === "embedded") return openEmbedded({ dataDir: options.dataDir });
  if (serverUnavailable) throw new Error(`PostgreSQL server for tests unreachable at ${TEST_SERVER_URL}: ${serverUnavailable}`);
  const fresh = await createFreshDatabase(TEST_SERVER_URL, `ft_test_${process.pid}`);
  const database = await openServer({ url: fresh.url, poolMax: 4 });
  return {
    ...database,
    url: fresh.url,
    async close() {
      await database.close();
      await fresh.drop();
    },
  };
}

let referenceData: Promise<ReferenceData> | undefined;
/** Built once per test file: the packages take about a second to read. */
export function sharedReferenceData(): Promise<ReferenceData> {
  referenceData ??= buildReferenceData();
  return referenceData;
}

export interface EngineContext {
  engine: EngineName;
  /** The file's database for this engine, migrated (and seeded when asked). */
  database(): TestDatabase;
  /** Its reference data in memory (empty unless seeded). */
  reference(): Reference;
  /** A new app context on that database (test/app-context.ts). */
  app(overrides?: TestContextOverrides): AppContext;
}

/**
 * Runs `body` once per engine, each with its own fresh database, migrated and, with
 * `seed: true`, holding the reference data.
 */
export function describeEachEngine(title: string, body: (ctx: EngineContext) => void, options: { seed?: boolean } = {}) {
  for (const engine of ENGINES) {
    const skip = engine === "server" && serverUnavailable !== null && !inCi;
    (skip ? describe.skip : describe)(`${title} [${engine}]`, () => {
      let database: TestDatabase | undefined;
      let reference: Reference | undefined;
      beforeAll(async () => {
        database = await createTestDatabase(engine);
        await migrate(database);
        if (options.seed) await loadReferenceData(database.db, await sharedReferenceData());
        reference = await loadReference(database.db);
      });
      afterAll(async () => {
        await database?.close();
      });
      const open = () => {
        if (!database || !reference) throw new Error("the test database is not open yet");
        return { database, reference };
      };
      body({
        engine,
        database: () => open().database,
        reference: () => open().reference,
        app: (overrides) => testAppContext(open().database, open().reference, overrides),
      });
    });
  }
}
