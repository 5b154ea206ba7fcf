import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openEmbedded, queryRows, redactUrl, type Database } from "@/db/client";
import { DatabaseInUseError } from "@/db/lock";
import { runTimescalePolicies } from "@/db/maintenance";
import { migrate } from "@/db/migrate";
import { recordSearch } from "@/db/queries/snapshots";
import { makeOffers, uniqueQuery } from "@/test/fixtures";

const open: Database[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((d) => d.close().catch(() => {})));
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDataDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ft-pglite-"));
  dirs.push(dir);
  return path.join(dir, "pglite");
}

describe("embedded engine with a data folder", () => {
  it("keeps its data across a restart, with TimescaleDB fully working after the reopen", async () => {
    const dataDir = tempDataDir();
    const first = await openEmbedded({ dataDir });
    await migrate(first);
    const query = uniqueQuery();
    await recordSearch(first.db, query, new Date(Date.now() - 86_400_000), makeOffers(query, 3, () => 1000));
    await first.close();

    const second = await openEmbedded({ dataDir });
    open.push(second);
    expect((await migrate(second)).applied).toEqual([]);
    // Inserting into the hypertable needs the extension's hooks, which a reopened PGlite only
    // has because the engine loads the library at open.
    const again = await recordSearch(second.db, query, new Date(), makeOffers(query, 3, () => 900));
    expect(again.written).toBe(3);
    const [count] = await queryRows<{ n: number }>(second.db, "SELECT count(*)::int AS n FROM price_snapshot");
    expect(count?.n).toBe(6);
    // The policy jobs (compression, aggregate refresh) run by hand on this engine.
    expect(await runTimescalePolicies(second.db)).toEqual({ ran: 3, failed: [] });
  });

  it("refuses a second opener of the same folder with a clear error, and frees the folder on close", async () => {
    const dataDir = tempDataDir();
    const first = await openEmbedded({ dataDir });
    const failure = await openEmbedded({ dataDir }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DatabaseInUseError);
    expect((failure as Error).message).toContain(`in use by process ${process.pid}`);
    expect((failure as Error).message).toContain("DATABASE_URL");
    await first.close();
    const reopened = await openEmbedded({ dataDir });
    open.push(reopened);
  });

  it("takes over a lock left by a process that is gone", async () => {
    const dataDir = tempDataDir();
    fs.mkdirSync(path.dirname(dataDir), { recursive: true });
    fs.writeFileSync(`${dataDir}.lock`, "2147483646");
    const database = await openEmbedded({ dataDir });
    open.push(database);
    expect(fs.readFileSync(`${dataDir}.lock`, "utf8")).toBe(String(process.pid));
  });
});

describe("redactUrl", () => {
  it("hides the password and keeps the rest", () => {
    expect(redactUrl("postgres://app:s3cret@db.internal:5432/flights?sslmode=require")).toBe(
      "postgres://app:***@db.internal:5432/flights?sslmode=require",
    );
    expect(redactUrl("postgres://postgres@127.0.0.1:5432/test")).toBe("postgres://postgres@127.0.0.1:5432/test");
    expect(redactUrl("::nonsense")).not.toContain("nonsense");
    expect(redactUrl("postgres://app@db.internal/flights?password=s3cret&sslmode=verify-full&sslpassword=k3y")).toBe(
      "postgres://app@db.internal/flights?password=***&sslmode=verify-full&sslpassword=***",
    );
  });
});
