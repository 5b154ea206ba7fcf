import crypto from "node:crypto";
import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { createApiKey, revokeApiKey } from "@/db/queries/api-keys";
import { ensureUser } from "@/db/queries/users";
import { appUser } from "@/db/schema";
import { describeEachEngine } from "@/test/engines";
import { accountsAdapter, sessionTokenHash } from "./adapter";
import { principalFrom, requireAdmin, requireAdminAccess, requirePrincipal, requireScope, requireSession } from "./principal";

let sequence = 0;
const email = () => `principal-${Date.now()}-${sequence++}@example.test`;

describeEachEngine("who a request acts for", ({ database }) => {
  const db = () => database().db;
  const headers = (init: Record<string, string>) => new Headers(init);

  it("is the user of a live session cookie, read afresh: a role change counts on the next request, an ended session or a disabled user at once", async () => {
    const user = await ensureUser(db(), email());
    const token = crypto.randomBytes(32).toString("hex");
    await accountsAdapter(db()).createSession!({ sessionToken: token, userId: user.id, expires: new Date(Date.now() + 60_000) });
    const request = headers({ cookie: `theme=dark; authjs.session-token=${token}` });
    expect(await principalFrom(db(), request)).toEqual({ via: "session", userId: user.id, role: "user", sessionId: sessionTokenHash(token).slice(0, 16) });
    expect(await principalFrom(db(), headers({ cookie: `__Secure-authjs.session-token=${token}` }))).toMatchObject({ userId: user.id });
    await db().update(appUser).set({ role: "admin" }).where(eq(appUser.id, user.id));
    expect(await principalFrom(db(), request)).toMatchObject({ role: "admin" });
    // Past its expiry, or the user disabled: nobody.
    expect(await principalFrom(db(), request, new Date(Date.now() + 120_000))).toBeNull();
    await db().update(appUser).set({ disabledAt: new Date() }).where(eq(appUser.id, user.id));
    expect(await principalFrom(db(), request)).toBeNull();
    expect(await principalFrom(db(), headers({ cookie: "authjs.session-token=made-up" }))).toBeNull();
    expect(await principalFrom(db(), headers({ cookie: "authjs.session-token=%E0%A4%A" }))).toBeNull();
    expect(await principalFrom(db(), headers({}))).toBeNull();
  });

  it("is the owner of a Bearer key, with its scopes; a malformed, unknown or revoked key is a 401, not anonymity", async () => {
    const user = await ensureUser(db(), email());
    const { key, summary } = await createApiKey(db(), user.id, { name: "ci", scopes: ["history"] });
    const principal = await principalFrom(db(), headers({ authorization: `Bearer ${key}` }));
    expect(principal).toEqual({ via: "key", userId: user.id, role: "user", keyId: summary.id, scopes: ["history"] });
    expect(() => requireScope(principal!, "history")).not.toThrow();
    expect(() => requireScope(principal!, "tracking:write")).toThrow(/lacks the scope tracking:write/);
    expect(() => requireSession(principal!)).toThrow(/signed-in session/);
    await expect(principalFrom(db(), headers({ authorization: "Bearer nonsense" }))).rejects.toMatchObject({ code: "unauthenticated" });
    await expect(principalFrom(db(), headers({ authorization: `Basic ${key}` }))).rejects.toMatchObject({ code: "unauthenticated" });
    await revokeApiKey(db(), user.id, summary.id);
    await expect(principalFrom(db(), headers({ authorization: `Bearer ${key}` }))).rejects.toMatchObject({ code: "unauthenticated" });
  });

  it("is refused where it lacks the right: 401 without one, 403 for a user at an admin's door", () => {
    expect(() => requirePrincipal(null)).toThrow(expect.objectContaining({ code: "unauthenticated" }));
    expect(() => requireAdmin({ via: "session", userId: "u", role: "user", sessionId: "s" })).toThrow(expect.objectContaining({ code: "forbidden" }));
    expect(requireAdmin({ via: "session", userId: "u", role: "admin", sessionId: "s" })).toMatchObject({ role: "admin" });
    // The console's door: an admin's session; an admin's key with the admin scope, not without it, nor a user's key with it.
    expect(requireAdminAccess({ via: "session", userId: "u", role: "admin", sessionId: "s" })).toMatchObject({ role: "admin" });
    expect(requireAdminAccess({ via: "key", userId: "u", role: "admin", keyId: "k", scopes: ["admin"] })).toMatchObject({ role: "admin" });
    expect(() => requireAdminAccess({ via: "key", userId: "u", role: "admin", keyId: "k", scopes: ["search", "tracking:write"] })).toThrow(/lacks the scope admin/);
    expect(() => requireAdminAccess({ via: "key", userId: "u", role: "user", keyId: "k", scopes: ["admin"] })).toThrow(/Only admins/);
  });
});
