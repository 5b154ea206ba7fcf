import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { openEmbedded, queryRows } from "@/db/client";
import { addDays } from "@/server/core/time";
import { searchInputSchema } from "@/server/core/search-query";
import { createFreshDatabase } from "@/scripts/fresh-database.mjs";
import { describeEachEngine, skipEngine, TEST_TIMESCALE_URL } from "@/test/engines";
import { TEST_CONFIG } from "@/test/app-context";
import { createAppContext } from "./context";
import { DEFAULT_RESILIENCE } from "./providers/registry";

/**
 * The context module as a fresh process would load it, with these variables set. Unset is
 * stubbed as "" (env.ts reads an empty value as unset): a stubbed deletion does not reach
 * process.env here, so a variable set by an earlier test would leak into the next one.
 */
async function loadContext(vars: Record<string, string | undefined>) {
  vi.resetModules();
  const database = { DATABASE_URL: undefined, DATABASE_MIGRATE_ON_START: undefined, DATABASE_CONNECT_TIMEOUT: undefined };
  for (const [key, value] of Object.entries({ ...database, ...vars })) vi.stubEnv(key, value ?? "");
  return import("./context");
}

afterEach(async () => {
  // The process-wide context lives on globalThis (so dev reloads keep it): close it and forget it.
  const { closeAppContext } = await import("./context");
  await closeAppContext().catch(() => {});
  delete (globalThis as { __flightTracker?: unknown }).__flightTracker;
  vi.unstubAllEnvs();
});

describe("configFromEnv", () => {
  it("gives the app its defaults with nothing set, the resilience defaults from one place", async () => {
    const { configFromEnv } = await loadContext({ PROVIDER_CONCURRENCY: undefined, PROVIDER_TIMEOUT_MS: undefined, UPSTASH_REDIS_REST_URL: undefined });
    const config = configFromEnv();
    expect(config.providers.resilience).toEqual(DEFAULT_RESILIENCE);
    expect(config.search).toEqual({ cacheTtlSeconds: 300, timeoutMs: 8_000, writeBehind: true });
    expect(config.upstash).toBeNull();
    expect(config.limits).toEqual({
      search: { windowSeconds: 60, requests: { address: 60, user: 120, key: 600 } },
      lookup: { windowSeconds: 60, requests: { address: 600, user: 1_200, key: 3_000 } },
      signIn: { windowSeconds: 900, requests: { email: 5, address: 20 } },
    });
    expect(config.auth).toMatchObject({ secret: undefined, previousSecrets: [], adminEmails: [], email: { server: undefined } });
    expect(config.auth.github).toBeUndefined();
  });

  it("shapes what is set", async () => {
    const { configFromEnv, databaseTarget } = await loadContext({
      PROVIDER_CONCURRENCY: "4",
      RATE_LIMIT_SEARCH_PER_MINUTE: "0",
      RATE_LIMIT_KEY_LOOKUP_PER_MINUTE: "9000",
      RATE_LIMIT_SIGN_IN_WINDOW_MINUTES: "60",
      UPSTASH_REDIS_REST_URL: "https://cache.example.test",
      UPSTASH_REDIS_REST_TOKEN: "token",
      DATABASE_URL: "postgres://app:hunter2@db.example.test/flights",
      AUTH_SECRET: "n".repeat(32),
      AUTH_SECRET_2: "o".repeat(32),
    });
    const config = configFromEnv();
    expect(config.providers.resilience.concurrency).toBe(4);
    expect(config.limits.search.requests.address).toBe(0);
    expect(config.limits.lookup.requests.key).toBe(9_000);
    expect(config.limits.signIn.windowSeconds).toBe(3_600);
    expect(config.upstash).toEqual({ url: "https://cache.example.test", token: "token" });
    expect(databaseTarget(config.database)).toEqual({ engine: "server", location: "postgres://app:***@db.example.test/flights" });
    expect(config.auth).toMatchObject({ secret: "n".repeat(32), previousSecrets: ["o".repeat(32)] });
  });

  it("refuses a sign-in secret too short to be one, naming it", async () => {
    await expect(loadContext({ AUTH_SECRET: "short" })).rejects.toThrow(/AUTH_SECRET: AUTH_SECRET must be at least 32 characters/);
    // Leave a loadable module for afterEach.
    vi.unstubAllEnvs();
    vi.resetModules();
  });
});

describeEachEngine(
  "createAppContext",
  ({ database, reference }) => {
    const build = (config = TEST_CONFIG) => createAppContext({ config, database: database(), reference: reference() });

    it("builds what is not given from the configuration", () => {
      const ctx = build();
      expect(ctx.db).toBe(database().db);
      expect(ctx.cache.name).toBe("memory");
      expect(ctx.providers.map((p) => p.id)).toEqual(["skyway", "farefinder"]);
      expect(ctx.observers.names()).toEqual({ onWrite: ["provider-calls", "ingestion-runs", "tracked-queries"], onCommit: ["metrics", "alerts"] });
      expect(ctx.clock()).toBeInstanceOf(Date);
      // A limit of 0 is off; any other is a limiter of that size, the same one each time.
      expect(ctx.limiter("search", "address")).toBeNull();
      const limited = build({ ...TEST_CONFIG, limits: { ...TEST_CONFIG.limits, search: { windowSeconds: 60, requests: { address: 2, user: 0, key: 5 } } } });
      expect(limited.limiter("search", "address")).toBe(limited.limiter("search", "address"));
      expect(limited.limiter("search", "user")).toBeNull();
      expect(limited.limiter("search", "key")).not.toBe(limited.limiter("search", "address"));
    });

    it("limits per client address with the configured size", async () => {
      const limiter = build({ ...TEST_CONFIG, limits: { ...TEST_CONFIG.limits, search: { windowSeconds: 60, requests: { address: 2, user: 0, key: 0 } } } }).limiter("search", "address")!;
      const results = [];
      for (let i = 0; i < 3; i++) results.push((await limiter.limit("198.51.100.9")).allowed);
      expect(results).toEqual([true, true, false]);
      expect((await limiter.limit("198.51.100.10")).allowed).toBe(true);
    });

    it("uses Upstash for the cache when it is configured", () => {
      expect(build({ ...TEST_CONFIG, upstash: { url: "http://127.0.0.1:1", token: "t" } }).cache.name).toBe("upstash");
    });
  },
  { seed: true },
);

describe("getAppContext", () => {
  it("on an empty folder: opens, migrates, loads the reference data, once per process; a search works on it", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ft-context-"));
    try {
      const { getAppContext, closeAppContext } = await loadContext({ DATABASE_URL: undefined, EMBEDDED_DATABASE_DIR: dir, SIMULATED_LATENCY_MS: "0" });
      const ctx = await getAppContext();
      expect(await getAppContext()).toBe(ctx);
      expect(ctx.database).toMatchObject({ engine: "embedded", location: dir });
      // No background workers here: the app runs TimescaleDB's policies itself.
      expect((await import("./context")).runsTimescalePolicies()).toBe(true);
      expect(ctx.reference.airports.get("LHR")?.timeZone).toBe("Europe/London");

      const { searchFlights } = await import("@/server/services/search/search-flights");
      const input = searchInputSchema.parse({ originCode: "LHR", destinationCode: "JFK", departureDate: addDays(new Date().toISOString().slice(0, 10), 33) });
      expect((await searchFlights(ctx, input)).offers.length).toBeGreaterThan(0);
      // The app writes behind the answer; closing the context writes what is pending.
      await closeAppContext();

      const reopened = await openEmbedded({ dataDir: dir });
      try {
        const [row] = await queryRows<{ n: number }>(reopened.db, sql`SELECT count(*)::int AS n FROM price_snapshot WHERE departure_date = ${input.departureDate}`);
        expect(row!.n).toBeGreaterThan(0);
      } finally {
        await reopened.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(`${dir}.lock`, { force: true });
    }
  });

  it.skipIf(skipEngine("timescale"))("on a TimescaleDB server: leaves the policy jobs to the server's own scheduler", async () => {
    const fresh = await createFreshDatabase(TEST_TIMESCALE_URL, "ft_context");
    try {
      const { getAppContext, runsTimescalePolicies } = await loadContext({ DATABASE_URL: fresh.url, DATABASE_MIGRATE_ON_START: "true" });
      const ctx = await getAppContext();
      expect(ctx.database.engine).toBe("server");
      expect(runsTimescalePolicies()).toBe(false);
      const jobs = await queryRows<{ proc_name: string; scheduled: boolean }>(ctx.db, "SELECT proc_name, scheduled FROM timescaledb_information.jobs WHERE hypertable_name IS NOT NULL");
      expect(jobs.length).toBe(3);
      expect(jobs.every((j) => j.scheduled)).toBe(true);
    } finally {
      const { closeAppContext } = await import("./context");
      await closeAppContext();
      await fresh.drop();
    }
  });

  it("with a server that cannot be reached: fails as unavailable, and tries again on the next call", async () => {
    const { getAppContext, getReadyDatabase } = await loadContext({ DATABASE_URL: "postgres://ft:secret@127.0.0.1:1/flights", DATABASE_CONNECT_TIMEOUT: "1" });
    const { toDomainError } = await import("./errors");
    // Server connections are made on first use: the database "opens", the reference read fails.
    expect((await getReadyDatabase()).engine).toBe("server");
    const first = getAppContext();
    const error = await first.catch((e: unknown) => e);
    expect(toDomainError(error).code).toBe("unavailable");
    const second = getAppContext();
    expect(second).not.toBe(first);
    await expect(second).rejects.toBeTruthy();
  });
});
