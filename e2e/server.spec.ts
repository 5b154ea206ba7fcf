import { expect, test } from "@playwright/test";

// DATABASE_URL set to this machine's PostgreSQL (no TimescaleDB), DATABASE_MIGRATE_ON_START=true.

test("health reports the PostgreSQL server, migrated with plain relations and seeded", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  const body = await response.json();
  expect(body).toMatchObject({
    status: "ok",
    database: {
      engine: "server",
      reachable: true,
      timescaledb: { installed: false, version: null },
      migrations: { latest: "0001_timescale", pending: [] },
      referenceDataLoaded: true,
    },
  });
});
