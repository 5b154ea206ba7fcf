import { eq, sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { queryRows } from "@/db/client";
import { apiKey, appUser } from "@/db/schema";
import { describeEachEngine } from "@/test/engines";
import { authenticateApiKey, createApiKey, LAST_USED_RESOLUTION_MS, listApiKeys, revokeAllApiKeys, revokeApiKey } from "./api-keys";
import { auditEvents, recordAudit } from "./audit";
import { ensureUser, grantAdmin, setRole, userByEmail } from "./users";

let sequence = 0;
const email = (name: string) => `${name}-${Date.now()}-${sequence++}@example.test`;

describeEachEngine("accounts: users, API keys, the audit log", ({ database }) => {
  const db = () => database().db;

  it("keeps one user per address whatever its case, and refuses an address not lower-cased", async () => {
    const address = email("Ada");
    const first = await ensureUser(db(), address.toUpperCase(), { name: "Ada" });
    const again = await ensureUser(db(), `  ${address}  `);
    expect(again.id).toBe(first.id);
    expect(first).toMatchObject({ email: address.toLowerCase(), name: "Ada", role: "user", disabledAt: null });
    expect((await userByEmail(db(), address.toUpperCase()))?.id).toBe(first.id);
    await expect(db().insert(appUser).values({ email: "Mixed@Example.test" })).rejects.toThrow();
    expect(await setRole(db(), first.id, "admin")).toBe("user");
    expect((await userByEmail(db(), address))?.role).toBe("admin");
    expect(await setRole(db(), "00000000-0000-4000-8000-000000000000", "admin")).toBeNull();
  });

  it("grants the admin role by address, making the account when there is none, audited once", async () => {
    const address = email("Root");
    const first = await grantAdmin(db(), address, "npm run admin:grant");
    expect(first).toMatchObject({ changed: true, user: { email: address.toLowerCase(), role: "admin" } });
    expect((await userByEmail(db(), address))?.role).toBe("admin");
    expect((await grantAdmin(db(), address.toUpperCase(), "npm run admin:grant")).changed).toBe(false);
    const audited = (await auditEvents(db(), { action: "role_changed" })).filter((e) => e.subjectId === first.user.id);
    expect(audited.map((e) => e.detail)).toEqual([{ from: "user", to: "admin", by: "npm run admin:grant" }]);
  });

  it("makes a key shown once: stored as a hash with a visible prefix, listed without secrets, authenticating as its owner with its scopes", async () => {
    const owner = await ensureUser(db(), email("owner"));
    const { key, summary } = await createApiKey(db(), owner.id, { name: "CI", scopes: ["search", "history"] });
    expect(summary).toMatchObject({ name: "CI", prefix: key.slice(0, 11), scopes: ["search", "history"], revokedAt: null, lastUsedAt: null });
    const stored = await queryRows<Record<string, unknown>>(db(), sql`SELECT * FROM api_key WHERE id = ${summary.id}`);
    expect(JSON.stringify(stored)).not.toContain(key);
    expect(JSON.stringify(stored)).not.toContain(key.slice(11));
    const listed = await listApiKeys(db(), owner.id);
    expect(listed.map((k) => k.id)).toEqual([summary.id]);
    expect(Object.keys(listed[0]!)).not.toContain("hash");

    const now = new Date();
    expect(await authenticateApiKey(db(), key, now)).toEqual({ keyId: summary.id, userId: owner.id, role: "user", scopes: ["search", "history"] });
    const used = async () => (await db().select({ at: apiKey.lastUsedAt }).from(apiKey).where(eq(apiKey.id, summary.id)))[0]!.at;
    expect((await used())?.getTime()).toBe(now.getTime());
    // Used again within the minute: no write; a minute later: written.
    await authenticateApiKey(db(), key, new Date(now.getTime() + 30_000));
    expect((await used())?.getTime()).toBe(now.getTime());
    const later = new Date(now.getTime() + LAST_USED_RESOLUTION_MS + 1);
    await authenticateApiKey(db(), key, later);
    expect((await used())?.getTime()).toBe(later.getTime());

    // An unknown key, or ours changed by one character, is nobody.
    const other = `${key.slice(0, -1)}${key.endsWith("A") ? "B" : "A"}`;
    expect(await authenticateApiKey(db(), other)).toBeNull();
  });

  it("lets only the owner revoke a key, refused from the very next request; refuses expired keys and disabled users", async () => {
    const owner = await ensureUser(db(), email("owner"));
    const stranger = await ensureUser(db(), email("stranger"));
    const { key, summary } = await createApiKey(db(), owner.id, { name: "laptop", scopes: ["search"] });
    expect(await revokeApiKey(db(), stranger.id, summary.id)).toBe(false);
    expect(await authenticateApiKey(db(), key)).not.toBeNull();
    expect(await listApiKeys(db(), stranger.id)).toEqual([]);
    expect(await revokeApiKey(db(), owner.id, summary.id)).toBe(true);
    expect(await authenticateApiKey(db(), key)).toBeNull();
    expect(await revokeApiKey(db(), owner.id, summary.id)).toBe(false);

    const expiring = await createApiKey(db(), owner.id, { name: "short", scopes: ["search"], expiresAt: new Date(Date.now() + 60_000) });
    expect(await authenticateApiKey(db(), expiring.key)).not.toBeNull();
    expect(await authenticateApiKey(db(), expiring.key, new Date(Date.now() + 61_000))).toBeNull();

    const kept = await createApiKey(db(), owner.id, { name: "server", scopes: ["history"] });
    await db().update(appUser).set({ disabledAt: new Date() }).where(eq(appUser.id, owner.id));
    expect(await authenticateApiKey(db(), kept.key)).toBeNull();
    expect(await revokeAllApiKeys(db(), owner.id)).toBe(2);
    expect((await listApiKeys(db(), owner.id)).every((k) => k.revokedAt !== null)).toBe(true);
  });

  it("records audit events, kept (without their actor) when the user is deleted, and deletes a user's keys with the user", async () => {
    const user = await ensureUser(db(), email("gone"));
    const admin = await ensureUser(db(), email("admin"));
    await createApiKey(db(), user.id, { name: "k", scopes: ["search"] });
    await recordAudit(db(), { action: "api_key_created", actorId: user.id, address: "203.0.113.9", userAgent: "curl/8", detail: { name: "k" } });
    await recordAudit(db(), { action: "role_changed", actorId: admin.id, subjectId: user.id, detail: { from: "user", to: "admin" } });
    const mine = await auditEvents(db(), { actorId: user.id });
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ action: "api_key_created", address: "203.0.113.9", userAgent: "curl/8", detail: { name: "k" } });
    await db().delete(appUser).where(eq(appUser.id, user.id));
    expect(await queryRows(db(), sql`SELECT 1 FROM api_key WHERE user_id = ${user.id}`)).toEqual([]);
    const roleChanges = (await auditEvents(db(), { action: "role_changed" })).filter((e) => e.actorId === admin.id);
    expect(roleChanges).toHaveLength(1);
    expect(roleChanges[0]!.subjectId).toBeNull();
    expect(await queryRows(db(), sql`SELECT 1 FROM audit_event WHERE action = 'api_key_created' AND actor_id IS NULL AND detail->>'name' = 'k'`)).not.toEqual([]);
  });
});
