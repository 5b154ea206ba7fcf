/**
 * Test databases on every engine the app runs on: the embedded PGlite (with TimescaleDB), a
 * plain PostgreSQL server at TEST_DATABASE_URL (default: this machine's,
 * postgres://postgres@127.0.0.1:5432/test) and a TimescaleDB server at TEST_TIMESCALE_URL
 * (default postgres://postgres@127.0.0.1:5433/postgres; `npm test` starts one with
 * ../shared/timescaledb/start-server.sh when it can). Every call makes a new, empty database (in
 * memory, or CREATE DATABASE on the server) that is dropped afterwards, so test files never
 * share state and can run in parallel.
 *
 * Without a reachable server its tests are skipped locally with a notice; with CI=true they
 * fail instead, so CI never passes without having run them.
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

export type EngineName = "embedded" | "server" | "timescale";
export const ENGINES: EngineName[] = ["embedded", "server", "timescale"];

export const TEST_SERVER_URL = process.env.TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";
export const TEST_TIMESCALE_URL = process.env.TEST_TIMESCALE_URL || "postgres://postgres@127.0.0.1:5433/postgres";

/** Where an engine's data lives and whether it has TimescaleDB. */
export const ENGINE_INFO: Record<EngineName, { url: string | null; timescale: boolean }> = {
  embedded: { url: null, timescale: true },
  server: { url: TEST_SERVER_URL, timescale: false },
  timescale: { url: TEST_TIMESCALE_URL, timescale: true },
};
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

const [serverProblem, timescaleProblem] = await Promise.all([probe(TEST_SERVER_URL), probe(TEST_TIMESCALE_URL)]);
const unavailable: Record<EngineName, string | null> = { embedded: null, server: serverProblem, timescale: timescaleProblem };
for (const engine of ["server", "timescale"] as const) {
  if (unavailable[engine] && !inCi) console.warn(`[test] ${engine} engine tests skipped: ${ENGINE_INFO[engine].url} unreachable (${unavailable[engine]}).`);
}

/** Why an engine cannot be tested here, or null when it can. */
export function engineUnavailable(engine: EngineName): string | null {
  return unavailable[engine];
}

/** Skip an engine's tests when it cannot be reached, except in CI, where that must fail. */
export function skipEngine(engine: EngineName): boolean {
  return unavailable[engine] !== null && !inCi;
}

export interface TestDatabase extends Database {
  /** The server database's own URL (server engine only). */
  url?: string;
}

/** A new, empty database on the engine; closing it drops it. */
export async function createTestDatabase(engine: EngineName, options: { dataDir?: string } = {}): Promise<TestDatabase> {
  if (engine === "embedded") return openEmbedded({ dataDir: options.dataDir });
  const url = ENGINE_INFO[engine].url!;
  if (unavailable[engine]) throw new Error(`The ${engine} server for tests is unreachable at ${url}: ${unavailable[engine]}`);
  const fresh = await createFreshDatabase(url, `ft_test_${process.pid}`);
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
    (skipEngine(engine) ? describe.skip : describe)(`${title} [${engine}]`, () => {
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
