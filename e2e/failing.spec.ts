import { expect, test } from "@playwright/test";
import { inDays, screenshot } from "./helpers";

// The server behind this project has SIMULATED_FAIL=farefinder.
test("a failing provider shows its failed chip while the other's results still show", async ({ page }, testInfo) => {
  await page.goto(`/search?originCode=LHR&destinationCode=JFK&departureDate=${inDays(40)}`);
  await expect(page.getByTestId("provider-farefinder")).toHaveAttribute("data-status", "error", { timeout: 20_000 });
  await expect(page.getByTestId("provider-farefinder")).toContainText("failed");
  await expect(page.getByTestId("provider-skyway")).toHaveAttribute("data-status", "ok");
  await expect(page.getByTestId("offer").first()).toBeVisible();
  await expect(page.getByText(/Some providers did not answer/)).toBeVisible();
  // Every offer comes from the provider that answered.
  for (const text of await page.getByTestId("offer").allTextContents()) {
    expect(text).toContain("Skyway");
    expect(text).not.toContain("FareFinder");
  }
  await screenshot(page, testInfo, "results-failing-provider");
});
