/**
 * The console's overview (issue 13): runs in the last hour and day by outcome, snapshots per
 * hour, the scheduler's lag, the providers' figures from provider_call, queue depths, and the
 * maintenance pause of the whole scheduler.
 */
import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { queryRows } from "@/db/client";
import { auditEvents } from "@/db/queries/audit";
import { recordSearch, upsertFlightQuery } from "@/db/queries/snapshots";
import { ingestionRun, ingestionTarget, providerCall, trackedRouteQuery } from "@/db/schema";
import type { AppContext } from "@/server/context";
import { addDays } from "@/server/core/time";
import { createBoss, prepareQueues, QUEUES } from "@/server/jobs/queue";
import { scheduleDue } from "@/server/jobs/schedule";
import { describeEachEngine } from "@/test/engines";
import { makeOffers, uniqueQuery } from "@/test/fixtures";
import { adminCaller } from "@/test/admin";

const M = 60_000;
const H = 3_600_000;
let sequence = 0;

describeEachEngine(
  "the admin overview",
  ({ app }) => {
    /**
     * The overview's windows have no upper bound (nothing is recorded in the future), so each
     * test that checks exact figures reads at its own instant, later than anything an earlier
     * test wrote: a year after the last one.
     */
    let year = 2031;
    const nextInstant = () => new Date(Date.UTC(year++, 5, 15, 12, 30, 0));

    const adminOf = (ctx: AppContext) => adminCaller(ctx, "overview");

    it("counts the runs of the last hour and day by outcome, and the scheduler's lag over the last hour's first attempts", async () => {
      const now = nextInstant();
      const ctx = app({ clock: () => now });
      const queryId = await upsertFlightQuery(ctx.db, uniqueQuery(), now);
      const shared = randomUUID();
      const runs: { ago: number; attempt: number; status: "running" | "succeeded" | "failed"; resolution?: "dead" | "retried"; lagMs: number | null; jobId?: string }[] = [
        { ago: 10 * M, attempt: 1, status: "succeeded", lagMs: 1_000 },
        { ago: 20 * M, attempt: 1, status: "failed", lagMs: 3_000, jobId: shared },
        { ago: 15 * M, attempt: 2, status: "failed", resolution: "dead", lagMs: 50_000, jobId: shared },
        { ago: 5 * M, attempt: 1, status: "running", lagMs: 2_000 },
        { ago: 30 * M, attempt: 2, status: "succeeded", lagMs: 60_000 },
        // Started before it fell due (an admin's refresh): no lag, not a negative one.
        { ago: 40 * M, attempt: 1, status: "succeeded", lagMs: -5_000 },
        { ago: 45 * M, attempt: 1, status: "succeeded", lagMs: 100_000 },
        { ago: 50 * M, attempt: 1, status: "succeeded", lagMs: null },
        // The day, not the hour.
        { ago: 5 * H, attempt: 1, status: "succeeded", lagMs: 7_000 },
        { ago: 20 * H, attempt: 3, status: "failed", resolution: "retried", lagMs: 1_000 },
        // Older than a day.
        { ago: 25 * H, attempt: 1, status: "failed", resolution: "dead", lagMs: 1_000 },
      ];
      await ctx.db.insert(ingestionRun).values(
        runs.map((r) => {
          const startedAt = new Date(now.getTime() - r.ago);
          return {
            jobId: r.jobId ?? randomUUID(),
            attempt: r.attempt,
            queryId,
            status: r.status,
            resolution: r.resolution ?? null,
            startedAt,
            dueAt: r.lagMs === null ? null : new Date(startedAt.getTime() - r.lagMs),
          };
        }),
      );
      const admin = await adminOf(ctx);
      const overview = await admin.trpc.admin.overview();
      expect(overview.generatedAt).toBe(now.toISOString());
      expect(overview.runs).toEqual({
        lastHour: { started: 8, succeeded: 5, failed: 2, retried: 2, deadLettered: 1, running: 1 },
        lastDay: { started: 10, succeeded: 6, failed: 3, retried: 3, deadLettered: 2, running: 1 },
      });
      // First attempts of the hour with a due time: lags 0, 1, 2, 3 and 100 s.
      expect(overview.schedulerLag).toEqual({ runs: 5, p50Ms: 2_000, p95Ms: 80_600, maxMs: 100_000 });
    });

    it("counts snapshots written in each of the last 24 hours, the current one last, empty hours as 0", async () => {
      const now = nextInstant(); // hh:30
      const ctx = app({ clock: () => now });
      const query = uniqueQuery();
      const write = (ago: number, offers: number) => recordSearch(ctx.db, query, new Date(now.getTime() - ago), makeOffers(query, offers, (i) => 10_000 + i));
      await write(0, 3); // this hour
      await write(3 * H, 2); // three hours ago
      await write(23 * H + 20 * M, 4); // 13:10 yesterday: the first hour of the chart
      await write(24 * H, 5); // 12:30 yesterday: before it
      const admin = await adminOf(ctx);
      const { snapshotsPerHour } = await admin.trpc.admin.overview();
      const thisHour = Math.floor(now.getTime() / H) * H;
      expect(snapshotsPerHour.map((h) => h.hour)).toEqual(Array.from({ length: 24 }, (_, i) => new Date(thisHour - (23 - i) * H).toISOString()));
      const expected = Array<number>(24).fill(0);
      expected[23] = 3;
      expected[20] = 2;
      expected[0] = 4;
      expect(snapshotsPerHour.map((h) => h.snapshots)).toEqual(expected);
    });

    it("shows each provider's calls, errors, timeouts, circuit-open skips and latency over the hour and the day, from provider_call", async () => {
      const now = nextInstant();
      const ctx = app({ clock: () => now });
      const queryId = await upsertFlightQuery(ctx.db, uniqueQuery({ origin: "MAN", destination: "ORY" }), now);
      const call = (minutesAgo: number, status: "ok" | "error" | "timeout" | "circuit_open", latencyMs: number, error: string | null = null) => ({
        observedAt: new Date(now.getTime() - minutesAgo * M),
        queryId,
        provider: "skyway",
        status,
        latencyMs,
        offerCount: status === "ok" ? 4 : 0,
        attempts: status === "circuit_open" ? 0 : 1,
        error,
      });
      await ctx.db.insert(providerCall).values([
        call(1, "ok", 100),
        call(2, "ok", 200),
        call(3, "ok", 300),
        call(4, "ok", 400),
        call(5, "error", 500, "HTTP 502"),
        call(6, "timeout", 5_000, "no answer in 5 s"),
        call(7, "circuit_open", 0, "circuit open"),
        call(5 * 60, "ok", 1_000),
        call(5 * 60 + 1, "ok", 1_000),
        call(25 * 60, "error", 700, "too old to count"),
      ]);
      const admin = await adminOf(ctx);
      const overview = await admin.trpc.admin.overview();
      const [skyway, farefinder] = overview.providers;
      expect(skyway!.id).toBe("skyway");
      // Error rate: errors and timeouts over calls made (a circuit-open skip is no call).
      expect(skyway!.hour).toEqual({ calls: 7, errors: 1, timeouts: 1, circuitOpen: 1, errorRate: 2 / 6, p50Ms: 350, p95Ms: 3_875 });
      expect(skyway!.day).toEqual({ calls: 9, errors: 1, timeouts: 1, circuitOpen: 1, errorRate: 2 / 8, p50Ms: 450, p95Ms: 3_600 });
      expect(skyway!.hourly).toHaveLength(24);
      expect(skyway!.hourly.map((h) => h.calls)).toEqual(Array.from({ length: 24 }, (_, i) => (i === 23 ? 7 : i === 18 ? 2 : 0)));
      expect(skyway!.lastErrors).toEqual([]); // the overview does not read them
      expect(farefinder).toMatchObject({ id: "farefinder", hour: { calls: 0, errorRate: 0, p50Ms: null }, day: { calls: 0 } });

      // The providers page: the latest failed calls, newest first.
      const [health] = await admin.trpc.admin.providerHealth();
      expect(health!.lastErrors.map((e) => [e.status, e.error, e.latencyMs])).toEqual([
        ["error", "HTTP 502", 500],
        ["timeout", "no answer in 5 s", 5_000],
        ["circuit_open", "circuit open", 0],
        ["error", "too old to count", 700],
      ]);
      expect(health!.lastErrors[0]!.route).toMatch(/^MAN–ORY \d{4}-\d{2}-\d{2}$/);
    });

    it("shows each queue's waiting, active and retrying jobs once the queue exists", async () => {
      const ctx = app();
      const admin = await adminOf(ctx);
      const depthsOf = async () => new Map((await admin.trpc.admin.overview()).queues.map((q) => [q.name, q]));
      const boss = createBoss(ctx.database, ctx.config);
      await boss.start();
      try {
        await prepareQueues(boss, ctx.config);
        const before = await depthsOf();
        for (const name of Object.values(QUEUES)) expect(before.get(name)).toBeDefined();
        const ids = await Promise.all(
          [1, 2, 3].map(() => boss.send(QUEUES.ingest, { queryId: 900_000 + sequence, dueAt: new Date().toISOString() }, { singletonKey: `overview-${sequence++}` })),
        );
        expect(ids.every(Boolean)).toBe(true);
        await boss.send(QUEUES.ingestDead, { queryId: 1, dueAt: new Date().toISOString() });
        const [taken] = await boss.fetch(QUEUES.ingest);
        const [failed] = await boss.fetch(QUEUES.ingest);
        await boss.fail(QUEUES.ingest, failed!.id, { message: "test failure" });
        expect([taken!.id, failed!.id].every((id) => ids.includes(id))).toBe(true);

        const after = await depthsOf();
        const change = (name: string) => {
          const [b, a] = [before.get(name)!, after.get(name)!];
          return { waiting: a.waiting - b.waiting, active: a.active - b.active, retrying: a.retrying - b.retrying };
        };
        expect(change(QUEUES.ingest)).toEqual({ waiting: 1, active: 1, retrying: 1 });
        expect(change(QUEUES.ingestDead)).toEqual({ waiting: 1, active: 0, retrying: 0 });
        expect(change(QUEUES.schedule)).toEqual({ waiting: 0, active: 0, retrying: 0 });
        await boss.complete(QUEUES.ingest, taken!.id);
        const done = await depthsOf();
        expect(done.get(QUEUES.ingest)!.active).toBe(after.get(QUEUES.ingest)!.active - 1);
      } finally {
        await boss.stop({ graceful: false, wait: true });
      }
    });

    it("maintenance: while the scheduler is paused nothing due is handed over (the tick says why); resumed, it is; both audited and shown on the overview", async () => {
      const ctx = app();
      const admin = await adminOf(ctx);
      const route = await admin.trpc.tracking.create({ kind: "exact", originCode: "LHR", destinationCode: "BCN", departureDate: addDays(new Date().toISOString().slice(0, 10), 12) });
      const [link] = await ctx.db.select().from(trackedRouteQuery).where(eq(trackedRouteQuery.trackedRouteId, route.id));
      const queryId = link!.queryId;
      const jobsOf = () => queryRows<{ id: string }>(ctx.db, sql`SELECT id FROM pgboss.job WHERE name = ${QUEUES.ingest} AND data->>'queryId' = ${String(queryId)}`);
      const target = async () => (await ctx.db.select().from(ingestionTarget).where(eq(ingestionTarget.queryId, queryId)))[0]!;
      const boss = createBoss(ctx.database, ctx.config);
      await boss.start();
      try {
        await prepareQueues(boss, ctx.config);
        const due = new Date(Date.now() + M);
        expect((await target()).nextDueAt.getTime()).toBeLessThan(due.getTime());

        const pause = await admin.trpc.admin.setSchedulerPaused({ paused: true, reason: "upgrading the database" });
        expect(pause).toMatchObject({ pausedBy: admin.id, reason: "upgrading the database" });
        expect(await admin.trpc.admin.schedulerPause()).toEqual(pause);
        expect((await admin.trpc.admin.overview()).maintenance).toEqual(pause);
        // Another instance (its own context) honours it too: it is read from the database.
        for (const instance of [ctx, app()]) {
          expect(await scheduleDue(instance, boss, due)).toMatchObject({ enqueued: 0, skipped: "the scheduler is paused for maintenance" });
        }
        expect(await jobsOf()).toEqual([]);
        expect((await target()).enqueuedAt).toBeNull();

        expect(await admin.trpc.admin.setSchedulerPaused({ paused: false })).toBeNull();
        expect((await admin.trpc.admin.overview()).maintenance).toBeNull();
        const resumed = await scheduleDue(ctx, boss, due);
        expect(resumed.skipped).toBeUndefined();
        expect(resumed.enqueued).toBeGreaterThanOrEqual(1);
        expect(await jobsOf()).toHaveLength(1);
        expect((await target()).enqueuedAt?.getTime()).toBe(due.getTime());

        const audited = await auditEvents(ctx.db, { actorId: admin.id });
        expect(audited.map((e) => [e.action, e.detail])).toEqual([
          ["scheduler_resumed", {}],
          ["scheduler_paused", { reason: "upgrading the database" }],
        ]);
      } finally {
        await admin.trpc.admin.setSchedulerPaused({ paused: false });
        await boss.stop({ graceful: false, wait: true });
      }
    });
  },
  { seed: true },
);
