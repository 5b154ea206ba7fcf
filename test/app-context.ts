import type { Database } from "@/db/client";
import { DEFAULT_CADENCE } from "@/server/core/ingestion-schedule";
import type { Reference } from "@/server/core/reference";
import { MemoryCache } from "@/server/cache/memory";
import { createAppContext, type AppConfig, type AppContext, type AppContextParts } from "@/server/context";
import { DEFAULT_RESILIENCE } from "@/server/providers/registry";

/**
 * The app's configuration for tests: both simulated sellers answering at once, no rate limit,
 * no Upstash, and searches that wait for their prices to be written (so a test can read them).
 */
export const TEST_CONFIG: AppConfig = {
  database: { poolMax: 4, connectTimeoutSeconds: 3, migrateOnStart: false, embeddedDir: "" },
  search: { cacheTtlSeconds: 300, timeoutMs: 5_000, writeBehind: false },
  providers: { simulatedLatencyMs: "0", simulatedErrorRate: 0, simulatedTimeoutRate: 0, simulatedFail: "", resilience: DEFAULT_RESILIENCE },
  upstash: null,
  limits: {
    search: { windowSeconds: 60, requests: { address: 0, user: 0, key: 0 } },
    lookup: { windowSeconds: 60, requests: { address: 0, user: 0, key: 0 } },
    signIn: { windowSeconds: 900, requests: { email: 0, address: 0 } },
  },
  trustedProxies: 0,
  csvExportMaxRows: 100_000,
  demoHistoryOnStart: false,
  demoPausedProvider: null,
  tracking: {
    cadence: [...DEFAULT_CADENCE],
    tickSeconds: 30,
    budgets: { default: 300, byProvider: {} },
    jobExpireSeconds: 60,
    retryLimit: 2,
    retryDelaySeconds: 1,
    retentionDays: 400,
    workerMode: "off",
    workerConcurrency: 2,
    routesPerUser: 50,
  },
  alerts: { pollMs: 200, allowLoopback: true, retryScale: 0.001, marketControl: true },
  auth: { previousSecrets: [], email: { from: "Flight Tracker <test@example.test>" }, adminEmails: [] },
};

export interface TestContextOverrides extends Partial<Omit<AppContextParts, "config" | "database" | "reference">> {
  search?: Partial<AppConfig["search"]>;
  config?: Partial<AppConfig>;
}

/**
 * A context on a test database, built as the app builds its own (same subscribers, same
 * resilience wrapper), with a fresh memory cache each time unless one is given.
 */
export function testAppContext(database: Database, reference: Reference, overrides: TestContextOverrides = {}): AppContext {
  const { search, config, ...parts } = overrides;
  return createAppContext({
    config: { ...TEST_CONFIG, ...config, search: { ...TEST_CONFIG.search, ...config?.search, ...search } },
    database,
    reference,
    cache: new MemoryCache(),
    ...parts,
  });
}
