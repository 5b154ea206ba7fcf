import { Auth } from "@auth/core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { auditEvents } from "@/db/queries/audit";
import { listSessions } from "@/db/queries/sessions";
import { ensureUser, userByEmail } from "@/db/queries/users";
import { inRequest } from "@/server/request-scope";
import { describeEachEngine } from "@/test/engines";
import { startMailServer, type TestMailServer } from "@/test/smtp";
import { TEST_CONFIG } from "@/test/app-context";
import { authConfig, signInMethods } from "./config";
import { outboxMessages } from "./outbox";
import { CookieJar } from "@/test/cookie-jar";

const ORIGIN = "http://localhost:3999";

let mail: TestMailServer;
/** Messages the shared mail server received so far, across engines. */
let sent = 0;
beforeAll(async () => {
  mail = await startMailServer();
});
afterAll(async () => {
  await mail?.close();
});

describeEachEngine("signing in by email", ({ database }) => {
  const config = (adminEmails: string[] = []) => ({ ...TEST_CONFIG, auth: { ...TEST_CONFIG.auth, email: { server: mail.url, from: "Flight Tracker <test@example.test>" }, adminEmails } });

  async function flow(email: string, adminEmails: string[] = [], delivery: "smtp" | "outbox" = "smtp", origin = ORIGIN, publicUrl?: string) {
    const base = delivery === "smtp" ? config(adminEmails) : TEST_CONFIG;
    const auth = await authConfig({ db: database().db, config: { ...base, auth: { ...base.auth, publicUrl } } }, delivery);
    const jar = new CookieJar();
    const call = async (path: string, init: RequestInit = {}) =>
      jar.take(await Auth(new Request(`${origin}${path}`, { ...init, headers: { cookie: jar.header(), ...(init.headers ?? {}) }, redirect: "manual" }), auth));
    const { csrfToken } = (await (await call("/api/auth/csrf")).json()) as { csrfToken: string };
    return { auth, jar, call, csrfToken };
  }

  it("sends a link by SMTP that signs in once, gives the browser only the session's explicit shape, and signs out", async () => {
    const email = `Traveller-${Date.now()}@Example.test`;
    const { call, csrfToken } = await flow(email);
    const asked = await call("/api/auth/signin/email", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken, email, callbackUrl: `${ORIGIN}/account` }),
    });
    expect(asked.status).toBe(302);
    expect(asked.headers.get("location")).toBe(`${ORIGIN}/api/auth/verify-request?provider=email&type=email`);
    // Which is the app's own page.
    expect((await call("/api/auth/verify-request?provider=email&type=email")).headers.get("location")).toBe("/sign-in/check-email?provider=email&type=email");
    const message = await mail.message(sent++);
    expect(message.to && "text" in message.to ? message.to.text : "").toBe(email.toLowerCase());
    expect(message.subject).toBe("Sign in to Flight Tracker");
    const link = /(http:\/\/localhost:3999\/api\/auth\/callback\/email\S+)/.exec(message.text ?? "")![1]!;
    expect(message.html).toContain("Sign in");

    // Opened in a browser: the request's address and user agent go with the session and the audit line.
    const signedIn = await inRequest("test", () => call(new URL(link).pathname + new URL(link).search), { address: "203.0.113.9", userAgent: "Mozilla/5.0 Firefox/130.0" });
    expect(signedIn.status).toBe(302);
    expect(signedIn.headers.get("location")).toBe(`${ORIGIN}/account`);
    const cookie = signedIn.headers.getSetCookie().find((line) => /session-token=/.test(line))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);

    const session = await (await call("/api/auth/session")).json();
    const user = await userByEmail(database().db, email);
    expect(session).toEqual({ user: { id: user!.id, name: null, email: email.toLowerCase(), image: null, role: "user" }, expires: expect.any(String) });
    expect(JSON.stringify(session)).not.toMatch(/sessionToken|token/i);
    expect((await auditEvents(database().db, { actorId: user!.id })).map((e) => [e.action, e.address, e.userAgent])).toEqual([["sign_in", "203.0.113.9", "Mozilla/5.0 Firefox/130.0"]]);
    expect(await listSessions(database().db, user!.id)).toEqual([expect.objectContaining({ address: "203.0.113.9", userAgent: "Mozilla/5.0 Firefox/130.0" })]);

    // The link works once.
    const other = await flow(email);
    const reused = await other.call(new URL(link).pathname + new URL(link).search);
    expect(reused.headers.get("location")).toBe(`${ORIGIN}/sign-in/error?error=Verification`);
    expect(other.jar.has(/session-token/)).toBe(false);

    const out = await call("/api/auth/signout", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken }),
    });
    expect(out.status).toBe(302);
    expect(await (await call("/api/auth/session")).json()).toBeNull();
    expect((await auditEvents(database().db, { actorId: user!.id })).map((e) => e.action)).toEqual(["sign_out", "sign_in"]);
  });

  it("makes ADMIN_EMAILS admins as they sign in, and refuses a sign-in request without the CSRF token", async () => {
    const email = `boss-${Date.now()}@example.test`;
    const { call, csrfToken } = await flow(email, [email]);
    const refused = await call("/api/auth/signin/email", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email }),
    });
    expect(refused.headers.get("location") ?? "").not.toContain("verify-request");
    await call("/api/auth/signin/email", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken, email }),
    });
    const message = await mail.message(sent++);
    const link = /(http:\/\/localhost:3999\/api\/auth\/callback\/email\S+)/.exec(message.text ?? "")![1]!;
    await call(new URL(link).pathname + new URL(link).search);
    expect((await (await call("/api/auth/session")).json()).user.role).toBe("admin");
    const user = await userByEmail(database().db, email);
    expect((await auditEvents(database().db, { action: "role_changed" })).some((e) => e.subjectId === user!.id)).toBe(true);
  });

  it("puts the link in the development outbox when no SMTP server is configured", async () => {
    const email = `quickstart-${Date.now()}@example.test`;
    const { call, csrfToken } = await flow(email, [], "outbox");
    await call("/api/auth/signin/email", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ csrfToken, email }) });
    const [latest] = outboxMessages();
    expect(latest).toMatchObject({ to: email, subject: "Sign in to Flight Tracker" });
    const url = new URL(latest!.url);
    await call(url.pathname + url.search);
    expect((await (await call("/api/auth/session")).json()).user.email).toBe(email);
  });

  /** Asks for a link in the outbox (the same answer whoever asks) and returns it. */
  async function outboxLink(email: string, origin = ORIGIN, publicUrl?: string) {
    const session = await flow(email, [], "outbox", origin, publicUrl);
    const asked = await session.call("/api/auth/signin/email", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken: session.csrfToken, email }),
    });
    const url = new URL(outboxMessages()[0]!.url);
    return { ...session, asked, path: url.pathname + url.search };
  }

  it("answers a disabled account's request like any other, and refuses it when the link is used", async () => {
    const email = `disabled-${Date.now()}@example.test`;
    const user = await ensureUser(database().db, email);
    await database().db.execute(`UPDATE app_user SET disabled_at = now() WHERE id = '${user.id}'`);
    const disabled = await outboxLink(email);
    const unknown = await outboxLink(`nobody-${Date.now()}@example.test`);
    expect(disabled.asked.status).toBe(unknown.asked.status);
    expect(disabled.asked.headers.get("location")).toBe(unknown.asked.headers.get("location"));
    const used = await disabled.call(disabled.path);
    expect(used.headers.get("location")).toBe(`${ORIGIN}/sign-in/error?error=AccessDenied`);
    expect(disabled.jar.has(/session-token/)).toBe(false);
  });

  it("over HTTPS the session cookie is Secure, __Secure- prefixed, HttpOnly and SameSite=Lax", async () => {
    const email = `secure-${Date.now()}@example.test`;
    const { call, path } = await outboxLink(email, "https://flights.example.test", "https://flights.example.test");
    const signedIn = await call(path);
    const cookie = signedIn.headers.getSetCookie().find((line) => /session-token=/.test(line))!;
    expect(cookie).toMatch(/^__Secure-authjs\.session-token=/);
    expect(cookie).toMatch(/; Secure/i);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    // Over plain HTTP (the quick start at localhost) the cookie cannot be Secure, or the browser would drop it.
    const plain = await outboxLink(`plain-${Date.now()}@example.test`);
    const plainCookie = (await plain.call(plain.path)).headers.getSetCookie().find((line) => /session-token=/.test(line))!;
    expect(plainCookie).toMatch(/^authjs\.session-token=/);
    expect(plainCookie).not.toMatch(/; Secure/i);
  });

  it("offers only the methods configured: GitHub and Google when their id and secret are set, email when links can be sent", async () => {
    const oauth = { ...TEST_CONFIG.auth, github: { clientId: "gh-id", clientSecret: "gh-secret" }, google: { clientId: "g-id", clientSecret: "g-secret" } };
    const providers = async (auth: typeof oauth | typeof TEST_CONFIG.auth, delivery: "smtp" | "outbox" | "none") => {
      const config = await authConfig({ db: database().db, config: { ...TEST_CONFIG, auth } }, delivery);
      return Object.keys(await (await Auth(new Request(`${ORIGIN}/api/auth/providers`), config)).json()).sort();
    };
    expect(await providers(oauth, "outbox")).toEqual(["email", "github", "google"]);
    expect(await providers(TEST_CONFIG.auth, "none")).toEqual([]);
    expect(signInMethods({ config: { ...TEST_CONFIG, auth: oauth } }, "none")).toEqual({ email: false, github: true, google: true });
    expect(signInMethods({ config: TEST_CONFIG }, "outbox")).toEqual({ email: true, github: false, google: false });
    // The GitHub button sends the browser to GitHub's authorization page, coming back to our callback.
    const config = await authConfig({ db: database().db, config: { ...TEST_CONFIG, auth: oauth } }, "none");
    const csrf = new CookieJar();
    const { csrfToken } = (await csrf.take(await Auth(new Request(`${ORIGIN}/api/auth/csrf`), config)).json()) as { csrfToken: string };
    const away = await Auth(
      new Request(`${ORIGIN}/api/auth/signin/github`, {
        method: "POST",
        headers: { cookie: csrf.header(), "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ csrfToken, callbackUrl: `${ORIGIN}/account` }),
      }),
      config,
    );
    const location = new URL(away.headers.get("location")!);
    expect(location.origin + location.pathname).toBe("https://github.com/login/oauth/authorize");
    expect(location.searchParams.get("client_id")).toBe("gh-id");
    expect(location.searchParams.get("redirect_uri")).toBe(`${ORIGIN}/api/auth/callback/github`);
  });

  it("renews a session a day old when the browser asks for it (the header does, twice a day): the row and the cookie get 30 days more", async () => {
    const email = `renew-${Date.now()}@example.test`;
    const { call, path } = await outboxLink(email);
    await call(path);
    const user = (await userByEmail(database().db, email))!;
    await database().db.execute(`UPDATE auth_session SET expires = now() + interval '28 days' WHERE user_id = '${user.id}'`);
    const renewed = await call("/api/auth/session");
    const cookie = renewed.headers.getSetCookie().find((line) => /session-token=/.test(line))!;
    const cookieExpires = Date.parse(/Expires=([^;]+)/i.exec(cookie)![1]!);
    expect(cookieExpires).toBeGreaterThan(Date.now() + 29.9 * 86_400_000);
    const [session] = await listSessions(database().db, user.id);
    expect(session!.expires.getTime()).toBeGreaterThan(Date.now() + 29.9 * 86_400_000);
  });

  it("sends no link to a host this app does not answer to (a forged Host), so nobody can be mailed a link to another site", async () => {
    const email = `victim-${Date.now()}@example.test`;
    const before = outboxMessages().length;
    const forged = await flow(email, [], "outbox", "http://evil.example");
    const asked = await forged.call("/api/auth/signin/email", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken: forged.csrfToken, email }),
    });
    // The same answer as any request (the asker learns nothing), and nothing sent.
    expect(asked.headers.get("location")).toBe("http://evil.example/api/auth/verify-request?provider=email&type=email");
    expect(outboxMessages()).toHaveLength(before);
    // At AUTH_URL's origin it goes; at another, even this machine's, it does not.
    expect((await outboxLink(email, "https://flights.example.test", "https://flights.example.test")).asked.headers.get("location")).toContain("verify-request");
    const elsewhere = await flow(email, [], "outbox", ORIGIN, "https://flights.example.test");
    await elsewhere.call("/api/auth/signin/email", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ csrfToken: elsewhere.csrfToken, email }) });
    expect(outboxMessages()[0]!.url.startsWith("https://flights.example.test/")).toBe(true);
  });
});
