import { expect, test } from "@playwright/test";

// DATABASE_URL set to a server, DATABASE_MIGRATE_ON_START=true: this machine's PostgreSQL (no
// TimescaleDB: plain relations) in the postgres-server project, the TimescaleDB server in the
// timescale-server project.

test("health reports the server, migrated and seeded, with TimescaleDB where it has it", async ({ request }, testInfo) => {
  const timescale = testInfo.project.name === "timescale-server";
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  const body = await response.json();
  expect(body).toMatchObject({
    status: "ok",
    database: {
      engine: "server",
      reachable: true,
      timescaledb: timescale ? { installed: true, version: expect.stringMatching(/^2\.23/) } : { installed: false, version: null },
      migrations: { latest: "0005_session_seen", pending: [] },
      referenceDataLoaded: true,
    },
  });
});

test("searches work against the PostgreSQL server", async ({ request }) => {
  const date = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  const response = await request.get(`/api/v1/flights/search?originCode=CDG&destinationCode=JFK&departureDate=${date}&currency=EUR`);
  expect(response.status()).toBe(200);
  const body = await response.json();
  expect(body.currency).toBe("EUR");
  expect(body.flights.length).toBeGreaterThan(0);
});
