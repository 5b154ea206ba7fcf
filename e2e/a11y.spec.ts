import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { inDays, newEmail, signIn } from "./helpers";

// axe-core's WCAG 2.1 A and AA rules (contrast included) on each main page, in light and dark.
const pages = [
  { name: "home", path: "/", ready: "form" },
  { name: "results", path: `/search?originCode=LHR&destinationCode=JFK&departureDate=${inDays(33)}`, ready: '[aria-label="Flights"] [data-testid="offer"]' },
  { name: "route", path: "/routes/LHR-JFK", ready: '[data-testid="price-chart"]' },
  { name: "sign-in", path: "/sign-in", ready: "form" },
];

for (const scheme of ["light", "dark"] as const) {
  for (const { name, path, ready } of pages) {
    test(`${name} page has no WCAG A/AA violations (${scheme})`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(path);
      await page.locator(ready).first().waitFor({ timeout: 20_000 });
      const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
      const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(" | ")}`);
      expect(summary).toEqual([]);
    });
  }
}

// The account page, signed in (at localhost: sign-in links and cookies follow it), with a key
// shown once and a session listed; and at a phone's width, nothing wider than the screen.
for (const scheme of ["light", "dark"] as const) {
  test(`account page has no WCAG A/AA violations (${scheme}) and fits a 375 px screen`, async ({ page, baseURL }) => {
    const origin = baseURL!.replace("127.0.0.1", "localhost");
    await page.emulateMedia({ colorScheme: scheme });
    await signIn(page, origin, newEmail(`a11y-${scheme}`));
    await page.goto(`${origin}/account`);
    await page.getByLabel("Key name").fill("a11y");
    await page.getByRole("button", { name: "Create key" }).click();
    await page.getByTestId("new-api-key").waitFor();
    await page.getByText("Delete account").click();
    const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(" | ")}`)).toEqual([]);
    await page.setViewportSize({ width: 375, height: 812 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  });
}

// The Tracked page, signed in, with a priced route whose edit form and delete confirmation are
// open; and at a phone's width, nothing wider than the screen.
for (const scheme of ["light", "dark"] as const) {
  test(`tracked page has no WCAG A/AA violations (${scheme}) and fits a 375 px screen`, async ({ page, baseURL }) => {
    const origin = baseURL!.replace("127.0.0.1", "localhost");
    await page.emulateMedia({ colorScheme: scheme });
    await signIn(page, origin, newEmail(`a11y-tracked-${scheme}`));
    await page.goto(`${origin}/search?originCode=LHR&destinationCode=JFK&departureDate=${inDays(40)}&returnDate=${inDays(47)}`);
    await page.getByRole("button", { name: "Track prices" }).click();
    await page.getByRole("link", { name: "See your tracked routes" }).click();
    const card = page.getByTestId("tracked-route");
    await card.getByTestId("tracked-price").waitFor();
    await card.getByText("Edit", { exact: true }).click();
    await card.getByText("Delete", { exact: true }).click();
    const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(" | ")}`)).toEqual([]);
    await page.setViewportSize({ width: 375, height: 812 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  });
}

// The alert pages, signed in: a tracked route's Alerts panel with a field's message shown, the
// alert settings with a channel's log open and a webhook's secret shown once, the notifications
// (none yet) and an unsubscribe link that does not work; and at a phone's width, nothing wider
// than the screen.
for (const scheme of ["light", "dark"] as const) {
  test(`alert pages have no WCAG A/AA violations (${scheme}) and fit a 375 px screen`, async ({ page, baseURL }) => {
    test.setTimeout(90_000);
    const origin = baseURL!.replace("127.0.0.1", "localhost");
    await page.emulateMedia({ colorScheme: scheme });
    await signIn(page, origin, newEmail(`a11y-alerts-${scheme}`));
    await page.goto(`${origin}/search?originCode=LHR&destinationCode=JFK&departureDate=${inDays(42)}`);
    await page.getByRole("button", { name: "Track prices" }).click();
    await page.getByRole("link", { name: "See your tracked routes" }).click();
    const card = page.getByTestId("tracked-route");
    await card.locator("summary", { hasText: /^Alerts/ }).click();
    await card.getByLabel(/^Target price/).fill("0");
    await card.getByRole("button", { name: "Add rule" }).click();
    await card.getByText("must be more than 0").waitFor();

    const checks: [string, () => Promise<unknown>][] = [
      ["tracked", async () => {}],
      ["alerts", async () => {
        await page.goto(`${origin}/alerts`);
        const webhook = page.getByRole("form", { name: "Add a webhook" });
        await webhook.getByLabel("Webhook URL").fill("https://example.com/hooks/flights");
        await webhook.getByRole("button", { name: "Add webhook" }).click();
        await page.getByTestId("webhook-secret").waitFor();
        await page.getByTestId("channel").first().getByText("Delivery log").click();
      }],
      ["notifications", () => page.goto(`${origin}/notifications`)],
      ["unsubscribe", () => page.goto(`${origin}/alerts/unsubscribe?token=not-a-token`)],
    ];
    for (const [name, open] of checks) {
      await open();
      await page.setViewportSize({ width: 1280, height: 800 });
      const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
      expect(results.violations.map((v) => `${name} ${v.id}: ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(" | ")}`)).toEqual([]);
      await page.setViewportSize({ width: 375, height: 812 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth), name).toBeLessThanOrEqual(375);
    }
  });
}

// The admin console, signed in as an admin (admin5 and admin6@e2e.test are admins at sign-in on
// the e2e servers): every page, with a run's detail, a discard waiting for its confirmation,
// filters that do not hold up and the maintenance banner shown; and at a phone's width, nothing
// wider than the screen (wide tables scroll inside their own frame). The demo's runs may or may
// not be there: the pages are checked either way.
for (const [scheme, admin] of [
  ["light", "admin5@e2e.test"],
  ["dark", "admin6@e2e.test"],
] as const) {
  test(`admin pages have no WCAG A/AA violations (${scheme}) and fit a 375 px screen`, async ({ page, baseURL }) => {
    test.setTimeout(150_000);
    const origin = baseURL!.replace("127.0.0.1", "localhost");
    await page.emulateMedia({ colorScheme: scheme });
    await signIn(page, origin, admin);
    const heading = (name: string | RegExp) => page.getByRole("heading", { level: 1, name }).waitFor();

    const checks: [string, () => Promise<unknown>][] = [
      ["overview", async () => {
        await page.goto(`${origin}/admin`);
        await heading("Overview");
        await page.getByText("Figures as a table").first().click();
      }],
      ["runs", async () => {
        await page.goto(`${origin}/admin/runs`);
        await heading("Runs");
      }],
      ["runs with bad filters", async () => {
        await page.goto(`${origin}/admin/runs?origin=12&from=not-a-time&state=dead`);
        await page.getByText("must be a 3-letter IATA airport").waitFor();
      }],
      ["run", async () => {
        await page.goto(`${origin}/admin/runs`);
        const run = page.getByTestId("run-row").first().getByRole("link");
        if ((await run.count()) > 0) {
          await run.click();
          await page.getByTestId("run-status").waitFor();
        } else {
          await page.goto(`${origin}/admin/runs/1`);
        }
      }],
      ["failures", async () => {
        await page.goto(`${origin}/admin/failures`);
        await heading("Failures");
        const dead = page.getByTestId("dead-run").first();
        if ((await dead.count()) > 0) {
          await dead.getByRole("button", { name: /^Discard/ }).click();
          await dead.getByRole("button", { name: /^Confirm discard/ }).waitFor();
        }
      }],
      ["providers", async () => {
        await page.goto(`${origin}/admin/providers`);
        await heading("Providers");
        await page.getByTestId("provider-chart").first().waitFor();
      }],
      ["freshness", async () => {
        await page.goto(`${origin}/admin/freshness?overdue=1`);
        await heading("Freshness");
      }],
      ["notifications", async () => {
        await page.goto(`${origin}/admin/notifications`);
        await heading("Notifications");
      }],
      ["users", async () => {
        await page.goto(`${origin}/admin/users?q=e2e.test`);
        await page.getByTestId("admin-user").first().waitFor();
      }],
      ["audit", async () => {
        await page.goto(`${origin}/admin/audit?action=sign_in`);
        await page.getByTestId("audit-event").first().waitFor();
      }],
      ["maintenance banner", async () => {
        await page.goto(`${origin}/admin`);
        await page.getByLabel(/^Reason/).fill(`a11y check (${scheme})`);
        await page.getByRole("button", { name: "Pause scheduler (maintenance)" }).click();
        await page.getByTestId("maintenance-banner").waitFor();
      }],
    ];
    try {
      for (const [name, open] of checks) {
        await page.setViewportSize({ width: 1280, height: 800 });
        await open();
        const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
        expect(results.violations.map((v) => `${name} ${v.id}: ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(" | ")}`)).toEqual([]);
        await page.setViewportSize({ width: 375, height: 812 });
        expect(await page.evaluate(() => document.documentElement.scrollWidth), name).toBeLessThanOrEqual(375);
      }
    } finally {
      // The scheduler runs again, whatever happened above: the other specs of this server need it.
      await page.goto(`${origin}/admin`);
      const resume = page.getByTestId("maintenance-banner").getByRole("button", { name: "Resume scheduler" });
      if (await resume.isVisible()) {
        await resume.click();
        await page.getByTestId("maintenance-banner").waitFor({ state: "detached" });
      }
    }
  });
}
