import { expect, test } from "@playwright/test";
import fs from "node:fs";
import path from "node:path";

// DATABASE_URL set to a server, DATABASE_MIGRATE_ON_START=true: this machine's PostgreSQL (no
// TimescaleDB: plain relations) in the postgres-server project, the TimescaleDB server in the
// timescale-server project.

test("health reports the server, migrated and seeded, with TimescaleDB where it has it", async ({ request }, testInfo) => {
  const timescale = testInfo.project.name === "timescale-server";
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  const body = await response.json();
  expect(body).toMatchObject({
    // Ready, and degraded only by the job queue: no worker runs in these projects (WORKER_MODE
    // defaults to worker with a server), so pg-boss's tables are not there and nothing refreshes.
    status: "degraded",
    ready: true,
    database: {
      status: "ok",
      engine: "server",
      reachable: true,
      timescaledb: timescale ? { installed: true, version: expect.stringMatching(/^2\.23/) } : { installed: false, version: null },
      migrations: { latest: "0008_admin", pending: [] },
      referenceDataLoaded: true,
    },
    cache: { status: "ok", driver: "memory" },
    queue: { status: "degraded", workerMode: "worker", installed: false },
    smtp: timescale ? { status: "disabled", delivery: "none" } : { status: "ok", delivery: "smtp" },
  });
  expect(body.providers.map((p: { id: string; status: string }) => [p.id, p.status])).toEqual([
    ["skyway", "ok"],
    ["farefinder", "ok"],
  ]);
});

test("searches work against the PostgreSQL server", async ({ request }) => {
  const date = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  const response = await request.get(`/api/v1/flights/search?originCode=CDG&destinationCode=JFK&departureDate=${date}&currency=EUR`);
  expect(response.status()).toBe(200);
  const body = await response.json();
  expect(body.currency).toBe("EUR");
  expect(body.flights.length).toBeGreaterThan(0);
});

test("in production with no sign-in method configured, the sign-in page says what to configure; nothing crashes", async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== "timescale-server", "the TimescaleDB server's app has no sign-in method configured");
  const response = await page.goto("/sign-in");
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("heading", { name: "No way to sign in is configured" })).toBeVisible();
  await expect(page.getByText("EMAIL_SERVER").first()).toBeVisible();
  await expect(page.getByLabel("Email address")).toHaveCount(0);
  expect((await page.request.get("/dev/outbox")).status()).toBe(404);
  expect((await page.request.get("/api/auth/providers")).status()).toBe(200);
});

test("signs in by a link sent by SMTP (a real mail server on loopback), and there is no outbox", async ({ page, baseURL }, testInfo) => {
  test.skip(testInfo.project.name !== "postgres-server", "the PostgreSQL server's app sends links by SMTP");
  // At localhost: Next rewrites 127.0.0.1 to localhost in request URLs, and links and cookies follow it.
  const origin = baseURL!.replace("127.0.0.1", "localhost");
  const mailFile = path.join(".test-output", `e2e-mail-${new URL(origin).port}.jsonl`);
  const email = `smtp-${Date.now()}@example.test`;
  await page.goto(`${origin}/sign-in?callbackUrl=%2Faccount`);
  await expect(page.getByText("This install has no email server")).toHaveCount(0);
  await page.getByLabel("Email address").fill(email);
  await page.getByRole("button", { name: "Email me a sign-in link" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  let link: string | undefined;
  await expect(async () => {
    const messages = fs.readFileSync(mailFile, "utf8").trim().split("\n").filter(Boolean).map((line) => JSON.parse(line) as { to: string; subject: string; text: string });
    const message = messages.find((m) => m.to === email);
    expect(message?.subject).toBe("Sign in to Flight Tracker");
    link = /(http:\/\/localhost:\d+\/api\/auth\/callback\/email\S+)/.exec(message!.text)?.[1];
    expect(link).toBeTruthy();
  }).toPass({ timeout: 10_000 });
  await page.goto(link!);
  await expect(page).toHaveURL(`${origin}/account`);
  await expect(page.getByText(email).first()).toBeVisible();
  expect((await page.request.get(`${origin}/dev/outbox`)).status()).toBe(404);
});
