/**
 * The console's audit log (issue 13): audit_event newest first, filtered by action, by a user
 * (who acted, or whom it was about) and by time, paged by cursor.
 */
import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { recordAudit, type AuditAction } from "@/db/queries/audit";
import { ensureUser } from "@/db/queries/users";
import { auditEvent } from "@/db/schema";
import type { AppContext } from "@/server/context";
import { describeEachEngine } from "@/test/engines";
import { auditLog } from "./users";
import { adminCaller } from "@/test/admin";

const M = 60_000;
let sequence = 0;

describeEachEngine(
  "the audit log",
  ({ app }) => {
    /** Each test's events happen on a day of their own, years ago. */
    let day = 0;
    const dayOf = () => new Date(Date.UTC(2021, 2, 1) + day++ * 86_400_000);

    const adminOf = (ctx: AppContext) => adminCaller(ctx, "audit-admin");

    const insertEvents = async (ctx: AppContext, events: { at: Date | string; action: AuditAction; actorId?: string | null; subjectId?: string | null; detail?: Record<string, unknown> }[]) => {
      const rows = await ctx.db
        .insert(auditEvent)
        .values(events.map((e) => ({ action: e.action, actorId: e.actorId ?? null, subjectId: e.subjectId ?? null, detail: e.detail ?? {}, at: sql`${typeof e.at === "string" ? e.at : e.at.toISOString()}::timestamptz` })))
        .returning({ id: auditEvent.id });
      return rows.map((r) => Number(r.id));
    };

    it("filters by action, by a user acting or acted on (however the address is typed), and by time", async () => {
      const ctx = app();
      const admin = await adminOf(ctx);
      const ada = await ensureUser(ctx.db, `ada-${Date.now()}-${sequence++}@example.test`);
      const bob = await ensureUser(ctx.db, `bob-${Date.now()}-${sequence++}@example.test`);
      const t = dayOf();
      const at = (minutes: number) => new Date(t.getTime() + minutes * M);
      const [signIn, keyMade, promoted, paused, bobSignIn] = await insertEvents(ctx, [
        { at: at(1), action: "sign_in", actorId: ada.id },
        { at: at(2), action: "api_key_created", actorId: ada.id, detail: { name: "cron" } },
        { at: at(3), action: "role_changed", actorId: admin.id, subjectId: ada.id, detail: { from: "user", to: "admin" } },
        { at: at(4), action: "provider_paused", actorId: admin.id, detail: { provider: "skyway" } },
        { at: at(5), action: "sign_in", actorId: bob.id },
      ]);
      const window = { from: t, to: at(60) };
      const ids = async (input: Parameters<typeof admin.trpc.admin.audit>[0]) => (await admin.trpc.admin.audit(input)).items.map((e) => e.id);

      expect(await ids(window)).toEqual([bobSignIn, paused, promoted, keyMade, signIn]);
      expect(await ids({ ...window, action: "sign_in" })).toEqual([bobSignIn, signIn]);
      // Ada acted, or was acted on.
      expect(await ids({ user: ada.email! })).toEqual([promoted, keyMade, signIn]);
      expect(await ids({ user: `  ${ada.email!.toUpperCase()} ` })).toEqual([promoted, keyMade, signIn]);
      expect(await ids({ user: admin.email, ...window })).toEqual([paused, promoted]);
      expect(await ids({ user: ada.email!, action: "sign_in" })).toEqual([signIn]);
      expect(await ids({ user: "nobody@example.test" })).toEqual([]);
      // From inclusive, to exclusive.
      expect(await ids({ from: at(2), to: at(4) })).toEqual([promoted, keyMade]);

      const [event] = (await admin.trpc.admin.audit({ ...window, action: "role_changed" })).items;
      expect(event).toEqual({
        id: promoted,
        at: at(3).toISOString(),
        action: "role_changed",
        actorId: admin.id,
        actorEmail: admin.email,
        subjectId: ada.id,
        subjectEmail: ada.email,
        address: null,
        userAgent: null,
        detail: { from: "user", to: "admin" },
      });
      await expect(admin.trpc.admin.audit({ action: "password_changed" as AuditAction })).rejects.toMatchObject({ code: "BAD_REQUEST" });
      const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
      for (const cursor of ["garbage", forged([t.toISOString(), ada.id]), forged([t.toISOString(), "abc"]), forged(["2024", "1"])]) {
        await expect(admin.trpc.admin.audit({ cursor })).rejects.toMatchObject({ code: "BAD_REQUEST" });
      }
    });

    it("lists the console's own actions with who did them", async () => {
      const ctx = app();
      const admin = await adminOf(ctx);
      const user = await ensureUser(ctx.db, `audited-${Date.now()}-${sequence++}@example.test`);
      await admin.trpc.admin.setUserRole({ userId: user.id, role: "admin" });
      await admin.trpc.admin.setSchedulerPaused({ paused: true, reason: "audit test" });
      await admin.trpc.admin.setSchedulerPaused({ paused: false });
      const log = await admin.trpc.admin.audit({ user: admin.email });
      expect(log.items.map((e) => [e.action, e.actorEmail, e.subjectEmail])).toEqual([
        ["scheduler_resumed", admin.email, null],
        ["scheduler_paused", admin.email, null],
        ["role_changed", admin.email, user.email],
      ]);
      expect((await admin.trpc.admin.audit({ user: user.email! })).items.map((e) => e.action)).toEqual(["role_changed"]);
    });

    it("pages newest first, each event once, through events at one instant and within one millisecond", async () => {
      const ctx = app();
      const actor = await ensureUser(ctx.db, `pager-${Date.now()}-${sequence++}@example.test`);
      // Events of one transaction share now(); separate ones a millisecond apart differ in microseconds.
      const day = dayOf().toISOString().slice(0, 10);
      const stamps = ["00:00:00.000100", "00:00:00.000200", "00:00:00.000200", "00:00:00.000200", "00:00:00.000700", "00:00:00.001000", "00:00:00.001000", "00:00:01.5"];
      await insertEvents(
        ctx,
        stamps.map((s, i) => ({ at: `${day} ${s}+00`, action: "sign_in" as const, actorId: actor.id, detail: { n: i } })),
      );
      // A few more through recordAudit (now()), outside the window read below.
      for (let i = 0; i < 3; i++) await recordAudit(ctx.db, { action: "sign_out", actorId: actor.id });
      const window = { from: new Date(`${day}T00:00:00Z`), to: new Date(`${day}T00:00:02Z`) };
      const all = await auditLog(ctx, { ...window, limit: 50 });
      expect(all.items).toHaveLength(stamps.length);
      expect(all.items.map((e) => e.detail.n)).toEqual([7, 6, 5, 4, 3, 2, 1, 0]);
      for (const limit of [1, 2, 3]) {
        const seen: number[] = [];
        let cursor: string | undefined;
        do {
          const page = await auditLog(ctx, { ...window, limit, cursor });
          seen.push(...page.items.map((e) => e.id));
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        expect(seen).toEqual(all.items.map((e) => e.id));
      }
      // The same through the actor's filter: every event of theirs, the recorded ones first.
      const mine: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await auditLog(ctx, { user: actor.email!, limit: 2, cursor });
        mine.push(...page.items.map((e) => e.action));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(mine).toEqual([...Array<string>(3).fill("sign_out"), ...Array<string>(stamps.length).fill("sign_in")]);
    });
  },
  { seed: true },
);
