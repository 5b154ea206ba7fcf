import fs from "node:fs";
import { expect, test } from "@playwright/test";

// The app as a new user first meets it: no configuration, embedded database, fresh data folder.

test("the home page says what the product is", async ({ page }) => {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  await page.goto("/");
  await expect(page).toHaveTitle(/Flight Tracker/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/Find the flight/);
  await expect(page.getByRole("heading", { name: "Price history for every route" })).toBeVisible();
  await expect(page.getByText(/labelled as simulated/)).toBeVisible();
  // The first Tab reaches the skip link, which becomes visible.
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Skip to content" })).toBeFocused();
  await expect(page.getByRole("link", { name: "Skip to content" })).toBeVisible();
  fs.mkdirSync("e2e/screenshots", { recursive: true });
  await page.screenshot({ path: "e2e/screenshots/home.png", fullPage: true });
  expect(errors).toEqual([]);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });
  test("the home page is rendered on the server", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(/Find the flight/);
    await expect(page.getByRole("article")).toHaveCount(4);
  });
});

test("the health endpoint reports the embedded TimescaleDB engine, migrated and seeded", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  expect(response.headers()["cache-control"]).toContain("no-store");
  const body = await response.json();
  expect(body).toMatchObject({
    status: "ok",
    database: {
      engine: "embedded",
      reachable: true,
      timescaledb: { installed: true },
      migrations: { latest: "0008_admin", pending: [] },
      referenceDataLoaded: true,
      error: null,
    },
  });
  expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
});
