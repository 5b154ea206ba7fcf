import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { amount, collectErrors, inDays, parseCsv, screenshot } from "./helpers";

// A traveller's whole journey, by keyboard where a keyboard user would: home page, airport
// autocomplete, live results with progress, sort, filter, the route page's chart, date grid and
// CSV export. Runs on a desktop window (project web) and a 375 px phone (project web-phone).

test("search from the home page, refine the results, then explore the route", async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const errors = collectErrors(page);
  const departure = inDays(30);
  await page.goto("/");
  await screenshot(page, testInfo, "home");

  // Autocomplete: a city name, arrow keys, Enter.
  const from = page.getByRole("combobox", { name: "From" });
  await from.fill("heathrow");
  const fromOptions = page.getByRole("listbox", { name: "From suggestions" });
  await expect(fromOptions.getByRole("option").first()).toContainText("LHR");
  await from.press("ArrowDown");
  await expect(fromOptions.getByRole("option").first()).toHaveAttribute("aria-selected", "true");
  await from.press("Enter");
  await expect(from).toHaveValue(/\(LHR\)$/);

  const to = page.getByRole("combobox", { name: "To" });
  await to.fill("new york");
  const toOptions = page.getByRole("listbox", { name: "To suggestions" });
  // The metro code comes first, then its airports.
  await expect(toOptions.getByRole("option").first()).toContainText("NYC");
  await expect(toOptions.getByRole("option", { name: /^John F\. Kennedy/ })).toBeVisible();
  const index = await toOptions.getByRole("option").evaluateAll((options) => options.findIndex((o) => o.textContent?.startsWith("John F. Kennedy")));
  for (let i = 0; i <= index; i++) await to.press("ArrowDown");
  await to.press("Enter");
  await expect(to).toHaveValue(/\(JFK\)$/);

  await page.getByLabel("Departure").fill(departure);
  await page.getByRole("button", { name: "Search flights" }).press("Enter");

  // Results page: the whole search in the URL, progress while providers answer, then offers.
  await expect(page).toHaveURL(new RegExp(`/search\\?originCode=LHR&destinationCode=JFK&departureDate=${departure}`));
  const progress = page.getByRole("progressbar", { name: "Search progress" });
  await expect(progress.or(page.getByTestId("offer").first())).toBeVisible();
  await expect(page.getByTestId("provider-skyway")).toHaveAttribute("data-status", "ok", { timeout: 20_000 });
  await expect(page.getByTestId("provider-farefinder")).toHaveAttribute("data-status", "ok");
  await expect(progress).toHaveCount(0);
  const offers = page.getByTestId("offer");
  await expect(offers.first()).toBeVisible();
  expect(await offers.count()).toBeGreaterThanOrEqual(5);
  await expect(offers.first().getByTestId("simulated-label")).toHaveText("Simulated price");
  await expect(offers.first()).toContainText(/Seen (just now|\d+ min ago)/);
  await expect(offers.first().getByRole("link", { name: /View deal/ })).toHaveAttribute("href", /^https:\/\/(skyway|farefinder)\.example\.com\//);
  await expect(page.getByTestId("insight")).toBeVisible();
  await screenshot(page, testInfo, "results");

  // Sort without a new search: cheapest first, in order; the URL follows.
  const requests: string[] = [];
  page.on("request", (request) => {
    if (request.url().includes("/api/trpc/flight.results")) requests.push(request.url());
  });
  await page.getByRole("navigation", { name: "Sort" }).getByRole("link", { name: "Cheapest" }).click();
  await expect(page).toHaveURL(/sort=cheapest/);
  const prices = (await offers.getByTestId("price").allTextContents()).map(amount);
  expect(prices.length).toBeGreaterThanOrEqual(5);
  expect(prices).toEqual([...prices].sort((a, b) => a - b));

  // Filter: nonstop only.
  const countText = page.getByText(/^\d+ of \d+ flights/);
  const before = amount((await countText.textContent())!.split(" of ")[0]!);
  const showFilters = page.getByRole("button", { name: /^Filters/ });
  if (await showFilters.isVisible()) await showFilters.click();
  await page.getByRole("radio", { name: "Nonstop only" }).check();
  await expect(page).toHaveURL(/maxStops=0/);
  await expect(offers.first()).toBeVisible();
  for (const text of await offers.allTextContents()) expect(text).toContain("Nonstop");
  const after = amount((await countText.textContent())!.split(" of ")[0]!);
  expect(after).toBeLessThan(before);
  expect(requests).toEqual([]);

  // The route page, from the results.
  await page.getByRole("link", { name: "Price history for this route" }).click();
  await expect(page).toHaveURL(new RegExp(`/routes/LHR-JFK\\?date=${departure}`));
  await page.goto("/routes/LHR-JFK");
  const chart = page.getByTestId("price-chart");
  await expect(chart).toBeVisible();
  const band = await chart.getByTestId("chart-band").getAttribute("d");
  expect(band?.length ?? 0).toBeGreaterThan(100);
  await expect(chart.getByTestId("chart-line")).toHaveAttribute("d", /^M[\d.]+,[\d.]+/);
  // Keyboard tooltip with exact figures.
  await chart.focus();
  await page.keyboard.press("End");
  const tooltip = page.getByTestId("chart-tooltip");
  await expect(tooltip).toContainText(/Lowest £[\d,]+\.\d{2}/);
  await expect(tooltip).toContainText(/Highest £[\d,]+\.\d{2}/);
  await page.keyboard.press("ArrowLeft");
  await expect(tooltip).toBeVisible();
  // 30 days: the table alternative has at most 30 rows.
  await page.getByRole("navigation", { name: "Period" }).getByRole("link", { name: "30 days" }).click();
  await expect(page).toHaveURL(/days=30/);
  await page.getByText("Show the figures as a table").click();
  await expect.poll(async () => page.locator("table tbody tr").count()).toBeLessThanOrEqual(30);
  expect(await page.locator("table tbody tr").count()).toBeGreaterThanOrEqual(20);
  await screenshot(page, testInfo, "route");

  // CSV export: the right header and rows.
  const downloadPromise = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download CSV" }).click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toMatch(/^LHR-JFK-snapshots-\d{4}-\d{2}-\d{2}\.csv$/);
  const rows = parseCsv(fs.readFileSync((await download.path())!, "utf8"));
  expect(rows[0]).toEqual([
    "observed_at", "provider", "simulated", "origin", "destination", "departure_date", "return_date", "cabin", "carriers",
    "flight_numbers", "stops", "departure_at", "arrival_at", "duration_minutes", "price", "price_per_adult", "currency", "deep_link",
  ]);
  expect(rows.length).toBeGreaterThan(100);
  for (const row of rows.slice(1, 50)) {
    expect(row).toHaveLength(18);
    expect(row[0]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(row[3]).toBe("LHR");
    expect(row[14]).toMatch(/^\d+\.\d{2}$/);
  }

  // The date grid: a priced day searches that day.
  const grid = page.getByTestId("date-grid");
  const day = grid.getByRole("link", { name: /from £/ }).nth(3);
  const date = await day.getAttribute("data-date");
  await day.click();
  await expect(page).toHaveURL(new RegExp(`/search\\?originCode=LHR&destinationCode=JFK&departureDate=${date}`));
  await expect(page.getByTestId("offer").first()).toBeVisible({ timeout: 20_000 });

  expect(errors).toEqual([]);
});
