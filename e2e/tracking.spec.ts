import { expect, test } from "@playwright/test";
import { amount, collectErrors, inDays, newEmail, signIn } from "./helpers";

// Tracking as a new user meets it on the quick start (embedded engine: the jobs run in the app
// process). The launcher sets a one-minute cadence and a 5 s scheduler tick (INGEST_CADENCE,
// INGEST_TICK_SECONDS), so a tracked route is seen to refresh by itself within the test.

const local = (baseURL: string | undefined) => baseURL!.replace("127.0.0.1", "localhost");

test("signed out, Track prices on the results goes through sign-in and comes back tracked; the route then refreshes by itself", async ({ page, baseURL }) => {
  test.setTimeout(180_000);
  const origin = local(baseURL);
  const errors = collectErrors(page);
  const departureDate = inDays(34);
  await page.goto(`${origin}/search?originCode=LHR&destinationCode=JFK&departureDate=${departureDate}&currency=GBP&maxStops=1`);
  await expect(page.getByTestId("offer").first()).toBeVisible({ timeout: 30_000 });

  await page.getByRole("button", { name: "Track prices" }).click();
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Ftracked%2Fpending/);
  await signIn(page, origin, newEmail("tracker"));
  await expect(page).toHaveURL(/\/tracked\?added=/);
  await expect(page.getByRole("status").filter({ hasText: "Now tracking this route" })).toBeVisible();
  const card = page.getByTestId("tracked-route");
  await expect(card).toHaveCount(1);
  await expect(card).toContainText("LHR → JFK");
  await expect(card).toContainText("≤ 1 stop");
  // Its first price is the search's just made, labelled simulated, its first point on the line.
  await expect(card.getByTestId("tracked-price")).toHaveText(/£\d/);
  expect(amount((await card.getByTestId("tracked-price").textContent())!)).toBeGreaterThan(50);
  await expect(card).toContainText("Simulated price");
  await expect(card).toContainText("first check");
  await expect(card).toContainText(/next check (in \d+ (min|h)|any moment)/);
  const firstCheck = await card.getAttribute("data-checked-at");
  expect(firstCheck).toMatch(/^\d{4}-/);

  // Within about a minute the scheduler refreshes it, with no one searching.
  await expect(async () => {
    await page.reload();
    expect(await page.getByTestId("tracked-route").getAttribute("data-checked-at")).not.toBe(firstCheck);
  }).toPass({ timeout: 120_000, intervals: [5_000] });
  await expect(page.getByTestId("tracked-route")).toContainText("since the last check");

  // Pause, resume, delete: forms, state shown.
  await page.getByRole("button", { name: "Pause" }).click();
  await expect(page.getByTestId("tracked-state")).toHaveText("paused");
  await expect(page.getByTestId("tracked-route")).not.toContainText("next check");
  await page.getByRole("button", { name: "Resume" }).click();
  await expect(page.getByTestId("tracked-state")).toHaveText("active");
  await page.getByText("Delete", { exact: true }).click();
  await page.getByRole("button", { name: "Stop tracking LHR → JFK" }).click();
  await expect(page.getByText("You are not tracking any route yet.")).toBeVisible();
  expect(errors).toEqual([]);
});

test("signed in: track one flight from its card, a month from the route page, edit a date; the Tracked page sorts them", async ({ page, baseURL }) => {
  test.setTimeout(120_000);
  const origin = local(baseURL);
  await signIn(page, origin, newEmail("cards"));
  const departureDate = inDays(50);
  await page.goto(`${origin}/search?originCode=CDG&destinationCode=BCN&departureDate=${departureDate}&currency=EUR`);
  const offer = page.getByTestId("offer").first();
  await expect(offer).toBeVisible({ timeout: 30_000 });
  const offerPrice = amount((await offer.getByTestId("price").textContent())!);
  await offer.getByRole("button", { name: "Track this flight" }).click();
  await expect(offer.getByRole("status")).toContainText("Tracking.");

  await page.goto(`${origin}/routes/MAD-LIS`);
  const month = page.getByRole("button", { name: /^[A-Z][a-z]{2} \d{4}$/ }).nth(1);
  await month.click();
  await expect(page.getByRole("status").filter({ hasText: "Tracking." })).toBeVisible();

  await page.goto(`${origin}/tracked`);
  const cards = page.getByTestId("tracked-route");
  await expect(cards).toHaveCount(2);
  const flight = cards.filter({ hasText: "CDG → BCN" });
  await expect(flight).toContainText("flights ");
  expect(amount((await flight.getByTestId("tracked-price").textContent())!)).toBe(offerPrice);
  await expect(cards.filter({ hasText: "MAD → LIS" })).toContainText(/departing .+ – .+, one way/);

  // Sorted by departure (the default): the flight in 50 days comes after next month's window.
  await page.getByRole("link", { name: "Newest" }).click();
  await expect(page).toHaveURL(/sort=newest/);
  await expect(cards.first()).toContainText("MAD → LIS");

  // Edit the flight's date: its history starts again.
  await flight.getByText("Edit", { exact: true }).click();
  await flight.getByLabel("Departure").fill(inDays(51));
  await flight.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("tracked-route").filter({ hasText: "CDG → BCN" })).toContainText(/Waiting for the first check|No price yet/);
});
