import crypto from "node:crypto";
import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { queryRows } from "@/db/client";
import { authenticateApiKey } from "@/db/queries/api-keys";
import { auditEvents, recordAudit } from "@/db/queries/audit";
import { sessionId, sessionUser } from "@/db/queries/sessions";
import { insertTrackedRoute } from "@/db/queries/tracking";
import { ensureUser, userById } from "@/db/queries/users";
import { accountsAdapter, sessionTokenHash } from "@/server/auth/adapter";
import { principalFrom, type Principal } from "@/server/auth/principal";
import { inRequest } from "@/server/request-scope";
import { createCaller } from "@/server/trpc/root";
import { describeEachEngine } from "@/test/engines";
import { procedureContext } from "@/test/trpc";

let sequence = 0;

describeEachEngine("the account", ({ app }) => {
  const context = procedureContext(app);
  const db = () => app().db;

  /** A session for the user, made as a browser's sign-in would (from an address, with a user agent). */
  async function signIn(userId: string, userAgent = "Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0 Safari/537.36") {
    const token = crypto.randomBytes(32).toString("hex");
    await inRequest("test", () => accountsAdapter(db()).createSession!({ sessionToken: token, userId, expires: new Date(Date.now() + 86_400_000) }), { address: "198.51.100.7", userAgent });
    const principal = (await principalFrom(db(), new Headers({ cookie: `authjs.session-token=${token}` })))!;
    return { token, principal, trpc: createCaller(context({ principal, userAgent: "AccountTest/1.0" })) };
  }
  const newUser = (name = "traveller") => ensureUser(db(), `${name}-${Date.now()}-${sequence++}@example.test`);

  it("lists the user's sessions with where they were made, this one marked; ends one, or every other one", async () => {
    const user = await newUser();
    const phone = await signIn(user.id, "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Safari/604.1");
    const laptop = await signIn(user.id);
    const third = await signIn(user.id);
    const sessions = await laptop.trpc.account.sessions();
    expect(sessions).toHaveLength(3);
    expect(sessions.filter((s) => s.current).map((s) => s.id)).toEqual([laptop.principal.via === "session" ? laptop.principal.sessionId : ""]);
    expect(sessions.find((s) => s.id === sessionId(sessionTokenHash(phone.token)))).toMatchObject({ address: "198.51.100.7", userAgent: expect.stringContaining("iPhone") });
    expect(JSON.stringify(sessions)).not.toContain(sessionTokenHash(phone.token));

    await laptop.trpc.account.endSession({ id: sessionId(sessionTokenHash(third.token)) });
    expect(await principalFrom(db(), new Headers({ cookie: `authjs.session-token=${third.token}` }))).toBeNull();
    expect(await laptop.trpc.account.endOtherSessions()).toEqual({ ended: 1 });
    expect(await principalFrom(db(), new Headers({ cookie: `authjs.session-token=${phone.token}` }))).toBeNull();
    expect((await laptop.trpc.account.sessions()).map((s) => s.current)).toEqual([true]);
    // Audited with the address and user agent of the call that did it.
    expect((await auditEvents(db(), { actorId: user.id, action: "sessions_ended" })).map((e) => [e.detail, e.address, e.userAgent])).toEqual([
      [{ sessions: 1, which: "all others" }, "192.0.2.1", "AccountTest/1.0"],
      [{ sessions: 1, which: "one" }, "192.0.2.1", "AccountTest/1.0"],
    ]);
  });

  it("notes when a session was last seen, at most every five minutes", async () => {
    const user = await newUser();
    const { token } = await signIn(user.id);
    const hash = sessionTokenHash(token);
    const seen = async () => (await queryRows<{ last_seen_at: Date | string }>(db(), sql`SELECT last_seen_at FROM auth_session WHERE session_token = ${hash}`))[0]!.last_seen_at;
    const first = new Date(await seen()).getTime();
    await sessionUser(db(), hash, new Date(first + 60_000));
    expect(new Date(await seen()).getTime()).toBe(first);
    await sessionUser(db(), hash, new Date(first + 6 * 60_000));
    expect(new Date(await seen()).getTime()).toBe(first + 6 * 60_000);
  });

  it("edits the profile's name, refusing control characters per field", async () => {
    const user = await newUser();
    const { trpc } = await signIn(user.id);
    expect(await trpc.account.updateProfile({ name: "  Ada Lovelace " })).toMatchObject({ name: "Ada Lovelace", email: user.email });
    await expect(trpc.account.updateProfile({ name: "Ada\u0007" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(trpc.account.updateProfile({ name: "x".repeat(101) })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect((await trpc.account.me()).name).toBe("Ada Lovelace");
    expect(await trpc.account.updateProfile({ name: "" })).toMatchObject({ name: null });
  });

  it("exports everything the account holds, without a secret", async () => {
    const user = await newUser();
    const { trpc, token } = await signIn(user.id);
    const { key } = await trpc.apiKey.create({ name: "export me", scopes: ["history"] });
    const tracked = await insertTrackedRoute(
      db(),
      user.id,
      { kind: "exact", origin: "LHR", destination: "JFK", departureDate: "2027-05-01", returnDate: null, departFrom: null, departTo: null, nightsMin: null, nightsMax: null, cabin: "economy", adults: 1, children: 0, infants: 0, currency: "GBP", maxStops: 0, airlines: null, flightNumbers: null },
      new Date(),
    );
    await trpc.alerts.addRule({ trackedRouteId: tracked.id, kind: "below_target", targetAmount: 350 });
    const { secret } = await trpc.alerts.addChannel({ kind: "webhook", url: "https://hooks.example.com/export" });
    expect(secret).toMatch(/^whsec_/);
    // Someone else acting on this account (an admin): not their address.
    await recordAudit(db(), { action: "role_changed", actorId: null, subjectId: user.id, address: "203.0.113.50", userAgent: "AdminBrowser", detail: { to: "admin" } });
    const data = await trpc.account.export();
    expect(data).toMatchObject({ format: "flight-tracker-account-export", version: 1, account: { id: user.id, email: user.email } });
    expect(data.sessions).toHaveLength(1);
    expect(data.apiKeys.map((k) => k.name)).toEqual(["export me"]);
    expect(data.trackedRoutes).toEqual([expect.objectContaining({ id: tracked.id, origin: "LHR", destination: "JFK", departureDate: "2027-05-01", maxStops: 0 })]);
    expect(data.alertRules.map((r) => [r.kind, r.targetMinor])).toEqual([["below_target", 35_000]]);
    expect(data.notificationChannels.map((c) => [c.kind, c.target, c.hasSecret])).toEqual([["webhook", "https://hooks.example.com/export", true]]);
    expect(data.notificationPreferences).toMatchObject({ mode: "instant" });
    expect(data.auditEvents.map((e) => [e.action, e.byYou, "address" in e ? e.address : "none"])).toEqual([
      ["api_key_created", true, "192.0.2.1"],
      ["role_changed", false, "none"],
    ]);
    expect(JSON.stringify(data)).not.toContain("AdminBrowser");
    const text = JSON.stringify(data);
    for (const hidden of [secret!, key, token, sessionTokenHash(token), crypto.createHash("sha256").update(key).digest("hex")]) expect(text).not.toContain(hidden);
  });

  it("deletes the account when its address is typed: sessions end, keys stop, an audit line stays; a wrong address changes nothing", async () => {
    const user = await newUser();
    const { trpc, token, principal } = await signIn(user.id);
    const { key } = await trpc.apiKey.create({ name: "doomed", scopes: ["search"] });
    await expect(trpc.account.delete({ confirmEmail: "someone-else@example.test" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await userById(db(), user.id)).not.toBeNull();
    expect(await authenticateApiKey(db(), key)).not.toBeNull();

    // A link asked for just before would make the account again: it goes too.
    await accountsAdapter(db()).createVerificationToken!({ identifier: user.email!, token: "pending-link", expires: new Date(Date.now() + 600_000) });
    expect(await trpc.account.delete({ confirmEmail: ` ${user.email!.toUpperCase()} ` })).toEqual({ deleted: true });
    expect(await accountsAdapter(db()).useVerificationToken!({ identifier: user.email!, token: "pending-link" })).toBeNull();
    expect(await userById(db(), user.id)).toBeNull();
    expect(await principalFrom(db(), new Headers({ cookie: `authjs.session-token=${token}` }))).toBeNull();
    expect(await authenticateApiKey(db(), key)).toBeNull();
    const [line] = await auditEvents(db(), { action: "account_deleted" }).then((rows) => rows.filter((r) => (r.detail as { userId?: string }).userId === user.id));
    expect(line).toMatchObject({ actorId: null, subjectId: null, detail: { userId: user.id } });
    // What a deleted account's leftover cookie or principal reaches: nothing.
    await expect(createCaller(context({ principal: principal as Principal })).account.me()).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("is for a signed-in session only: an API key and anonymous calls are refused", async () => {
    const user = await newUser();
    const { trpc } = await signIn(user.id);
    const { key } = await trpc.apiKey.create({ name: "robot", scopes: ["search", "history", "tracking:read", "tracking:write"] });
    const viaKey = (await principalFrom(db(), new Headers({ authorization: `Bearer ${key}` })))!;
    const robot = createCaller(context({ principal: viaKey }));
    await expect(robot.account.me()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(robot.account.export()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(robot.account.delete({ confirmEmail: user.email! })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(robot.account.endOtherSessions()).rejects.toMatchObject({ code: "FORBIDDEN" });
    const nobody = createCaller(context({ principal: null }));
    await expect(nobody.account.me()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(nobody.account.sessions()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    expect(await userById(db(), user.id)).not.toBeNull();
  });
});
