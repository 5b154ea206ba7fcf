import { expect, test } from "@playwright/test";

// Signing in with no configuration at all (the quick start: embedded engine, no EMAIL_SERVER):
// the link goes to the development outbox. At localhost, not 127.0.0.1: Next rewrites the host
// of request URLs to localhost, and the sign-in link and cookies follow it.

test("with no configuration, a sign-in link lands in the outbox and signs in; signing out ends the session", async ({ page, baseURL }) => {
  const origin = baseURL!.replace("127.0.0.1", "localhost");
  const email = `first-${Date.now()}@example.test`;
  await page.goto(`${origin}/api/auth/signin`);
  await page.locator('input[name="email"]').fill(email);
  await page.locator('form[action$="/signin/email"] button[type="submit"]').click();
  await expect(page).toHaveURL(/\/api\/auth\/verify-request/);

  await page.goto(`${origin}/dev/outbox`);
  await expect(page.getByRole("heading", { name: "Development outbox" })).toBeVisible();
  await page.getByRole("link", { name: `Sign in as ${email}` }).first().click();
  await page.waitForURL((url) => !url.pathname.startsWith("/api/auth/callback"));

  const session = await (await page.request.get(`${origin}/api/auth/session`)).json();
  expect(session).toMatchObject({ user: { email, role: "user" } });
  expect(JSON.stringify(session)).not.toMatch(/token/i);
  const cookies = await page.context().cookies(origin);
  const sessionCookie = cookies.find((c) => c.name.endsWith("authjs.session-token"))!;
  expect(sessionCookie).toMatchObject({ httpOnly: true, sameSite: "Lax" });

  await page.goto(`${origin}/api/auth/signout`);
  await page.locator('form[action$="/signout"] button[type="submit"]').click();
  expect(await (await page.request.get(`${origin}/api/auth/session`)).json()).toBeNull();
});

test("paths under /api/auth that Auth.js does not serve are problem details, like the rest of /api/", async ({ request }) => {
  const response = await request.get("/api/auth/nope");
  expect(response.status()).toBe(404);
  expect(response.headers()["content-type"]).toContain("application/problem+json");
});
