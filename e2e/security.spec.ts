import { expect, test, type Page } from "@playwright/test";
import { collectErrors, inDays, newEmail, signIn } from "./helpers";

// The headers on every answer, and the main pages under their Content-Security-Policy with
// nothing refused and nothing logged as an error (hydration errors included).

const mainPages = [
  { name: "home", path: "/", ready: "form" },
  { name: "results", path: `/search?originCode=LHR&destinationCode=JFK&departureDate=${inDays(34)}`, ready: '[aria-label="Flights"] [data-testid="offer"]' },
  { name: "results without a cache", path: `/search?originCode=CDG&destinationCode=JFK&departureDate=${inDays(36)}&cabins=business`, ready: '[aria-label="Flights"] [data-testid="offer"]' },
  { name: "route", path: "/routes/LHR-JFK?days=30", ready: '[data-testid="price-chart"]' },
  { name: "API reference", path: "/docs/api", ready: "h1" },
  { name: "not found", path: "/routes/LHR-QQQ", ready: "h1" },
  { name: "sign-in", path: "/sign-in", ready: "form" },
];

/** Violations of the page's policy, as the browser reports them to the page. */
async function watchViolations(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __violations: string[] }).__violations = seen;
    document.addEventListener("securitypolicyviolation", (e) => seen.push(`${e.violatedDirective}: ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`));
  });
  return () => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);
}

for (const { name, path, ready } of mainPages) {
  test(`the ${name} page runs under its policy with no violation and no console error`, async ({ page }) => {
    const errors = collectErrors(page);
    const violations = await watchViolations(page);
    const response = await page.goto(path);
    await page.locator(ready).first().waitFor({ timeout: 20_000 });
    // Give late scripts (hydration, streamed chunks) their turn.
    await page.waitForLoadState("networkidle");
    const policy = response!.headers()["content-security-policy"]!;
    expect(policy).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(policy).toContain("frame-ancestors 'none'");
    expect(await violations()).toEqual([]);
    // A 404 page's own document request is reported by Chromium as a console error; nothing else may be.
    expect(errors.filter((e) => !(name === "not found" && /status of 404/.test(e)))).toEqual([]);
  });
}

test("signing in and the account page run under the policy with no violation and no console error", async ({ page, baseURL }) => {
  const origin = baseURL!.replace("127.0.0.1", "localhost");
  const errors = collectErrors(page);
  const violations = await watchViolations(page);
  await signIn(page, origin, newEmail("csp"));
  const response = await page.goto(`${origin}/account`);
  await page.getByRole("heading", { name: "Active sessions" }).waitFor();
  await page.getByLabel("Key name").fill("csp");
  await page.getByRole("button", { name: "Create key" }).click();
  await page.getByTestId("new-api-key").waitFor();
  // The page's refresh has rendered the new key into the list; then give late scripts their turn.
  await expect(page.getByRole("list", { name: "Your API keys" })).toContainText("csp");
  await page.waitForTimeout(1_000);
  expect(response!.headers()["content-security-policy"]).toMatch(/script-src 'self' 'nonce-/);
  expect(await violations()).toEqual([]);
  expect(errors).toEqual([]);
});

test("every answer carries the security headers and a request id, a caller's valid one kept", async ({ request }) => {
  const paths = ["/", "/routes/LHR-JFK", "/api/health", "/api/v1/airports?q=lon", "/api/v1/nope", "/icon.svg", "/routes/LHR-JFK/snapshots.csv?days=1"];
  for (const path of paths) {
    const response = await request.get(path);
    const headers = response.headers();
    expect(headers["x-content-type-options"], path).toBe("nosniff");
    expect(headers["referrer-policy"], path).toBe("strict-origin-when-cross-origin");
    expect(headers["permissions-policy"], path).toContain("camera=()");
    expect(headers["x-frame-options"], path).toBe("DENY");
    expect(headers["x-powered-by"], path).toBeUndefined();
    // Served over plain HTTP here: no HSTS.
    expect(headers["strict-transport-security"], path).toBeUndefined();
    if (path !== "/icon.svg") expect(headers["x-request-id"], path).toMatch(/^[0-9a-f-]{36}$/);
  }
  expect((await request.get("/api/health")).headers()["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
  const kept = await request.get("/api/health", { headers: { "x-request-id": "trace-1234.abcd" } });
  expect(kept.headers()["x-request-id"]).toBe("trace-1234.abcd");
  const replaced = await request.get("/api/health", { headers: { "x-request-id": "<script>" } });
  expect(replaced.headers()["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  // Behind no trusted proxy, a client's X-Forwarded-Proto does not switch HSTS on.
  expect((await request.get("/", { headers: { "x-forwarded-proto": "https" } })).headers()["strict-transport-security"]).toBeUndefined();
});
