import net from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { openServer, type Database } from "@/db/client";
import { DatabaseInUseError } from "@/db/lock";
import { migrate } from "@/db/migrate";
import { loadReference } from "@/db/queries/reference";
import packageJson from "@/package.json";
import { SafeCache } from "@/server/cache/safe";
import { UpstashCache } from "@/server/cache/upstash";
import { metrics } from "@/server/metrics";
import { ResilientProvider, DEFAULT_RESILIENCE } from "@/server/providers/resilience";
import { ProviderError } from "@/server/providers/types";
import { createUpstashRedis } from "@/server/upstash";
import { TEST_CONFIG, testAppContext } from "@/test/app-context";
import { createTestDatabase, ENGINE_INFO, ENGINES, skipEngine } from "@/test/engines";
import { providerQuery } from "@/test/fixtures";
import { startUpstashBridge, redisUnavailable, type UpstashBridge } from "@/test/upstash-bridge";
import { checkHealth, checkReadiness, type HealthSources } from "./check-health";

const open: Database[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((d) => d.close().catch(() => {})));
});

const MIGRATIONS = ["0000_init", "0001_timescale", "0002_provider_calls", "0003_provider_calls_timescale", "0004_auth", "0005_session_seen", "0006_tracking", "0007_alerts", "0008_admin"];

for (const engine of ENGINES) {
  describe.skipIf(skipEngine(engine))(`checkHealth [${engine}]`, () => {
    it("reports a migrated database and every dependency as ok, with engine, TimescaleDB, latest migration and counters", async () => {
      const database = await createTestDatabase(engine);
      open.push(database);
      await migrate(database);
      const ctx = testAppContext(database, await loadReference(database.db));
      const report = await checkHealth({ config: TEST_CONFIG, database: async () => database, context: async () => ctx });
      expect(report.status).toBe("ok");
      expect(report.ready).toBe(true);
      expect(report.version).toBe(packageJson.version);
      expect(report.database).toMatchObject({
        status: "ok",
        engine: engine === "embedded" ? "embedded" : "server",
        reachable: true,
        timescaledb: { installed: ENGINE_INFO[engine].timescale },
        migrations: { latest: MIGRATIONS.at(-1), applied: MIGRATIONS.length, pending: [] },
        referenceDataLoaded: false,
        error: null,
      });
      expect(report.database.note).toMatch(/npm run db:seed/);
      expect(report.database.latencyMs).toBeGreaterThanOrEqual(0);
      expect(report.database.serverVersion).toMatch(/^\d+/);
      expect(report.cache).toMatchObject({ status: "ok", driver: "memory", location: null, error: null });
      // The test configuration runs no jobs and sends no email: both switched off, not failing.
      expect(report.queue).toMatchObject({ status: "disabled", workerMode: "off" });
      expect(report.smtp).toMatchObject({ status: "disabled", delivery: "outbox" });
      expect(report.providers.map((p) => [p.id, p.status, p.breaker])).toEqual([
        ["skyway", "ok", "closed"],
        ["farefinder", "ok", "closed"],
      ]);
      expect(Object.keys(report.counters).sort()).toEqual(Object.keys(metrics).sort());
    });

    it("reports a database without the schema as unavailable, and says what to run", async () => {
      const database = await createTestDatabase(engine);
      open.push(database);
      const report = await checkHealth({ config: TEST_CONFIG, database: async () => database });
      expect(report.status).toBe("unavailable");
      expect(report.ready).toBe(false);
      expect(report.database.status).toBe("down");
      expect(report.database.reachable).toBe(true);
      expect(report.database.migrations.pending).toEqual(MIGRATIONS);
      expect(report.database.error).toMatch(/npm run db:migrate/);
      const readiness = await checkReadiness({ config: TEST_CONFIG, database: async () => database });
      expect(readiness).toMatchObject({ status: "unavailable", ready: false, database: { status: "down", reachable: true } });
    });

    it("an open circuit breaker makes its provider down and the app degraded, still ready", async () => {
      const database = await createTestDatabase(engine);
      open.push(database);
      await migrate(database);
      const failing = new ResilientProvider(
        {
          id: "brittle",
          name: "Brittle",
          simulated: false,
          search: async () => {
            throw new ProviderError("HTTP 500", { transient: false });
          },
        },
        { ...DEFAULT_RESILIENCE, failureThreshold: 1, retries: 0 },
      );
      await failing.search(providerQuery(), { signal: new AbortController().signal, deadline: Date.now() + 5_000, now: new Date() });
      const ctx = testAppContext(database, await loadReference(database.db), { providers: [failing] });
      const report = await checkHealth({ config: TEST_CONFIG, database: async () => database, context: async () => ctx });
      expect(report).toMatchObject({ status: "degraded", ready: true });
      expect(report.providers).toEqual([expect.objectContaining({ id: "brittle", status: "down", breaker: "open", error: expect.stringMatching(/circuit breaker is open/) })]);
    });
  });
}

describe("checkHealth with a database that cannot be used", () => {
  it("names DATABASE_URL when the server cannot be reached, without its password; providers are not in use", async () => {
    const database = await openServer({ url: "postgres://app:hunter2@127.0.0.1:1/flights", connectTimeoutSeconds: 2 });
    open.push(database);
    const report = await checkHealth({ config: TEST_CONFIG, database: async () => database, context: () => Promise.reject(new Error("no database")) });
    expect(report.status).toBe("unavailable");
    expect(report.database).toMatchObject({ status: "down", engine: "server", reachable: false, latencyMs: null });
    expect(report.database.error).toMatch(/DATABASE_URL/);
    expect(report.database.error).toMatch(/ECONNREFUSED/);
    // The cache the configuration names still answers; the providers cannot serve without the app.
    expect(report.cache.status).toBe("ok");
    expect(report.providers.map((p) => [p.id, p.status])).toEqual([
      ["skyway", "down"],
      ["farefinder", "down"],
    ]);
    expect(JSON.stringify(report)).not.toContain("hunter2");
    const readiness = await checkReadiness({ config: TEST_CONFIG, database: async () => database });
    expect(readiness).toMatchObject({ status: "unavailable", ready: false });
  });

  it("names EMBEDDED_DATABASE_DIR when the embedded database cannot be opened", async () => {
    const report = await checkHealth(
      {
        config: TEST_CONFIG,
        database: async () => {
          throw new DatabaseInUseError(".data/pglite", 4242);
        },
      },
      { describeTarget: { engine: "embedded", location: ".data/pglite" } },
    );
    expect(report.status).toBe("unavailable");
    expect(report.database.error).toMatch(/EMBEDDED_DATABASE_DIR/);
    expect(report.database.error).toMatch(/in use by process 4242/);
  });
});

describe("checkHealth when dependencies hang", () => {
  let silent: net.Server;
  let silentPort = 0;
  const sockets = new Set<net.Socket>();
  beforeAll(async () => {
    // Takes connections and never says a word: an SMTP server that never greets.
    silent = net.createServer((socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    silentPort = (silent.address() as AddressInfo).port;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it("answers within its bound, each hanging check reported as timed out, naming the setting", async () => {
    const never = () => new Promise<never>(() => {});
    const sources: HealthSources = {
      config: {
        ...TEST_CONFIG,
        tracking: { ...TEST_CONFIG.tracking, workerMode: "worker" },
        auth: { ...TEST_CONFIG.auth, email: { ...TEST_CONFIG.auth.email, server: `smtp://mailer:s3cret-pass@127.0.0.1:${silentPort}` } },
      },
      database: never,
      context: never,
    };
    const report = await checkHealth(sources, { timeoutMs: 300, describeTarget: { engine: "server", location: "postgres://db.internal/flights" } });
    expect(report.status).toBe("unavailable");
    expect(report.database.error).toMatch(/timed out after 300 ms/);
    expect(report.database.error).toMatch(/DATABASE_URL/);
    expect(report.queue).toMatchObject({ status: "down", error: expect.stringMatching(/timed out after 300 ms/) });
    expect(report.smtp).toMatchObject({ status: "down", server: `smtp://127.0.0.1:${silentPort}` });
    expect(report.smtp.error).toMatch(/time/i);
    expect(JSON.stringify(report)).not.toContain("s3cret-pass");
  });
});

const redisDown = await redisUnavailable();
if (redisDown && !process.env.CI) console.warn(`[test] Upstash health tests skipped: Redis unavailable (${redisDown}).`);

describe.skipIf(redisDown !== null && !process.env.CI)("checkReadiness with the Upstash cache down", () => {
  let bridge: UpstashBridge;
  beforeAll(async () => {
    bridge = await startUpstashBridge();
  });
  afterAll(async () => {
    await bridge?.close();
  });

  it("is ready but degraded when the cache fails, and ok again when it answers", async () => {
    const database = await createTestDatabase("embedded");
    open.push(database);
    await migrate(database);
    const upstash = { url: bridge.url, token: bridge.token };
    const config = { ...TEST_CONFIG, upstash };
    const cache = new SafeCache(new UpstashCache(createUpstashRedis(upstash)));
    const ctx = testAppContext(database, await loadReference(database.db), { cache, config });
    const sources: HealthSources = { config, database: async () => database, context: async () => ctx };

    bridge.fault = "error";
    const down = await checkReadiness(sources);
    expect(down).toMatchObject({ status: "degraded", ready: true, database: { status: "ok" }, cache: { status: "down", driver: "upstash", location: bridge.url } });
    expect(down.cache.error).toBeTruthy();
    expect(JSON.stringify(down)).not.toContain(bridge.token);

    bridge.fault = "none";
    const up = await checkReadiness(sources);
    expect(up).toMatchObject({ status: "ok", ready: true, cache: { status: "ok", driver: "upstash", error: null } });
  });
});
