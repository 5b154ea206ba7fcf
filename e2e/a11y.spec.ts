import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { inDays } from "./helpers";

// axe-core's WCAG 2.1 A and AA rules (contrast included) on each main page, in light and dark.
const pages = [
  { name: "home", path: "/", ready: "form" },
  { name: "results", path: `/search?originCode=LHR&destinationCode=JFK&departureDate=${inDays(33)}`, ready: '[aria-label="Flights"] [data-testid="offer"]' },
  { name: "route", path: "/routes/LHR-JFK", ready: '[data-testid="price-chart"]' },
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
