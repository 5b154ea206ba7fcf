import { afterEach, describe, expect, it } from "vitest";
import { openServer, type Database } from "@/db/client";
import { DatabaseInUseError } from "@/db/lock";
import { migrate } from "@/db/migrate";
import { createTestDatabase, ENGINE_INFO, ENGINES, skipEngine } from "@/test/engines";
import packageJson from "@/package.json";
import { checkHealth } from "./check-health";

const open: Database[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((d) => d.close().catch(() => {})));
});

for (const engine of ENGINES) {
  describe.skipIf(skipEngine(engine))(`checkHealth [${engine}]`, () => {
    it("reports a migrated database as ok, with engine, TimescaleDB and latest migration", async () => {
      const database = await createTestDatabase(engine);
      open.push(database);
      await migrate(database);
      const report = await checkHealth(async () => database);
      expect(report.status).toBe("ok");
      expect(report.version).toBe(packageJson.version);
      expect(report.database).toMatchObject({
        engine: engine === "embedded" ? "embedded" : "server",
        reachable: true,
        timescaledb: { installed: ENGINE_INFO[engine].timescale },
        migrations: { latest: "0008_admin", applied: 9, pending: [] },
        referenceDataLoaded: false,
        error: null,
      });
      expect(report.database.latencyMs).toBeGreaterThanOrEqual(0);
      expect(report.database.serverVersion).toMatch(/^\d+/);
    });

    it("reports a database without the schema as unavailable, and says what to run", async () => {
      const database = await createTestDatabase(engine);
      open.push(database);
      const report = await checkHealth(async () => database);
      expect(report.status).toBe("unavailable");
      expect(report.database.reachable).toBe(true);
      expect(report.database.migrations.pending).toEqual(["0000_init", "0001_timescale", "0002_provider_calls", "0003_provider_calls_timescale", "0004_auth", "0005_session_seen", "0006_tracking", "0007_alerts", "0008_admin"]);
      expect(report.database.error).toMatch(/npm run db:migrate/);
    });
  });
}

describe("checkHealth with a database that cannot be used", () => {
  it("names DATABASE_URL when the server cannot be reached, without its password", async () => {
    const database = await openServer({ url: "postgres://app:hunter2@127.0.0.1:1/flights", connectTimeoutSeconds: 2 });
    open.push(database);
    const report = await checkHealth(async () => database);
    expect(report.status).toBe("unavailable");
    expect(report.database).toMatchObject({ engine: "server", reachable: false, latencyMs: null });
    expect(report.database.error).toMatch(/DATABASE_URL/);
    expect(report.database.error).toMatch(/ECONNREFUSED/);
    expect(JSON.stringify(report)).not.toContain("hunter2");
  });

  it("names EMBEDDED_DATABASE_DIR when the embedded database cannot be opened", async () => {
    const report = await checkHealth(async () => {
      throw new DatabaseInUseError(".data/pglite", 4242);
    }, { describeTarget: { engine: "embedded", location: ".data/pglite" } });
    expect(report.status).toBe("unavailable");
    expect(report.database.error).toMatch(/EMBEDDED_DATABASE_DIR/);
    expect(report.database.error).toMatch(/in use by process 4242/);
  });

  it("gives up on a database that does not answer in time", async () => {
    const report = await checkHealth(() => new Promise<never>(() => {}), {
      timeoutMs: 200,
      describeTarget: { engine: "server", location: "postgres://db.internal/flights" },
    });
    expect(report.status).toBe("unavailable");
    expect(report.database.error).toMatch(/timed out after 200 ms/);
    expect(report.database.error).toMatch(/DATABASE_URL/);
  });
});
