import { expect, test } from "@playwright/test";
import { newEmail, signedInPage, signIn } from "./helpers";

// Accounts as a new user meets them on the quick start (embedded engine, no EMAIL_SERVER): the
// sign-in link goes to the development outbox. At localhost, not 127.0.0.1: Next rewrites the
// host of request URLs to localhost, and the sign-in link and cookies follow it.

const local = (baseURL: string | undefined) => baseURL!.replace("127.0.0.1", "localhost");

test("with no configuration: sign in from the header through the outbox, the account page, a key used and revoked, the account deleted", async ({ page, baseURL, request }) => {
  const origin = local(baseURL);
  const email = newEmail("first");

  // /account sends an anonymous visitor to sign in, and the link brings them back to it.
  await page.goto(`${origin}/account`);
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Faccount/);
  await signIn(page, origin, email);
  await expect(page).toHaveURL(`${origin}/account`);
  await expect(page.getByRole("heading", { name: "Account" })).toBeVisible();
  await expect(page.getByText(email).first()).toBeVisible();

  // The session: HttpOnly, SameSite=Lax; what scripts can read of it has no token.
  const session = await (await page.request.get(`${origin}/api/auth/session`)).json();
  expect(session).toMatchObject({ user: { email, role: "user" } });
  expect(JSON.stringify(session)).not.toMatch(/token/i);
  const cookie = (await page.context().cookies(origin)).find((c) => c.name.endsWith("authjs.session-token"))!;
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax" });

  // Profile: the name shows in the header's menu.
  await page.getByLabel("Name", { exact: true }).fill("Ada Traveller");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
  await expect(page.getByLabel("Account menu for Ada Traveller")).toBeVisible();
  await expect(page.locator("[data-session-id]")).toHaveCount(1);
  await expect(page.getByText("This session")).toBeVisible();

  // An API key: made with a name and scopes, shown once, works with a bearer header, revoked.
  await page.getByLabel("Key name").fill("price script");
  await page.getByRole("button", { name: "Create key" }).click();
  const key = (await page.getByTestId("new-api-key").textContent())!.trim();
  expect(key).toMatch(/^ft_[A-Za-z0-9_-]{43}$/);
  await expect(page.getByRole("list", { name: "Your API keys" })).toContainText("price script");
  await expect(page.getByRole("list", { name: "Your API keys" })).toContainText(key.slice(0, 11));
  await page.reload();
  expect(await page.content()).not.toContain(key);

  const search = () => request.get(`/api/v1/airports?q=london`, { headers: { authorization: `Bearer ${key}` } });
  expect((await search()).status()).toBe(200);
  page.once("dialog", (dialog) => dialog.accept());
  await page.getByRole("button", { name: "Revoke price script" }).click();
  await expect(page.getByRole("list", { name: "Your API keys" })).toContainText("revoked");
  const refused = await search();
  expect(refused.status()).toBe(401);
  expect(refused.headers()["www-authenticate"]).toMatch(/^Bearer/);

  // Export: a JSON download of what the account holds, without secrets.
  const exported = await page.request.get(`${origin}/account/export`);
  expect(exported.headers()["content-disposition"]).toMatch(/^attachment; filename="flight-tracker-account-\d{4}-\d{2}-\d{2}\.json"$/);
  const data = await exported.json();
  expect(data.account).toMatchObject({ email, name: "Ada Traveller", signInMethods: ["email"] });
  expect(data.apiKeys).toHaveLength(1);
  expect(JSON.stringify(data)).not.toContain(key);
  expect(JSON.stringify(data)).not.toContain(cookie.value);

  // Deleting the account, confirmed by its address, signs it out.
  await page.getByText("Delete account").click();
  await page.getByLabel("Your email address").fill(email);
  await page.getByRole("button", { name: "Delete my account" }).click();
  await expect(page).toHaveURL(`${origin}/`);
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
  expect(await (await page.request.get(`${origin}/api/auth/session`)).json()).toBeNull();
  await page.goto(`${origin}/account`);
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Faccount/);
});

test("a sign-in link works once; sign out ends the session; sign out everywhere else ends the others", async ({ page, browser, baseURL }) => {
  const origin = local(baseURL);
  const email = newEmail("sessions");
  // Signed in, the header asks Auth.js for the session (which renews it), at most twice a day.
  const renewals: string[] = [];
  page.on("request", (request) => {
    if (new URL(request.url()).pathname === "/api/auth/session") renewals.push(request.url());
  });
  await signIn(page, origin, email);
  await expect(page.getByLabel(/Account menu for/)).toBeVisible();
  await expect.poll(() => renewals.length).toBe(1);
  await page.reload();
  await page.waitForLoadState("networkidle");
  expect(renewals).toHaveLength(1);

  // The same link a second time is refused, on the app's own error page.
  await page.goto(`${origin}/dev/outbox`);
  await page.getByRole("link", { name: `Sign in as ${email}` }).first().click();
  await expect(page.getByRole("heading", { name: "That did not sign you in" })).toBeVisible();
  await expect(page.getByRole("main").getByRole("alert")).toContainText("expired or has been used already");

  // A second device, then "sign out everywhere else" from the first.
  const other = await signedInPage(browser, origin, email);
  await page.goto(`${origin}/account`);
  await expect(page.locator("[data-session-id]")).toHaveCount(2);
  await page.getByRole("button", { name: "Sign out everywhere else" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Signed out 1 other session." })).toBeVisible();
  await expect(page.locator("[data-session-id]")).toHaveCount(1);
  await other.goto(`${origin}/account`);
  await expect(other).toHaveURL(/\/sign-in\?callbackUrl=%2Faccount/);
  await other.context().close();

  // Sign out from the header's menu.
  await page.getByLabel(/Account menu for/).click();
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
  expect(await (await page.request.get(`${origin}/api/auth/session`)).json()).toBeNull();
});

test("pages: another user's account page and export show none of the first user's sessions or keys", async ({ browser, baseURL }) => {
  const origin = local(baseURL);
  const owner = await signedInPage(browser, origin, newEmail("owner"));
  await owner.goto(`${origin}/account`);
  await owner.getByLabel("Key name").fill("owner's key");
  await owner.getByRole("button", { name: "Create key" }).click();
  const key = (await owner.getByTestId("new-api-key").textContent())!.trim();
  const ownerSession = await owner.locator("[data-session-id]").first().getAttribute("data-session-id");

  const stranger = await signedInPage(browser, origin, newEmail("stranger"));
  await stranger.goto(`${origin}/account`);
  const html = await stranger.content();
  for (const secretOrId of [key.slice(0, 11), "owner's key", ownerSession!]) expect(html).not.toContain(secretOrId);
  await expect(stranger.locator("[data-session-id]")).toHaveCount(1);
  const exported = JSON.stringify(await (await stranger.request.get(`${origin}/account/export`)).json());
  for (const secretOrId of [key.slice(0, 11), "owner's key", ownerSession!]) expect(exported).not.toContain(secretOrId);
  await owner.context().close();
  await stranger.context().close();
});

test("the sign-in page comes back to the page it was opened from, and refuses to send anyone to another site", async ({ page, baseURL }) => {
  const origin = local(baseURL);
  await page.goto(`${origin}/docs/api`);
  await page.getByRole("link", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fdocs%2Fapi/);
  await page.goto(`${origin}/sign-in?callbackUrl=${encodeURIComponent("//evil.example/")}`);
  await expect(page.locator('input[name="callbackUrl"]')).toHaveValue("/");
  await page.getByLabel("Email address").fill("not an address");
  await page.getByRole("button", { name: "Email me a sign-in link" }).click();
  await expect(page.locator("#sign-in-email-error")).toContainText("Enter an email address");
});

test("asking for links too often for one address is refused, in the same words whether or not it has an account", async ({ page, browser, baseURL }) => {
  const origin = local(baseURL);
  const known = newEmail("known");
  await signIn(page, origin, known);
  const asker = await (await browser.newContext()).newPage();
  /** Asks for a link; what the page then says. */
  const ask = async (email: string) => {
    await asker.goto(`${origin}/sign-in`);
    await asker.getByLabel("Email address").fill(email);
    await asker.getByRole("button", { name: "Email me a sign-in link" }).click();
    const answer = asker.getByRole("heading", { name: "Check your email" }).or(asker.locator("#sign-in-email-error"));
    await expect(answer).toBeVisible();
    return (await answer.textContent())!;
  };
  const unknown = newEmail("unknown");
  const answers = { known: [] as string[], unknown: [] as string[] };
  for (let i = 0; i < 4; i++) answers.known.push(await ask(known));
  for (let i = 0; i < 5; i++) answers.unknown.push(await ask(unknown));
  expect(new Set([...answers.known, ...answers.unknown])).toEqual(new Set(["Check your email"]));
  const [refusedKnown, refusedUnknown] = [await ask(known), await ask(unknown)];
  expect(refusedKnown).toMatch(/^Too many sign-in links were asked for\. Try again in (a minute|\d+ minutes)\.$/);
  expect(refusedUnknown).toBe(refusedKnown);
  // Straight at Auth.js's endpoint, the same limit: 429 with Retry-After.
  const direct = await asker.request.post(`${origin}/api/auth/signin/email`, { form: { email: unknown, csrfToken: "x" } });
  expect(direct.status()).toBe(429);
  expect(Number(direct.headers()["retry-after"])).toBeGreaterThan(0);
  // Whatever the body's form (Auth.js reads JSON too) or the address's spelling.
  const shouted = unknown.toUpperCase().replace("@", "＠");
  for (const body of [{ data: { email: unknown, csrfToken: "x" } }, { form: { email: ` ${shouted} `, csrfToken: "x" } }]) {
    expect((await asker.request.post(`${origin}/api/auth/signin/email`, body)).status()).toBe(429);
  }
  await asker.context().close();
});

test("paths under /api/auth that Auth.js does not serve are problem details, like the rest of /api/", async ({ request }) => {
  const response = await request.get("/api/auth/nope");
  expect(response.status()).toBe(404);
  expect(response.headers()["content-type"]).toContain("application/problem+json");
});
