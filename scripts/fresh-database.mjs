/**
 * A new, empty database on a PostgreSQL server, for tests, end-to-end runs and benchmarks:
 * each caller gets its own, and drops it when done. Plain JavaScript so that the e2e launcher
 * (scripts/e2e-server.mjs) can use it as well as the TypeScript callers.
 */
import crypto from "node:crypto";
import postgres from "postgres";

export async function createFreshDatabase(serverUrl, prefix) {
  const name = `${prefix}_${crypto.randomBytes(4).toString("hex")}`;
  const admin = postgres(serverUrl, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end({ timeout: 1 });
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    async drop() {
      const dropper = postgres(serverUrl, { max: 1, onnotice: () => {} });
      try {
        await dropper.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await dropper.end({ timeout: 1 });
      }
    },
  };
}

/** Whether a PostgreSQL server answers at `url` (within 3 s). */
export async function serverReachable(url) {
  const sql = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql`SELECT 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 });
  }
}
