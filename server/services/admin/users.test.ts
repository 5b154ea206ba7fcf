/**
 * The console's users page (issue 13): list and search, each user's tracked routes, role
 * changes (never leaving the app without an admin), and disabling an account (its sessions
 * end, its API keys stop working). Every change is audited.
 */
import { createHash, randomBytes } from "node:crypto";
import { and, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { authenticateApiKey, createApiKey } from "@/db/queries/api-keys";
import { auditEvents } from "@/db/queries/audit";
import { listSessions, sessionUser } from "@/db/queries/sessions";
import { ensureUser, setRole, userById } from "@/db/queries/users";
import { appUser, authSession } from "@/db/schema";
import type { AppContext } from "@/server/context";
import { addDays } from "@/server/core/time";
import { trackRoute, updateTracked } from "@/server/services/tracking/tracked-routes";
import { describeEachEngine } from "@/test/engines";
import { listUsers, setUserDisabled, setUserRole } from "./users";
import { adminCaller } from "@/test/admin";

let sequence = 0;
const today = new Date().toISOString().slice(0, 10);

describeEachEngine(
  "the users page",
  ({ app }) => {
    /** A word no other test's users carry: searches for it see this test's users alone. */
    const tag = () => `t${Date.now().toString(36)}${sequence++}`;

    const adminOf = (ctx: AppContext) => adminCaller(ctx, "users-admin");

    /** A signed-in session of the user (as Auth.js stores it: the token's hash); its token hash. */
    async function signIn(ctx: AppContext, userId: string, lastSeenAt: Date | null = null): Promise<string> {
      const hash = createHash("sha256").update(randomBytes(32)).digest("hex");
      await ctx.db.insert(authSession).values({ sessionToken: hash, userId, expires: new Date(Date.now() + 86_400_000), lastSeenAt });
      return hash;
    }

    it("searches by a part of the address or the name (case aside; % and _ are literal), filters by role, pages, and counts each user's tracked routes", async () => {
      const ctx = app();
      const admin = await adminOf(ctx);
      const t = tag();
      const alice = await ensureUser(ctx.db, `alice.${t}@example.test`, { name: `Alice ${t}` });
      const bob = await ensureUser(ctx.db, `bob.${t}@example.test`, { name: `Bob 100% ${t}` });
      const carol = await ensureUser(ctx.db, `carol.${t}@example.test`, { name: `Carol 1000 ${t}` });
      const under = await ensureUser(ctx.db, `c_${t}@example.test`);
      const near = await ensureUser(ctx.db, `cx${t}@example.test`);
      await setRole(ctx.db, bob.id, "admin");
      const emails = async (input: Parameters<typeof admin.trpc.admin.users>[0]) => (await admin.trpc.admin.users(input)).items.map((u) => u.email);

      expect((await emails({ query: t })).sort()).toEqual([alice, bob, carol, under, near].map((u) => u.email).sort());
      expect(await emails({ query: `ALICE ${t.toUpperCase()}` })).toEqual([alice.email]);
      expect(await emails({ query: `  alice.${t}  ` })).toEqual([alice.email]);
      // Literal: "100%" is not "100 then anything", "c_" is not "c then any character".
      expect(await emails({ query: `100% ${t}` })).toEqual([bob.email]);
      expect(await emails({ query: `c_${t}` })).toEqual([under.email]);
      expect(await emails({ query: `\\${t}` })).toEqual([]);
      expect(await emails({ query: t, role: "admin" })).toEqual([bob.email]);
      expect((await emails({ query: t, role: "user" })).sort()).toEqual([alice, carol, under, near].map((u) => u.email).sort());
      await expect(admin.trpc.admin.users({ query: t, role: "owner" as "admin" })).rejects.toMatchObject({ code: "BAD_REQUEST" });

      // Tracked routes (paused ones too), and when the user was last seen.
      const first = await trackRoute(ctx, alice.id, { kind: "exact", originCode: "LHR", destinationCode: "ATH", departureDate: addDays(today, 30), cabin: "economy", adults: 1, children: 0, infants: 0 });
      await trackRoute(ctx, alice.id, { kind: "exact", originCode: "LHR", destinationCode: "ATH", departureDate: addDays(today, 31), cabin: "economy", adults: 1, children: 0, infants: 0 });
      await updateTracked(ctx, alice.id, first.id, { status: "paused" });
      const seen = new Date(Date.now() - 3_600_000);
      await signIn(ctx, alice.id, seen);
      const listed = (await admin.trpc.admin.users({ query: t })).items;
      expect(listed.find((u) => u.id === alice.id)).toMatchObject({ name: `Alice ${t}`, role: "user", trackedRoutes: 2, lastSeenAt: seen.toISOString(), disabledAt: null });
      expect(listed.find((u) => u.id === bob.id)).toMatchObject({ role: "admin", trackedRoutes: 0, lastSeenAt: null });

      // Newest first, and the same list page by page.
      const created = listed.map((u) => Date.parse(u.createdAt));
      expect(created).toEqual([...created].sort((a, b) => b - a));
      const paged: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await listUsers(ctx, { query: t, limit: 2, cursor });
        paged.push(...page.items.map((u) => u.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(paged).toEqual(listed.map((u) => u.id));
      // A cursor of another list (keyed by numbers), or forged: a 400, not a 500.
      const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
      for (const cursor of [forged([new Date().toISOString(), "42"]), forged([new Date().toISOString(), "abc"]), forged(["2024-02-30T00:00:00Z", alice.id])]) {
        await expect(admin.trpc.admin.users({ query: t, cursor })).rejects.toMatchObject({ code: "BAD_REQUEST" });
      }
    });

    it("pages without a gap or a repeat through users made at the same instant and within one millisecond", async () => {
      const ctx = app();
      const t = tag();
      const users = [];
      for (let i = 0; i < 7; i++) users.push(await ensureUser(ctx.db, `same-${i}-${t}@example.test`));
      // As now() writes them: microseconds apart within one millisecond, and ties (one transaction).
      const at = ["2024-05-01 10:00:00.000100+00", "2024-05-01 10:00:00.000200+00", "2024-05-01 10:00:00.000200+00", "2024-05-01 10:00:00.000300+00", "2024-05-01 10:00:00.000900+00", "2024-05-01 10:00:00.001000+00", "2024-05-01 10:00:00.001000+00"];
      for (const [i, user] of users.entries()) await ctx.db.execute(sql`UPDATE app_user SET created_at = ${at[i]!}::timestamptz WHERE id = ${user.id}`);
      const all = await listUsers(ctx, { query: t, limit: 50 });
      expect(all.items).toHaveLength(7);
      for (const limit of [1, 2, 3]) {
        const seen: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await listUsers(ctx, { query: t, limit, cursor });
          seen.push(...page.items.map((u) => u.id));
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        expect(seen).toEqual(all.items.map((u) => u.id));
      }
    });

    it("changes a user's role, audited; refuses to leave no active admin, also when two admins demote each other at once", async () => {
      const ctx = app();
      const admin = await adminOf(ctx);
      const user = await ensureUser(ctx.db, `users-role-${tag()}@example.test`);
      expect(await admin.trpc.admin.setUserRole({ userId: user.id, role: "admin" })).toBe("admin");
      expect((await userById(ctx.db, user.id))!.role).toBe("admin");
      // The same role again changes nothing and records nothing.
      expect(await admin.trpc.admin.setUserRole({ userId: user.id, role: "admin" })).toBe("admin");
      expect(await admin.trpc.admin.setUserRole({ userId: user.id, role: "user" })).toBe("user");
      const audited = await auditEvents(ctx.db, { actorId: admin.id, action: "role_changed" });
      expect(audited.map((e) => [e.subjectId, e.detail])).toEqual([
        [user.id, { from: "admin", to: "user", by: "admin console" }],
        [user.id, { from: "user", to: "admin", by: "admin console" }],
      ]);
      await expect(admin.trpc.admin.setUserRole({ userId: "00000000-0000-4000-8000-000000000000", role: "admin" })).rejects.toMatchObject({ code: "NOT_FOUND" });

      // This test's admin the only active one (the others of this file's database step down).
      await ctx.db.update(appUser).set({ role: "user" }).where(and(eq(appUser.role, "admin"), ne(appUser.id, admin.id)));
      await expect(admin.trpc.admin.setUserRole({ userId: admin.id, role: "user" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
      // A disabled admin cannot undo anything: it does not count.
      const dormant = await ensureUser(ctx.db, `users-dormant-${tag()}@example.test`);
      await ctx.db.update(appUser).set({ role: "admin", disabledAt: new Date() }).where(eq(appUser.id, dormant.id));
      await expect(setUserRole(ctx, admin.id, admin.id, "user")).rejects.toMatchObject({ fields: { role: [expect.stringMatching(/no admin/)] } });
      expect((await userById(ctx.db, admin.id))!.role).toBe("admin");

      // Two admins, each demoting the other at the same moment: one of them stays an admin.
      const other = await adminOf(ctx);
      const outcomes = await Promise.allSettled([setUserRole(ctx, admin.id, other.id, "user"), setUserRole(app(), other.id, admin.id, "user")]);
      expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
      const active = await ctx.db
        .select({ id: appUser.id })
        .from(appUser)
        .where(and(eq(appUser.role, "admin"), isNull(appUser.disabledAt)));
      expect(active).toHaveLength(1);
      // With another admin in place, stepping down is fine.
      const survivor = active[0]!.id;
      const next = await ensureUser(ctx.db, `users-next-${tag()}@example.test`);
      await setUserRole(ctx, survivor, next.id, "admin");
      expect(await setUserRole(ctx, survivor, survivor, "user")).toBe("user");
    });

    it("disables an account: its sessions end, its API keys stop working, it cannot disable itself; enabled again it works; audited", async () => {
      const ctx = app();
      const admin = await adminOf(ctx);
      const user = await ensureUser(ctx.db, `users-disabled-${tag()}@example.test`);
      const sessions = [await signIn(ctx, user.id), await signIn(ctx, user.id)];
      const adminSession = await signIn(ctx, admin.id);
      const { key } = await createApiKey(ctx.db, user.id, { name: "cron", scopes: ["search"] });
      expect(await sessionUser(ctx.db, sessions[0]!)).toMatchObject({ userId: user.id });
      expect(await authenticateApiKey(ctx.db, key)).toMatchObject({ userId: user.id });

      const disabled = await admin.trpc.admin.setUserDisabled({ userId: user.id, disabled: true });
      expect(disabled.sessionsEnded).toBe(2);
      expect(disabled.disabledAt).not.toBeNull();
      for (const session of sessions) expect(await sessionUser(ctx.db, session)).toBeNull();
      expect(await listSessions(ctx.db, user.id)).toEqual([]);
      expect(await authenticateApiKey(ctx.db, key)).toBeNull();
      // Signing in again makes a session that does not work either.
      expect(await sessionUser(ctx.db, await signIn(ctx, user.id))).toBeNull();
      // Only the user's sessions ended.
      expect(await sessionUser(ctx.db, adminSession)).toMatchObject({ userId: admin.id });
      expect((await admin.trpc.admin.users({ query: user.email! })).items[0]!.disabledAt).toBe(disabled.disabledAt);

      // Again: the same instant kept, nothing more audited.
      expect(await admin.trpc.admin.setUserDisabled({ userId: user.id, disabled: true })).toEqual({ disabledAt: disabled.disabledAt, sessionsEnded: 1 });
      // An admin cannot lock themself out.
      await expect(admin.trpc.admin.setUserDisabled({ userId: admin.id, disabled: true })).rejects.toMatchObject({ code: "BAD_REQUEST" });
      expect((await userById(ctx.db, admin.id))!.disabledAt).toBeNull();
      expect(await sessionUser(ctx.db, adminSession)).not.toBeNull();

      expect(await admin.trpc.admin.setUserDisabled({ userId: user.id, disabled: false })).toEqual({ disabledAt: null, sessionsEnded: 0 });
      // Disabled, not revoked: the key works again; a new sign-in works.
      expect(await authenticateApiKey(ctx.db, key)).toMatchObject({ userId: user.id });
      expect(await sessionUser(ctx.db, await signIn(ctx, user.id))).toMatchObject({ userId: user.id });

      const audited = await auditEvents(ctx.db, { actorId: admin.id });
      expect(audited.map((e) => [e.action, e.subjectId, e.detail])).toEqual([
        ["account_enabled", user.id, {}],
        ["account_disabled", user.id, { sessionsEnded: 2 }],
      ]);
      await expect(admin.trpc.admin.setUserDisabled({ userId: "00000000-0000-4000-8000-000000000000", disabled: true })).rejects.toMatchObject({ code: "NOT_FOUND" });
    });

    it("refuses to disable the last active admin; two admins disabling each other at once leave one", async () => {
      const ctx = app();
      const [a, b] = [await adminOf(ctx), await adminOf(ctx)];
      await ctx.db.update(appUser).set({ role: "user" }).where(and(eq(appUser.role, "admin"), ne(appUser.id, a.id), ne(appUser.id, b.id)));
      const outcomes = await Promise.allSettled([setUserDisabled(ctx, a.id, b.id, true), setUserDisabled(app(), b.id, a.id, true)]);
      expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
      const left = await ctx.db
        .select({ id: appUser.id })
        .from(appUser)
        .where(and(inArray(appUser.id, [a.id, b.id]), isNull(appUser.disabledAt)));
      expect(left).toHaveLength(1);
      const [keeper] = left;
      const gone = keeper!.id === a.id ? b : a;
      // The one left cannot be disabled by the disabled one's hand either (it is the last).
      await expect(setUserDisabled(ctx, gone.id, keeper!.id, true)).rejects.toMatchObject({ fields: { userId: [expect.stringMatching(/last admin/)] } });
      expect(await setUserDisabled(ctx, keeper!.id, gone.id, false)).toMatchObject({ disabledAt: null });
    });
  },
  { seed: true },
);
