import { expect, test } from "@playwright/test";
import { collectErrors, inDays, newEmail, signedInPage, signIn } from "./helpers";

// The admin console as an operator meets it, on the "web" server: an embedded database with the
// demo history and the console's demo runs written before the start (scripts/e2e-server.mjs), the
// jobs in the app process. admin1@e2e.test is an admin at sign-in (ADMIN_EMAILS).

const local = (baseURL: string | undefined) => baseURL!.replace("127.0.0.1", "localhost");

test("an admin walks the overview to a failed run, retries it and sees it succeed; pauses a provider and a search shows it paused; the audit log has both", async ({
  page,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const origin = local(baseURL);
  const errors = collectErrors(page);
  await signIn(page, origin, "admin1@e2e.test");

  // The overview, with the demo's runs of the last day, refreshing by itself.
  await page.goto(`${origin}/admin`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Overview");
  const nav = page.getByRole("navigation", { name: /admin/i });

  // Failures: the demo's dead-lettered jobs; open one.
  await nav.getByRole("link", { name: "Failures" }).click();
  await expect(page).toHaveURL(/\/admin\/failures/);
  const dead = page.getByTestId("dead-run");
  await expect(dead.first()).toBeVisible();
  const deadBefore = await dead.count();
  await dead.first().getByRole("link").first().click();
  await expect(page).toHaveURL(/\/admin\/runs\/\d+/);
  await expect(page.getByTestId("run-status")).toContainText("failed");

  // Retry: a real job runs its query again, and the page follows it to success.
  await page.getByRole("button", { name: "Retry", exact: true }).click();
  await expect(page.getByTestId("retry-run-status")).toContainText("succeeded", { timeout: 90_000 });
  await nav.getByRole("link", { name: "Failures" }).click();
  // It, and any other dead run of the same query (one retry refreshes the query for all), left the list.
  await expect.poll(() => page.getByTestId("dead-run").count()).toBeLessThan(deadBefore);

  // Pause FareFinder: a search's chips show it paused (every instance honours it within a second).
  await nav.getByRole("link", { name: "Providers" }).click();
  const pause = page.getByRole("button", { name: /^Pause FareFinder/ });
  try {
    await pause.click();
    await expect(page.getByRole("button", { name: /^Resume FareFinder/ })).toBeVisible();
    await page.waitForTimeout(1_100);
    await page.goto(`${origin}/search?originCode=LHR&destinationCode=JFK&departureDate=${inDays(100 + Math.floor(Math.random() * 150))}`);
    await expect(page.getByTestId("provider-skyway")).toHaveAttribute("data-status", "ok", { timeout: 30_000 });
    await expect(page.getByTestId("provider-farefinder")).toHaveAttribute("data-status", "paused");
    await expect(page.getByTestId("provider-farefinder")).toContainText(/paused/i);
  } finally {
    // Resumed, whatever happened above: the other specs of this server search with both.
    await page.goto(`${origin}/admin/providers`);
    const resume = page.getByRole("button", { name: /^Resume FareFinder/ });
    if (await resume.isVisible()) await resume.click();
    await expect(page.getByRole("button", { name: /^Pause FareFinder/ })).toBeVisible();
  }
  await page.waitForTimeout(1_100);
  await page.goto(`${origin}/search?originCode=LHR&destinationCode=JFK&departureDate=${inDays(100 + Math.floor(Math.random() * 150))}`);
  await expect(page.getByTestId("provider-farefinder")).toHaveAttribute("data-status", "ok", { timeout: 30_000 });

  // The audit log: the retry, the pause and the resume, by this admin.
  await page.goto(`${origin}/admin/audit`);
  for (const action of ["ingestion_retried", "provider_paused", "provider_resumed"]) {
    await expect(page.getByText(action).first()).toBeVisible();
  }
  expect(errors).toEqual([]);
});

test("the console refuses a signed-in user (403) and sends anonymous visitors to sign in", async ({ browser, baseURL }) => {
  const origin = local(baseURL);
  const user = await signedInPage(browser, origin, newEmail("not-admin"));
  for (const path of ["/admin", "/admin/runs", "/admin/failures", "/admin/providers", "/admin/freshness", "/admin/notifications", "/admin/users", "/admin/audit"]) {
    const response = await user.goto(`${origin}${path}`);
    expect(response?.status(), path).toBe(403);
  }
  await user.context().close();
  const anonymous = await browser.newContext();
  const page = await anonymous.newPage();
  await page.goto(`${origin}/admin/runs`);
  await expect(page).toHaveURL(/\/sign-in/);
  await anonymous.close();
});
