import { expect, test } from "@playwright/test";
import { collectErrors, inDays, newEmail, signIn } from "./helpers";

// The server listens on every address; opened at 127.0.0.1 rather than localhost, the results
// page must still complete, with no console error (a hydration mismatch included). Runs against
// the quick start's command (`npm run app`) and against `next dev`.

test("the results page completes at 127.0.0.1, with no console error", async ({ page, baseURL }) => {
  expect(new URL(baseURL!).hostname).toBe("127.0.0.1");
  const errors = collectErrors(page);
  // The development server compiles each page on its first request.
  test.setTimeout(180_000);
  await page.goto(`/search?originCode=LHR&destinationCode=JFK&departureDate=${inDays(32)}`, { timeout: 150_000 });
  await expect(page.getByTestId("offer").first()).toBeVisible({ timeout: 90_000 });
  await expect(page.getByTestId("provider-skyway")).toHaveAttribute("data-status", "ok");
  await expect(page.getByRole("progressbar")).toHaveCount(0);
  // Leave time for a late hydration error or a reload to show.
  await page.waitForTimeout(2_000);
  expect(errors).toEqual([]);
});

test("signing in works at whatever address the app was opened by, and comes back to it", async ({ page, baseURL }) => {
  // The development server compiles each page on its first request.
  test.setTimeout(180_000);
  const origin = baseURL!;
  await page.goto(`${origin}/account`, { timeout: 150_000 });
  await expect(page).toHaveURL(`${origin}/sign-in?callbackUrl=%2Faccount`, { timeout: 60_000 });
  await signIn(page, origin, newEmail("any-address"));
  await expect(page).toHaveURL(`${origin}/account`, { timeout: 60_000 });
  await expect(page.getByRole("heading", { name: "Active sessions" })).toBeVisible({ timeout: 60_000 });
});
