import { expect, test } from "@playwright/test";
import { collectErrors, inDays, screenshot } from "./helpers";

test("every invalid form field shows its message, and nothing is searched", async ({ page }, testInfo) => {
  const errors = collectErrors(page);
  await page.goto("/");
  const form = page.getByRole("form", { name: "Search flights" });
  await page.getByRole("radio", { name: "Round trip" }).check();
  await form.getByLabel("Departure").fill(inDays(-3));
  await form.getByLabel("Return").fill(inDays(-5));
  await form.getByLabel(/^Adults/).fill("0");
  await form.getByLabel(/^Children/).fill("12");
  await form.getByLabel(/^Infants/).fill("2");
  await page.getByRole("button", { name: "Search flights" }).click();
  await expect(form.getByRole("alert")).toContainText("Please fix the");
  const message = (field: string) => form.locator(`[data-field="${field}"] p`);
  await expect(message("originCode")).toHaveText(/Choose an airport or city/);
  await expect(message("destinationCode")).toHaveText(/Choose an airport or city/);
  await expect(message("departureDate")).toHaveText(/Must not be in the past/);
  await expect(message("returnDate")).toHaveText(/Must not be before departureDate/);
  await expect(message("adults")).toHaveText(/Must be at least 1/);
  await expect(message("children")).toHaveText(/Must be at most 8/);
  // The first wrong field has the focus, and each is marked invalid for assistive technology.
  await expect(page.getByRole("combobox", { name: "From" })).toBeFocused();
  await expect(page.getByRole("combobox", { name: "From" })).toHaveAttribute("aria-invalid", "true");
  await expect(page).toHaveURL(/\/$/);

  // The same code in both: the API's cross-field rule, shown on the field.
  await page.getByRole("combobox", { name: "From" }).fill("LHR");
  await page.getByRole("combobox", { name: "To" }).fill("LHR");
  await form.getByLabel(/^Adults/).fill("1");
  await form.getByLabel(/^Infants/).fill("3");
  await page.getByRole("button", { name: "Search flights" }).click();
  await expect(message("destinationCode")).toHaveText(/Must differ from originCode/);
  await expect(message("infants")).toHaveText(/Must not be more than adults/);
  await screenshot(page, testInfo, "form-errors");
  expect(errors).toEqual([]);
});

test("a search URL that does not hold up renders the form with the server's messages", async ({ page }) => {
  await page.goto(`/search?originCode=L1&destinationCode=JFK&departureDate=2020-01-01&cabins=deck&adults=12`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Check your search");
  const form = page.getByRole("form", { name: "Search flights" });
  await expect(form.locator('[data-field="originCode"] p')).toHaveText(/3-letter IATA/);
  await expect(form.locator('[data-field="departureDate"] p')).toHaveText(/past/);
  await expect(form.locator('[data-field="cabins"] p')).toHaveText(/must be one of|Must be one of/);
  await expect(form.locator('[data-field="adults"] p')).toHaveText(/at most 9/);
  // A code no airport has is caught by the search itself, on the same field.
  await page.goto(`/search?originCode=QQQ&destinationCode=JFK&departureDate=${inDays(20)}&nojs=1`);
  await expect(page.getByRole("form", { name: "Search flights" }).locator('[data-field="originCode"] p')).toHaveText(/not a known airport/);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the results page renders its results", async ({ page }, testInfo) => {
    await page.goto(`/search?originCode=LHR&destinationCode=DXB&departureDate=${inDays(25)}&sort=cheapest`);
    // The page reloads itself with nojs=1, where the server waits for every provider.
    await expect(page).toHaveURL(/nojs=1/);
    const offers = page.getByTestId("offer");
    await expect(offers.first()).toBeVisible();
    expect(await offers.count()).toBe(20);
    await expect(page.getByTestId("provider-skyway")).toHaveAttribute("data-status", "ok");
    await expect(page.getByTestId("insight")).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Sort" }).getByRole("link", { name: "Cheapest" })).toHaveAttribute("aria-current", "true");
    await screenshot(page, testInfo, "results-nojs");
    // Filters work as a plain form.
    await page.getByRole("radio", { name: "Nonstop only" }).check();
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/maxStops=0/);
    for (const text of await offers.allTextContents()) expect(text).toContain("Nonstop");
  });

  test("the route page renders its chart, table and date grid", async ({ page }, testInfo) => {
    await page.goto("/routes/LHR-JFK?days=30");
    await expect(page.getByRole("heading", { level: 1 })).toContainText("LHR");
    await expect(page.getByTestId("chart-band")).toHaveAttribute("d", /^M/);
    // 30 days back from today; today's demo observation (09:00 UTC) may not have happened yet.
    const rows = await page.locator("table tbody tr").count();
    expect(rows).toBeGreaterThanOrEqual(29);
    expect(rows).toBeLessThanOrEqual(30);
    expect(await page.getByTestId("date-grid").getByRole("link", { name: /from £/ }).count()).toBeGreaterThan(60);
    await expect(page.getByRole("link", { name: "Download CSV" })).toHaveAttribute("href", /snapshots\.csv/);
    await screenshot(page, testInfo, "route-nojs");
  });

  test("the search form submits as a plain form", async ({ page }) => {
    await page.goto("/");
    await page.getByRole("combobox", { name: "From" }).fill("LHR");
    await page.getByRole("combobox", { name: "To" }).fill("CDG");
    await page.getByRole("button", { name: "Search flights" }).click();
    await expect(page).toHaveURL(/\/search\?.*originCode=LHR/);
    await expect(page.getByTestId("offer").first()).toBeVisible();
  });
});

test("an unknown route is a 404 page, and the export refuses bad parameters per field", async ({ page, request }) => {
  const response = await page.goto("/routes/LHR-QQQ");
  expect(response?.status()).toBe(404);
  const bad = await request.get("/routes/LHR-JFK/snapshots.csv?days=0&limit=abc");
  expect(bad.status()).toBe(400);
  expect(Object.keys((await bad.json()).errors).sort()).toEqual(["days", "limit"]);
});
