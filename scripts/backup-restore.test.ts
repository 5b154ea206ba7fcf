import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { openServer, queryRows, type Db } from "@/db/client";
import { migrate, refreshContinuousAggregates } from "@/db/migrate";
import { recordSearch } from "@/db/queries/snapshots";
import { checkDatabase } from "@/server/services/health/database-check";
import { Deadline } from "@/server/services/health/dependency";
import { createTestDatabase, engineUnavailable, skipEngine, TEST_SERVER_URL, TEST_TIMESCALE_URL } from "@/test/engines";
import { makeOffers, uniqueQuery } from "@/test/fixtures";

/**
 * The README's backup and restore, run for real: scripts/backup.sh dumps a migrated database
 * with price history (compressed chunks among it) on the TimescaleDB server, scripts/restore.sh
 * restores it by TimescaleDB's documented steps into a new database, and the app would serve
 * from the copy: same rows, hypertables, compressed chunks, continuous aggregate, policies and
 * migrations. With the server's own pg_dump and pg_restore (/usr/lib/postgresql/<major>/bin).
 */

const run = promisify(execFile);
const scripts = path.join(import.meta.dirname);
const DAY = 86_400_000;

const made: { server: string; name: string }[] = [];
const work = fs.mkdtempSync(path.join(os.tmpdir(), "ft-backup-"));
afterAll(async () => {
  fs.rmSync(work, { recursive: true, force: true });
  for (const { server, name } of made) {
    const admin = postgres(server, { max: 1, onnotice: () => {} });
    try {
      await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    } finally {
      await admin.end({ timeout: 1 });
    }
  }
});

/** The folder of the client programs of the server's major version. */
async function serverBinaries(server: string): Promise<string> {
  const sql = postgres(server, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<{ major: number }[]>`SELECT current_setting('server_version_num')::int / 10000 AS major`;
    const bin = `/usr/lib/postgresql/${row!.major}/bin`;
    if (!fs.existsSync(path.join(bin, "pg_dump"))) throw new Error(`No pg_dump for PostgreSQL ${row!.major} at ${bin}: install postgresql-client-${row!.major}`);
    return bin;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/** The rows, read the same way from both databases. */
async function rows(db: Db) {
  const [snapshots] = await queryRows<{ n: number; total: string; first: string; last: string }>(
    db,
    `SELECT count(*)::int AS n, sum(price_minor)::text AS total, min(observed_at)::text AS first, max(observed_at)::text AS last FROM price_snapshot`,
  );
  const [daily] = await queryRows<{ n: number; low: string }>(db, `SELECT count(*)::int AS n, min(min_price_minor)::text AS low FROM price_daily`);
  return { snapshots: snapshots!, daily: daily! };
}

/** And TimescaleDB's objects: hypertables, chunks (compressed ones), continuous aggregates, policies. */
async function fingerprint(db: Db) {
  const hypertables = await queryRows<{ name: string }>(db, `SELECT hypertable_name AS name FROM timescaledb_information.hypertables ORDER BY 1`);
  const [chunks] = await queryRows<{ all: number; compressed: number }>(
    db,
    `SELECT count(*)::int AS all, (count(*) FILTER (WHERE is_compressed))::int AS compressed FROM timescaledb_information.chunks WHERE hypertable_name = 'price_snapshot'`,
  );
  const aggregates = await queryRows<{ name: string }>(db, `SELECT view_name AS name FROM timescaledb_information.continuous_aggregates ORDER BY 1`);
  const jobs = await queryRows<{ proc: string; hypertable: string }>(
    db,
    `SELECT proc_name AS proc, hypertable_name AS hypertable FROM timescaledb_information.jobs WHERE proc_name LIKE 'policy_%' ORDER BY 1, 2`,
  );
  return { ...(await rows(db)), hypertables: hypertables.map((h) => h.name), chunks: chunks!, aggregates: aggregates.map((a) => a.name), jobs };
}

describe.skipIf(skipEngine("timescale"))("backup and restore of the TimescaleDB database (scripts/backup.sh, scripts/restore.sh)", () => {
  it("restores a dump into a new database with every row, hypertable, compressed chunk, aggregate, policy and migration", async () => {
    if (engineUnavailable("timescale")) throw new Error(`The TimescaleDB server is unreachable: ${engineUnavailable("timescale")}`);
    const bin = await serverBinaries(TEST_TIMESCALE_URL);
    const source = await createTestDatabase("timescale");
    try {
      await migrate(source);
      // A month of history: the old searches land in chunks that are then compressed, as the
      // compression policy would after 7 days.
      for (const [i, daysAgo] of [40, 30, 20, 2, 0].entries()) {
        const query = uniqueQuery({ origin: i % 2 ? "CDG" : "LHR" });
        await recordSearch(source.db, query, new Date(Date.now() - daysAgo * DAY), makeOffers(query, 4, (n) => 20_000 + i * 1_000 + n));
      }
      await source.db.execute(`SELECT compress_chunk(c, if_not_compressed => true) FROM show_chunks('price_snapshot', older_than => INTERVAL '7 days') c`);
      // Materialised as the refresh policy keeps it: a restored database's policy may run at once,
      // and would hide unmaterialised history older than its window from the real-time view.
      await refreshContinuousAggregates(source.db);
      const before = await fingerprint(source.db);
      expect(before.snapshots.n).toBe(20);
      expect(before.chunks.compressed).toBeGreaterThan(0);
      expect(before.hypertables).toEqual(expect.arrayContaining(["price_snapshot", "provider_call"]));
      expect(before.aggregates).toEqual(["price_daily"]);
      expect(before.daily.n).toBeGreaterThan(0);

      const file = path.join(work, "flights.dump");
      await run("bash", [path.join(scripts, "backup.sh"), file, source.url!], { env: { ...process.env, PG_BIN: bin } });
      expect(fs.statSync(file).size).toBeGreaterThan(0);
      expect(fs.existsSync(`${file}.partial`)).toBe(false);
      expect(fs.readFileSync(`${file}.versions`, "utf8")).toMatch(/^postgresql=\d+\.\d+.*\ntimescaledb=2\.\d+\.\d+\n$/);

      // Into a server of another TimescaleDB version: refused before any database is made.
      const elsewhere = path.join(work, "other-version.dump");
      fs.copyFileSync(file, elsewhere);
      fs.writeFileSync(`${elsewhere}.versions`, fs.readFileSync(`${file}.versions`, "utf8").replace(/timescaledb=.*/, "timescaledb=1.7.5"));
      const refusedName = `ft_refused_${process.pid}_${Date.now() % 100_000}`;
      await expect(run("bash", [path.join(scripts, "restore.sh"), elsewhere, TEST_TIMESCALE_URL, refusedName], { env: { ...process.env, PG_BIN: bin } })).rejects.toMatchObject({
        stderr: expect.stringMatching(/the dump is of TimescaleDB 1\.7\.5; this server offers 2\./),
      });
      const stray = await queryRows<{ n: number }>(source.db, `SELECT count(*)::int AS n FROM pg_database WHERE datname = '${refusedName}'`);
      expect(stray[0]!.n).toBe(0);

      const name = `ft_restored_${process.pid}_${Date.now() % 100_000}`;
      made.push({ server: TEST_TIMESCALE_URL, name });
      await run("bash", [path.join(scripts, "restore.sh"), file, TEST_TIMESCALE_URL, name], { env: { ...process.env, PG_BIN: bin } });

      const restoredUrl = new URL(TEST_TIMESCALE_URL);
      restoredUrl.pathname = `/${name}`;
      const restored = await openServer({ url: restoredUrl.toString(), poolMax: 2 });
      try {
        expect(await fingerprint(restored.db)).toEqual(before);
        // Out of restore mode: TimescaleDB's background jobs run again for new sessions.
        const [mode] = await queryRows<{ restoring: string }>(restored.db, `SELECT current_setting('timescaledb.restoring') AS restoring`);
        expect(mode?.restoring).toBe("off");
        // The app would serve from it: reachable, every migration applied.
        const health = await checkDatabase(Promise.resolve(restored), new Deadline(10_000));
        expect(health).toMatchObject({ status: "ok", timescaledb: { installed: true }, migrations: { pending: [] } });
        // And write to it: the hypertable takes new rows after the restore.
        const query = uniqueQuery();
        const { written } = await recordSearch(restored.db, query, new Date(), makeOffers(query, 2, (n) => 30_000 + n));
        expect(written).toBe(2);
      } finally {
        await restored.close();
      }
    } finally {
      await source.close();
    }
  });

  it("refuses a name that is not a plain database name, creating nothing", async () => {
    const file = path.join(work, "empty.dump");
    fs.writeFileSync(file, "");
    await expect(run("bash", [path.join(scripts, "restore.sh"), file, TEST_TIMESCALE_URL, 'x"; DROP DATABASE postgres; --'])).rejects.toMatchObject({
      stderr: expect.stringMatching(/database name must be/),
    });
  });
});

describe.skipIf(skipEngine("server"))("backup and restore of a plain PostgreSQL database (no TimescaleDB)", () => {
  it("restores with the same scripts, without TimescaleDB's steps", async () => {
    if (engineUnavailable("server")) throw new Error(`The PostgreSQL server is unreachable: ${engineUnavailable("server")}`);
    const bin = await serverBinaries(TEST_SERVER_URL);
    const source = await createTestDatabase("server");
    try {
      await migrate(source);
      for (const daysAgo of [20, 0]) {
        const query = uniqueQuery();
        await recordSearch(source.db, query, new Date(Date.now() - daysAgo * DAY), makeOffers(query, 3, (n) => 40_000 + n));
      }
      const before = await rows(source.db);
      expect(before.snapshots.n).toBe(6);
      const file = path.join(work, "plain.dump");
      await run("bash", [path.join(scripts, "backup.sh"), file, source.url!], { env: { ...process.env, PG_BIN: bin } });
      expect(fs.readFileSync(`${file}.versions`, "utf8")).toMatch(/\ntimescaledb=none\n$/);
      const name = `ft_restored_${process.pid}_${Date.now() % 100_000}`;
      made.push({ server: TEST_SERVER_URL, name });
      await run("bash", [path.join(scripts, "restore.sh"), file, TEST_SERVER_URL, name], { env: { ...process.env, PG_BIN: bin } });
      const restoredUrl = new URL(TEST_SERVER_URL);
      restoredUrl.pathname = `/${name}`;
      const restored = await openServer({ url: restoredUrl.toString(), poolMax: 2 });
      try {
        expect(await rows(restored.db)).toEqual(before);
        expect(await checkDatabase(Promise.resolve(restored), new Deadline(10_000))).toMatchObject({ status: "ok", timescaledb: { installed: false }, migrations: { pending: [] } });
      } finally {
        await restored.close();
      }
    } finally {
      await source.close();
    }
  });
});
