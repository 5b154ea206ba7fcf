import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { auditEvents } from "@/db/queries/audit";
import { ensureUser } from "@/db/queries/users";
import { providerCall } from "@/db/schema";
import type { Principal } from "@/server/auth/principal";
import { searchInputSchema } from "@/server/core/search-query";
import { addDays } from "@/server/core/time";
import { createBoss, prepareQueues } from "@/server/jobs/queue";
import { ingestBudget, scheduleDue } from "@/server/jobs/schedule";
import type { AppContext } from "@/server/context";
import { PAUSES_CACHE_MS } from "@/server/providers/pauses";
import { searchFlights } from "@/server/services/search/search-flights";
import { createCaller } from "@/server/trpc/root";
import { describeEachEngine } from "@/test/engines";
import { procedureContext } from "@/test/trpc";

const today = new Date().toISOString().slice(0, 10);
/** Another instance sees a pause within PAUSES_CACHE_MS. */
const afterPausesCache = () => new Promise((resolve) => setTimeout(resolve, PAUSES_CACHE_MS + 50));
let sequence = 0;

describeEachEngine(
  "pausing a provider",
  ({ app }) => {
    const caller = async (role: "admin" | "user") => {
      const user = await ensureUser(app().db, `providers-${role}-${Date.now()}-${sequence++}@example.test`);
      const principal: Principal = { via: "session", userId: user.id, role, sessionId: `s-${user.id}` };
      return { id: user.id, trpc: createCaller(procedureContext(app)({ principal })) };
    };
    const search = (day: number, ctx = app()) => searchFlights(ctx, searchInputSchema.parse({ originCode: "LHR", destinationCode: "MAD", departureDate: addDays(today, day) }));

    it("stops live calls to it on every instance within a second (a paused chip, nothing recorded of it), resumes them, and is audited", async () => {
      const admin = await caller("admin");
      const ctx = app();
      const before = await search(30, ctx);
      expect(before.providers.map((p) => [p.provider, p.status])).toEqual([
        ["skyway", "ok"],
        ["farefinder", "ok"],
      ]);

      const controls = await admin.trpc.admin.setProviderPaused({ provider: "farefinder", paused: true, reason: "maintenance at FareFinder" });
      expect(controls.find((p) => p.id === "farefinder")!.paused).toMatchObject({ pausedBy: admin.id, reason: "maintenance at FareFinder" });
      // Every instance (its own context on the same database, its own memory of the pauses) within a second.
      await afterPausesCache();
      for (const instance of [ctx, app()]) {
        const during = await search(30, instance); // the same search: the cached answer is not reused
        expect(during.cache).toBe("miss");
        expect(during.providers.map((p) => [p.provider, p.status, p.attempts])).toEqual([
          ["skyway", "ok", 1],
          ["farefinder", "paused", 0],
        ]);
        expect(during.offers.every((o) => o.sources.every((s) => s.provider === "skyway"))).toBe(true);
      }
      await ctx.observations.flush();
      const calls = await ctx.db.select().from(providerCall).where(eq(providerCall.provider, "farefinder"));
      expect(calls.every((c) => c.status === "ok")).toBe(true);

      await admin.trpc.admin.setProviderPaused({ provider: "farefinder", paused: false });
      await afterPausesCache();
      expect((await search(31, ctx)).providers.map((p) => p.status)).toEqual(["ok", "ok"]);
      const audited = await auditEvents(ctx.db, { actorId: admin.id });
      expect(audited.map((e) => [e.action, e.detail])).toEqual([
        ["provider_resumed", { provider: "farefinder" }],
        ["provider_paused", { provider: "farefinder", reason: "maintenance at FareFinder" }],
      ]);
    });

    it("the scheduler hands nothing over while every provider is paused", async () => {
      const admin = await caller("admin");
      const ctx = app();
      await admin.trpc.tracking.create({ kind: "exact", originCode: "LHR", destinationCode: "LIS", departureDate: addDays(today, 3) });
      const boss = createBoss(ctx.database, ctx.config);
      await boss.start();
      try {
        await prepareQueues(boss, ctx.config);
        for (const provider of ["skyway", "farefinder"]) await admin.trpc.admin.setProviderPaused({ provider, paused: true });
        await afterPausesCache();
        expect(await scheduleDue(ctx, boss, new Date(Date.now() + 3 * 86_400_000))).toMatchObject({ enqueued: 0, skipped: "every provider is paused or its circuit open" });
        await admin.trpc.admin.setProviderPaused({ provider: "skyway", paused: false });
        await afterPausesCache();
        expect((await scheduleDue(ctx, boss, new Date(Date.now() + 3 * 86_400_000))).enqueued).toBeGreaterThan(0);
      } finally {
        await admin.trpc.admin.setProviderPaused({ provider: "farefinder", paused: false });
        await boss.stop({ graceful: false, wait: true });
      }
    });

    it("is for admins only: a user is refused (403), anonymous too (401), an unknown provider is a 404", async () => {
      const user = await caller("user");
      const admin = await caller("admin");
      await expect(user.trpc.admin.providers()).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(user.trpc.admin.setProviderPaused({ provider: "skyway", paused: true })).rejects.toMatchObject({ code: "FORBIDDEN" });
      const anonymous = createCaller(procedureContext(app)({ principal: null }));
      await expect(anonymous.admin.setProviderPaused({ provider: "skyway", paused: true })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
      await expect(admin.trpc.admin.setProviderPaused({ provider: "nosuch", paused: true })).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(admin.trpc.admin.setProviderPaused({ provider: "Sky Way!", paused: true })).rejects.toMatchObject({ code: "BAD_REQUEST" });
      expect((await admin.trpc.admin.providers()).map((p) => [p.id, p.paused])).toEqual([
        ["skyway", null],
        ["farefinder", null],
      ]);
    });
  },
  { seed: true },
);

it("a paused provider's budget does not slow the scheduler for the others", () => {
  const providers = [{ id: "skyway" }, { id: "farefinder" }] as unknown as AppContext["providers"];
  const config = { tracking: { tickSeconds: 30, budgets: { default: 300, byProvider: { farefinder: 6 } } } } as unknown as AppContext["config"];
  expect(ingestBudget({ providers, config })).toBe(3);
  expect(ingestBudget({ providers, config }, { farefinder: { pausedAt: "", pausedBy: null, reason: null } })).toBe(150);
  // All paused: nothing is handed over anyway; the figure stays the tightest.
  expect(ingestBudget({ providers, config }, { farefinder: {}, skyway: {} })).toBe(3);
});
