import fs from "node:fs";
import { expect, type Browser, type Page, type TestInfo } from "@playwright/test";

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

/** An address no test has used. */
export function newEmail(name: string): string {
  return `${name}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.test`;
}

/** Asks for a link on the sign-in page, opens it from the outbox; ends where the sign-in page returns to. */
export async function signIn(page: Page, origin: string, email: string) {
  // From the sign-in page it is on (and where that returns to), else the plain one.
  if (!new URL(page.url(), origin).pathname.startsWith("/sign-in")) await page.goto(`${origin}/sign-in`);
  await expect(page.getByText("This install has no email server")).toBeVisible();
  await page.getByLabel("Email address").fill(email);
  await page.getByRole("button", { name: "Email me a sign-in link" }).click();
  // Generous: the development server compiles the action and the next page on first use.
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible({ timeout: 30_000 });
  await page.goto(`${origin}/dev/outbox`);
  await page.getByRole("link", { name: `Sign in as ${email}` }).first().click();
  await page.waitForURL((url) => !url.pathname.startsWith("/api/auth/callback"));
}


/** A page in a browser context of its own (its own cookies), signed in as `email`. */
export async function signedInPage(browser: Browser, origin: string, email: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, origin, email);
  return page;
}
