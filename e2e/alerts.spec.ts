import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { amount, collectErrors, inDays, newEmail, signedInPage, signIn } from "./helpers";

// A price alert as a user meets it (embedded engine, the jobs in the app process). The launcher
// sets a one-minute cadence, a 5 s scheduler tick, the simulated market's test control and a
// half-second alert poll (scripts/e2e-server.mjs), so a fall of the route's simulated price is
// seen by the next scheduled check, within about a minute and a half.

const ORIGIN = "MAN";
const DESTINATION = "BCN";
const local = (baseURL: string | undefined) => baseURL!.replace("127.0.0.1", "localhost");

/** axe-core's WCAG 2.1 A and AA violations on the page as it is (a11y.spec.ts checks the pages without notifications). */
async function violations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(" | ")}`);
}

test.afterAll(async ({ request }) => {
  // Other tests may search this route: its prices go back to normal.
  await request.post("/api/test/market", { data: { originCode: ORIGIN, destinationCode: DESTINATION, factor: 1 } });
});

test("a rule below a target alerts when the price falls: the bell, the notification, the email, and its unsubscribe link", async ({ page, baseURL, request, browser }) => {
  test.setTimeout(240_000);
  const origin = local(baseURL);
  const errors = collectErrors(page);
  const email = newEmail("alerts");
  await signIn(page, origin, email);

  // Signed in, the header has the bell, with nothing unread.
  const bell = page.getByRole("link", { name: /^Notifications, \d+ unread$/ });
  await page.goto(`${origin}/tracked`);
  await expect(bell).toHaveAccessibleName("Notifications, 0 unread");

  // Track a route from its results: at its normal price (a run before may have left it lower), on
  // a date of this run's own (a search answer is cached for minutes, at the price it had then).
  await request.post("/api/test/market", { data: { originCode: ORIGIN, destinationCode: DESTINATION, factor: 1 } });
  await new Promise((resolve) => setTimeout(resolve, 600));
  await page.goto(`${origin}/search?originCode=${ORIGIN}&destinationCode=${DESTINATION}&departureDate=${inDays(30 + Math.floor(Math.random() * 200))}&currency=GBP`);
  await expect(page.getByTestId("offer").first()).toBeVisible({ timeout: 30_000 });
  await page.getByRole("button", { name: "Track prices" }).click();
  await page.getByRole("link", { name: "See your tracked routes" }).click();
  const card = page.getByTestId("tracked-route");
  await expect(card).toHaveCount(1);
  const price = amount((await card.getByTestId("tracked-price").textContent())!);
  expect(price).toBeGreaterThan(20);

  // Its alerts: the default rules go (a new low could fire on its own), one below a target comes.
  await card.locator("summary", { hasText: /^Alerts/ }).click();
  const panel = card.getByTestId("alerts-panel");
  const rules = panel.getByTestId("alert-rule");
  await expect(rules).toHaveCount(2);
  await expect(rules.filter({ hasText: "A new low (by 1%)" })).toHaveCount(1);
  await expect(rules.filter({ hasText: "Drops 10% or more" })).toHaveCount(1);
  for (let left = 2; left > 0; left--) {
    await rules.first().getByRole("button", { name: /^Delete/ }).click();
    await expect(rules).toHaveCount(left - 1);
  }
  await expect(panel).toContainText("No rules: this route never alerts.");

  // Bad input gets its message beside the field, and nothing is added.
  await panel.getByLabel("Alert me when").selectOption("below_target");
  const targetField = panel.getByLabel("Target price (GBP)");
  await targetField.fill("0");
  await panel.getByRole("button", { name: "Add rule" }).click();
  await expect(targetField).toHaveAttribute("aria-invalid", "true");
  await expect(panel).toContainText("must be more than 0");
  await expect(rules).toHaveCount(0);

  const target = Math.round(price * 0.75);
  await targetField.fill(String(target));
  await panel.getByRole("button", { name: "Add rule" }).click();
  await expect(rules).toHaveCount(1);
  await expect(rules.first()).toContainText(`Below £${target.toLocaleString("en-GB")}`);
  // The first route tracked brought an email channel to the account's address, on for this route.
  const emailBox = panel.getByRole("checkbox", { name: /Email/ });
  await expect(emailBox).toBeChecked();

  // The market falls by half on this route; the next scheduled check sees it.
  const market = await request.post("/api/test/market", { data: { originCode: ORIGIN, destinationCode: DESTINATION, factor: 0.5 } });
  expect(market.status()).toBe(200);

  // The bell's count rises by itself (it asks every 15 s), with no reload.
  await expect(bell).toHaveAccessibleName(/^Notifications, [1-9]\d* unread$/, { timeout: 180_000 });
  await bell.click();
  await expect(page).toHaveURL(/\/notifications$/);
  await expect(page.getByRole("heading", { level: 1, name: "Notifications" })).toBeVisible();
  const listed = page.getByTestId("notification").first();
  await expect(listed).toContainText(`${ORIGIN} → ${DESTINATION}`);
  await expect(listed).toHaveAttribute("data-read", "false");
  await expect(listed).toContainText("Simulated price");
  await expect(listed).toContainText(`Below your target of £${target.toLocaleString("en-GB")}`);
  expect(await violations(page)).toEqual([]);

  // Opened, it is read, and the bell says so.
  await listed.getByRole("link", { name: new RegExp(`${ORIGIN} → ${DESTINATION}`) }).click();
  await expect(page).toHaveURL(/\/notifications\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`${ORIGIN} → ${DESTINATION}`);
  const newPrice = amount((await page.getByTestId("notification-price").textContent())!);
  expect(newPrice).toBeGreaterThan(0);
  expect(newPrice).toBeLessThanOrEqual(target);
  await expect(page.getByText("Simulated price", { exact: true })).toBeVisible();
  await expect(bell).toHaveAccessibleName("Notifications, 0 unread");
  expect(await violations(page)).toEqual([]);
  await expect(page.getByRole("link", { name: "See the flights" })).toHaveAttribute("href", new RegExp(`^/search\\?originCode=${ORIGIN}&destinationCode=${DESTINATION}&`));
  await expect(page.getByRole("link", { name: "Price history of this route" })).toHaveAttribute("href", new RegExp(`^/routes/${ORIGIN}-${DESTINATION}`));
  // The email went (the delivery job runs at once; a reload shows it sent).
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("delivery").filter({ hasText: "Email" })).toContainText("sent", { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });

  // Another user's pages show none of it: the notification is not found, the lists are theirs.
  const notificationUrl = page.url();
  const stranger = await signedInPage(browser, origin, newEmail("stranger"));
  expect((await stranger.goto(notificationUrl))!.status()).toBe(404);
  await stranger.goto(`${origin}/notifications`);
  await expect(stranger.getByRole("link", { name: new RegExp(`${ORIGIN} → ${DESTINATION}`) })).toHaveCount(0);
  await stranger.goto(`${origin}/alerts`);
  expect(await stranger.content()).not.toContain(email);
  await stranger.context().close();

  // The email is in the development outbox, with its unsubscribe link.
  await page.goto(`${origin}/dev/outbox`);
  const mail = page.getByRole("listitem").filter({ hasText: `To ${email}` }).filter({ hasText: `[Simulated] Below your target: ${ORIGIN} → ${DESTINATION}` });
  await expect(mail).toHaveCount(1);
  const unsubscribe = mail.getByRole("link", { name: "Stop alerts for this route" });
  await expect(unsubscribe, "the outbox shows an alert email's links").toBeVisible();
  const unsubscribeUrl = (await unsubscribe.getAttribute("href"))!;
  expect(unsubscribeUrl).toMatch(/\/api\/alerts\/unsubscribe\?token=v1\./);

  // Following it (a GET, as a mail scanner would too) only asks.
  await unsubscribe.click();
  await expect(page).toHaveURL(/\/alerts\/unsubscribe\?token=/);
  await expect(page.getByRole("heading", { name: `Stop emails about ${ORIGIN} → ${DESTINATION}?` })).toBeVisible();
  await page.goto(`${origin}/tracked`);
  await page.getByTestId("tracked-route").locator("summary", { hasText: /^Alerts/ }).click();
  await expect(page.getByTestId("alerts-panel").getByRole("checkbox", { name: /Email/ })).toBeChecked();

  // Confirmed, it is done: the page says so, and the route's email box is off.
  await page.goto(unsubscribeUrl);
  await page.getByRole("button", { name: "Stop emails" }).click();
  await expect(page.getByRole("heading", { name: "Unsubscribed" })).toBeVisible();
  await expect(page.getByRole("status")).toContainText(`You will get no more emails about ${ORIGIN} → ${DESTINATION}.`);
  await page.goto(`${origin}/tracked`);
  await page.getByTestId("tracked-route").locator("summary", { hasText: /^Alerts/ }).click();
  await expect(page.getByTestId("alerts-panel").getByRole("checkbox", { name: /Email/ })).not.toBeChecked();

  // RFC 8058's one-click POST, as a mail provider sends it: no cookie, no Origin, no redirect.
  const oneClick = await request.post(unsubscribeUrl.replace("localhost", "127.0.0.1"), { form: { "List-Unsubscribe": "One-Click" }, maxRedirects: 0 });
  expect(oneClick.status()).toBe(200);
  expect(await oneClick.text()).toContain(`Unsubscribed: no more emails about ${ORIGIN} → ${DESTINATION}.`);
  const forged = await request.post(`/api/alerts/unsubscribe?token=v1.e30.AAAA`, { form: { "List-Unsubscribe": "One-Click" }, maxRedirects: 0 });
  expect(forged.status()).toBe(400);
  const scanned = await request.get(unsubscribeUrl.replace("localhost", "127.0.0.1"), { maxRedirects: 0 });
  expect(scanned.status()).toBe(303);
  expect(scanned.headers().location).toMatch(/^\/alerts\/unsubscribe\?token=v1\./);

  // Opened, nothing is left unread, and there is nothing to mark read.
  await page.goto(`${origin}/notifications`);
  await expect(page.getByTestId("unread-count")).toHaveText("Nothing unread.");
  await expect(page.getByRole("button", { name: "Mark all read" })).toHaveCount(0);
  expect(errors).toEqual([]);
});

test("alert settings: a webhook's secret shown once, bad input beside its field, preferences saved; signed out, the pages go to sign in", async ({ page, baseURL }) => {
  const origin = local(baseURL);
  await page.goto(`${origin}/alerts`);
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Falerts/);
  await page.goto(`${origin}/notifications`);
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fnotifications/);
  await expect(page.getByRole("link", { name: /^Notifications/ })).toHaveCount(0);

  const email = newEmail("alert-settings");
  await signIn(page, origin, email);
  await page.goto(`${origin}/alerts`);
  await expect(page.getByRole("heading", { level: 1, name: "Alert settings" })).toBeVisible();
  await expect(page.getByText("No channels yet")).toBeVisible();

  // Email to the account's own address, and a test message to it.
  await page.getByRole("button", { name: `Email alerts to ${email}` }).click();
  const channels = page.getByTestId("channel");
  await expect(channels).toHaveCount(1);
  await channels.first().getByRole("button", { name: /^Send test/ }).click();
  await expect(channels.first().getByTestId("test-outcome")).toHaveText(/^Sent \(250\) in \d+ ms\.$/);
  await channels.first().getByText("Delivery log").click();
  await expect(channels.first().getByRole("table")).toContainText("(test)");

  // A webhook at an address the app may not reach: the message is beside the URL.
  const webhook = page.getByRole("form", { name: "Add a webhook" });
  await webhook.getByLabel("Webhook URL").fill("http://127.0.0.1:9/hook");
  await webhook.getByRole("button", { name: "Add webhook" }).click();
  await expect(webhook.getByLabel("Webhook URL")).toHaveAttribute("aria-invalid", "true");
  await expect(webhook.getByLabel("Webhook URL")).toHaveValue("http://127.0.0.1:9/hook");
  await expect(channels).toHaveCount(1);

  // A public one: its signing secret, this once.
  await webhook.getByLabel("Name").fill("My receiver");
  await webhook.getByLabel("Webhook URL").fill("https://example.com/hooks/flights");
  await webhook.getByRole("button", { name: "Add webhook" }).click();
  await expect(page.getByTestId("webhook-secret")).toHaveText(/^whsec_/);
  await expect(channels).toHaveCount(2);
  await page.reload();
  await expect(page.getByTestId("webhook-secret")).toHaveCount(0);

  // Turn it off, and delete it.
  const hook = channels.filter({ hasText: "My receiver" });
  await hook.getByRole("button", { name: "Turn off My receiver" }).click();
  await expect(hook.getByTestId("channel-state")).toHaveText("off");
  await hook.locator("summary", { hasText: /^Delete/ }).click();
  await hook.getByRole("button", { name: "Delete “My receiver”" }).click();
  await expect(channels).toHaveCount(1);

  // Preferences: a bad cap is refused beside its field; good ones are kept.
  const prefs = page.getByRole("form", { name: "Alert preferences" });
  await prefs.getByLabel("At most this many alerts a day").fill("0");
  await prefs.getByRole("button", { name: "Save preferences" }).click();
  await expect(prefs.getByLabel("At most this many alerts a day")).toHaveAttribute("aria-invalid", "true");
  await prefs.getByLabel("One email a day").check();
  await prefs.getByLabel("Digest sent at").selectOption("7");
  await prefs.getByLabel("Time zone").selectOption("Europe/London");
  await prefs.getByLabel(/No email or phone alerts between these times/).check();
  await prefs.getByLabel("From", { exact: true }).fill("22:30");
  await prefs.getByLabel("Until", { exact: true }).fill("06:45");
  await prefs.getByLabel("At most this many alerts a day").fill("5");
  await prefs.getByRole("button", { name: "Save preferences" }).click();
  await expect(prefs.getByRole("status")).toHaveText("Preferences saved.");
  await page.reload();
  await expect(prefs.getByLabel("One email a day")).toBeChecked();
  await expect(prefs.getByLabel("Digest sent at")).toHaveValue("7");
  await expect(prefs.getByLabel("Time zone")).toHaveValue("Europe/London");
  await expect(prefs.getByLabel("From", { exact: true })).toHaveValue("22:30");
  await expect(prefs.getByLabel("Until", { exact: true })).toHaveValue("06:45");
  await expect(prefs.getByLabel("At most this many alerts a day")).toHaveValue("5");

  // The notifications, empty.
  await page.goto(`${origin}/notifications`);
  await expect(page.getByText("No notifications yet.")).toBeVisible();
});
