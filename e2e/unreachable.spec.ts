import { expect, test } from "@playwright/test";

// DATABASE_URL points at a port where nothing listens: the app starts anyway and says why.

test("health answers 503 and names DATABASE_URL, without its password", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(503);
  const body = await response.json();
  expect(body.status).toBe("unavailable");
  expect(body.database).toMatchObject({ engine: "server", reachable: false });
  expect(body.database.error).toMatch(/DATABASE_URL/);
  expect(body.database.error).toMatch(/ECONNREFUSED/);
  expect(JSON.stringify(body)).not.toContain("e2e-secret");
});

test("pages that need no database still render", async ({ page }) => {
  const response = await page.goto("/");
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
});

test("a search answers 503, not 500, and says why", async ({ request }) => {
  const date = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  const response = await request.get(`/api/v1/flights/search?originCode=LHR&destinationCode=JFK&departureDate=${date}`);
  expect(response.status()).toBe(503);
  expect(response.headers()["retry-after"]).toBeTruthy();
  expect((await response.json()).detail).toMatch(/database/i);
});

test("without a database the sign-in page says signing in is unavailable, and a session cookie still gets the page", async ({ page, context, baseURL }) => {
  await page.goto("/sign-in");
  await expect(page.getByRole("main").getByRole("alert")).toContainText("the database cannot be reached");
  await context.addCookies([{ name: "authjs.session-token", value: "0".repeat(64), url: baseURL! }]);
  const response = await page.goto("/");
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
});
