import fs from "node:fs";
import type { Page, TestInfo } from "@playwright/test";

export { parseCsv } from "../test/csv";

/** A date `days` from today (UTC), as the date inputs take it. */
export function inDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/** Saves a full-page screenshot for review (e2e/screenshots is git-ignored). */
export async function screenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  fs.mkdirSync("e2e/screenshots", { recursive: true });
  await page.screenshot({ path: `e2e/screenshots/${testInfo.project.name}-${name}.png`, fullPage: true });
}

/** "£1,234" -> 1234 */
export function amount(text: string): number {
  return Number(text.replace(/[^\d.]/g, ""));
}

/** Console errors and uncaught exceptions of a page, to assert none happened. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(String(error)));
  return errors;
}
