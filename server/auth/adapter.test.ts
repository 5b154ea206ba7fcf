import crypto from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { queryRows } from "@/db/client";
import { appUser } from "@/db/schema";
import { describeEachEngine } from "@/test/engines";
import { accountsAdapter, sessionTokenHash } from "./adapter";

let sequence = 0;
const address = (name: string) => `${name}-${Date.now()}-${sequence++}@Example.Test`;

describeEachEngine("the accounts adapter", ({ database }) => {
  const db = () => database().db;

  it("stores a session by the hash of its token, finds it by the token, and ends it", async () => {
    const adapter = accountsAdapter(db());
    const user = await adapter.createUser!({ id: crypto.randomUUID(), email: address("Grace"), emailVerified: null, name: "Grace" });
    expect(user.email).toBe(user.email.toLowerCase());
    const token = crypto.randomBytes(32).toString("hex");
    const expires = new Date(Date.now() + 86_400_000);
    const created = await adapter.createSession!({ sessionToken: token, userId: user.id, expires });
    expect(created.sessionToken).toBe(token);
    const rows = await queryRows<{ session_token: string }>(db(), sql`SELECT session_token FROM auth_session WHERE user_id = ${user.id}`);
    expect(rows).toEqual([{ session_token: sessionTokenHash(token) }]);
    expect(JSON.stringify(rows)).not.toContain(token);

    const found = await adapter.getSessionAndUser!(token);
    expect(found?.session).toMatchObject({ sessionToken: token, userId: user.id });
    expect(found?.user).toMatchObject({ id: user.id, role: "user" });
    // The stored value is no token: presenting it signs nobody in.
    expect(await adapter.getSessionAndUser!(sessionTokenHash(token))).toBeNull();

    const later = new Date(Date.now() + 2 * 86_400_000);
    expect(await adapter.updateSession!({ sessionToken: token, expires: later })).toMatchObject({ sessionToken: token, expires: later });
    await adapter.deleteSession!(token);
    expect(await adapter.getSessionAndUser!(token)).toBeNull();
  });

  it("finds users by email whatever its case, and reads the role afresh with each session", async () => {
    const adapter = accountsAdapter(db());
    const email = address("Linus");
    const user = await adapter.createUser!({ id: crypto.randomUUID(), email, emailVerified: null });
    expect((await adapter.getUserByEmail!(email.toUpperCase()))?.id).toBe(user.id);
    const token = crypto.randomBytes(32).toString("hex");
    await adapter.createSession!({ sessionToken: token, userId: user.id, expires: new Date(Date.now() + 60_000) });
    await db().update(appUser).set({ role: "admin" }).where(eq(appUser.id, user.id));
    expect((await adapter.getSessionAndUser!(token))?.user).toMatchObject({ role: "admin" });
  });
});
