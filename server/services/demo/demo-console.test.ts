import { expect, it } from "vitest";
import { auditEvents } from "@/db/queries/audit";
import { ensureUser } from "@/db/queries/users";
import { createBoss, prepareQueues } from "@/server/jobs/queue";
import { readPausedProviders } from "@/server/providers/pauses";
import { failures, listRuns, retryDead } from "@/server/services/admin/ingestion";
import { providerHealth } from "@/server/services/admin/providers";
import { describeEachEngine } from "@/test/engines";
import { DEMO_PAUSE_REASON, demoConsoleSeeded, seedDemoConsole } from "./demo-console";
import { seedDemoHistory } from "./demo-history";

describeEachEngine(
  "seedDemoConsole",
  ({ app }) => {
    it("writes two days of labelled demo runs with failures and dead letters, their provider calls and a paused provider, once", async () => {
      const ctx = app();
      const now = new Date();
      expect(await seedDemoConsole(ctx.db, { now, pausedProvider: "farefinder" })).toEqual({ runs: 0, paused: null }); // no history yet: nothing
      expect(await demoConsoleSeeded(ctx.db)).toBe(false);
      await seedDemoHistory(ctx, { days: 2, routes: [["LHR", "JFK"], ["SYD", "MEL"], ["LGW", "BCN"]], now });

      const seeded = await seedDemoConsole(ctx.db, { now, pausedProvider: "farefinder" });
      expect(seeded.paused).toBe("farefinder");
      // 3 routes x 16 runs of 48 h every 3 h, some with 2 or 3 attempts.
      expect(seeded.runs).toBeGreaterThanOrEqual(3 * 15);
      const runs = await listRuns(ctx, { limit: 200 });
      expect(runs.items).toHaveLength(seeded.runs);
      expect(runs.items.every((r) => r.demo && r.jobId.startsWith("demo-"))).toBe(true);
      expect(runs.items.some((r) => r.status === "succeeded" && r.attempt === 2)).toBe(true); // retried, then succeeded
      const view = await failures(ctx);
      expect(view.dead.length).toBeGreaterThan(0);
      expect(view.dead.every((r) => r.resolution === "dead" && r.attempt === 3)).toBe(true);
      expect(view.groups.some((g) => g.dead > 0 && g.runs > 0)).toBe(true);
      // The providers page has the calls of the last day, from the demo's records.
      const health = await providerHealth(ctx);
      expect(health.find((p) => p.id === "skyway")!.day.calls).toBeGreaterThan(10);
      expect(health.find((p) => p.id === "farefinder")!.paused).toMatchObject({ reason: DEMO_PAUSE_REASON, pausedBy: null });
      expect((await readPausedProviders(ctx.db)).farefinder).toBeDefined();
      expect((await auditEvents(ctx.db, { action: "provider_paused" })).map((e) => e.detail)).toEqual([{ provider: "farefinder", reason: DEMO_PAUSE_REASON, demo: true }]);

      // Once: a second call writes nothing.
      expect(await seedDemoConsole(ctx.db, { now, pausedProvider: "farefinder" })).toEqual({ runs: 0, paused: null });
      expect((await listRuns(ctx, { limit: 200 })).items).toHaveLength(seeded.runs);

      // A demo dead letter is retried as a real job of its (real) query.
      const boss = createBoss(ctx.database, ctx.config);
      await boss.start();
      try {
        await prepareQueues(boss, ctx.config);
        const admin = await ensureUser(ctx.db, `demo-admin-${Date.now()}@example.test`);
        const dead = view.dead[0]!;
        const result = await retryDead(ctx, admin.id, { runIds: [dead.id] });
        // That run and any other dead run of its query: one job refreshes the query for all.
        expect(result.enqueued).toBe(1);
        expect([...result.runIds].sort((x, y) => x - y)).toEqual(view.dead.filter((r) => r.queryId === dead.queryId).map((r) => r.id).sort((x, y) => x - y));
        const job = await boss.getJobById("ingest", (await listRuns(ctx, { limit: 200 })).items.find((r) => r.id === dead.id)!.retryJobId!);
        expect(job?.data).toMatchObject({ queryId: dead.queryId });
      } finally {
        await boss.stop({ graceful: false, wait: true });
      }
    });
  },
  { seed: true },
);
