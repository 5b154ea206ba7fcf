import { and, count, eq, sql } from "drizzle-orm";
import { afterEach, expect, it } from "vitest";
import { queryRows } from "@/db/client";
import { TRACKED_ROUTE_OBSERVED } from "@/db/queries/tracked-state";
import { ensureUser } from "@/db/queries/users";
import { eventOutbox, ingestionRun, ingestionTarget, priceSnapshot, trackedRouteQuery } from "@/db/schema";
import type { Principal } from "@/server/auth/principal";
import type { AppContext } from "@/server/context";
import { addDays } from "@/server/core/time";
import { createCaller } from "@/server/trpc/root";
import { describeEachEngine } from "@/test/engines";
import { until } from "@/test/wait";
import { procedureContext } from "@/test/trpc";
import { runIngestion } from "./ingest";
import type { ResilientProvider } from "@/server/providers/resilience";
import { createBoss, prepareQueues, QUEUES } from "./queue";
import { startJobs, type JobRuntime } from "./runtime";
import { scheduleDue } from "./schedule";

const today = new Date().toISOString().slice(0, 10);
let sequence = 0;

describeEachEngine(
  "scheduled ingestion",
  ({ app }) => {
    const running: JobRuntime[] = [];
    afterEach(async () => {
      for (const runtime of running.splice(0)) await runtime.stop(2_000);
    });

    /** A context for the jobs, retries quick, with tracking's settings overridden. */
    const jobContext = (tracking: Partial<AppContext["config"]["tracking"]> = {}, providers: Partial<AppContext["config"]["providers"]> = {}) => {
      const base = app();
      return app({ config: { tracking: { ...base.config.tracking, retryLimit: 1, retryDelaySeconds: 1, ...tracking }, providers: { ...base.config.providers, ...providers } } });
    };

    async function traveller(ctx: AppContext) {
      const user = await ensureUser(ctx.db, `ingest-${Date.now()}-${sequence++}@example.test`);
      const principal: Principal = { via: "session", userId: user.id, role: "user", sessionId: `s-${user.id}` };
      return createCaller(procedureContext(() => ctx)({ principal }));
    }

    const targetOf = async (ctx: AppContext, routeId: string) => {
      const [link] = await ctx.db.select().from(trackedRouteQuery).where(eq(trackedRouteQuery.trackedRouteId, routeId));
      const [target] = await ctx.db.select().from(ingestionTarget).where(eq(ingestionTarget.queryId, link!.queryId));
      return target!;
    };

    it("refreshes a newly tracked route by itself: one run per distinct query, recorded, with its event and next due time", async () => {
      const ctx = jobContext();
      const departureDate = addDays(today, 40);
      const input = { kind: "exact" as const, originCode: "LHR", destinationCode: "EDI", departureDate, currency: "GBP" as const };
      // Three users track the same search: one target, one job, one fan-out.
      const owners = [await traveller(ctx), await traveller(ctx), await traveller(ctx)];
      const routes = [];
      for (const owner of owners) routes.push(await owner.tracking.create(input));
      const target = await targetOf(ctx, routes[0]!.id);
      expect(routes.map((r) => r.price)).toEqual([null, null, null]);

      const runtime = await startJobs(ctx, { concurrency: 2, pollingIntervalSeconds: 0.5 });
      running.push(runtime);
      const [run] = await until("the run", async () => {
        const rows = await ctx.db.select().from(ingestionRun).where(and(eq(ingestionRun.queryId, target.queryId), eq(ingestionRun.status, "succeeded")));
        return rows.length ? rows : null;
      });
      expect(run).toMatchObject({ attempt: 1, error: null });
      expect(run!.providers.map((p) => p.status)).toEqual(["ok", "ok"]);
      expect(run!.offers).toBeGreaterThan(0);
      expect(run!.snapshotsWritten).toBeGreaterThanOrEqual(run!.offers);
      expect(run!.durationMs).toBeGreaterThanOrEqual(0);
      expect(run!.dueAt!.getTime()).toBe(target.nextDueAt.getTime());
      const [snapshots] = await ctx.db.select({ n: count() }).from(priceSnapshot).where(eq(priceSnapshot.queryId, target.queryId));
      expect(Number(snapshots!.n)).toBe(run!.snapshotsWritten);
      expect(await ctx.db.select().from(ingestionRun).where(eq(ingestionRun.queryId, target.queryId))).toHaveLength(1);

      for (const [i, route] of routes.entries()) {
        const seen = await owners[i]!.tracking.get({ id: route.id });
        expect(seen.lastCheckedAt).toBe(run!.observedAt!.toISOString());
        expect(seen.price).not.toBeNull();
        expect(seen.history).toHaveLength(1);
        const events = (await ctx.db.select().from(eventOutbox).where(eq(eventOutbox.topic, TRACKED_ROUTE_OBSERVED))).filter((e) => e.payload.trackedRouteId === route.id);
        expect(events).toHaveLength(1);
        expect(events[0]!.payload.observedAt).toBe(run!.observedAt!.toISOString());
      }
      // Next due a period (6 h at 40 days out, +-10%) after the observation, and free again.
      const after = await targetOf(ctx, routes[0]!.id);
      expect(after.enqueuedAt).toBeNull();
      const hours = (after.nextDueAt.getTime() - run!.observedAt!.getTime()) / 3_600_000;
      expect(hours).toBeGreaterThanOrEqual(6 * 0.9);
      expect(hours).toBeLessThanOrEqual(6 * 1.1);
      // Nothing is due: the next tick hands over nothing for it.
      expect((await scheduleDue(ctx, runtime.boss)).enqueued).toBe(0);
    });

    it("a retried job whose earlier attempt committed writes nothing twice", async () => {
      const ctx = jobContext();
      const route = await (await traveller(ctx)).tracking.create({ kind: "exact", originCode: "MAN", destinationCode: "DUB", departureDate: addDays(today, 20) });
      const target = await targetOf(ctx, route.id);
      const job = { id: crypto.randomUUID(), data: { queryId: target.queryId, dueAt: target.nextDueAt.toISOString() }, retryCount: 0 };
      expect(await runIngestion(ctx, job)).toBe("succeeded");
      const snapshots = async () => Number((await ctx.db.select({ n: count() }).from(priceSnapshot).where(eq(priceSnapshot.queryId, target.queryId)))[0]!.n);
      const written = await snapshots();
      expect(written).toBeGreaterThan(0);
      expect(await runIngestion(ctx, { ...job, retryCount: 1 })).toBe("already-done");
      expect(await snapshots()).toBe(written);
      expect(await ctx.db.select().from(ingestionRun).where(eq(ingestionRun.jobId, job.id))).toHaveLength(1);
    });

    it("a provider failing every call: runs recorded as failed with the reason, retried with backoff, then dead-lettered", async () => {
      const ctx = jobContext({ retryLimit: 1, retryDelaySeconds: 1 }, { simulatedFail: "simulated", resilience: { ...app().config.providers.resilience, retries: 0, failureThreshold: 100 } });
      const route = await (await traveller(ctx)).tracking.create({ kind: "exact", originCode: "CDG", destinationCode: "NCE", departureDate: addDays(today, 25) });
      const target = await targetOf(ctx, route.id);
      const runtime = await startJobs(ctx, { concurrency: 1, pollingIntervalSeconds: 0.5 });
      running.push(runtime);
      const runs = await until(
        "two failed attempts",
        async () => {
          const rows = await ctx.db.select().from(ingestionRun).where(eq(ingestionRun.queryId, target.queryId)).orderBy(ingestionRun.attempt);
          return rows.length >= 2 && rows.every((r) => r.status === "failed") ? rows : null;
        },
        60_000,
      );
      expect(runs.map((r) => r.attempt)).toEqual([1, 2]);
      expect(runs[0]!.error).toMatch(/skyway: .+; farefinder: .+/);
      expect(runs[1]!.startedAt.getTime() - runs[0]!.startedAt.getTime()).toBeGreaterThanOrEqual(1_000);
      const dead = await until("the dead letter", async () => {
        const rows = await queryRows<{ data: { queryId: number } }>(ctx.db, sql`SELECT data FROM pgboss.job WHERE name = ${QUEUES.ingestDead}`);
        return rows.find((r) => Number(r.data.queryId) === target.queryId);
      });
      expect(dead).toBeTruthy();
      // The route is still there, without a price, and says when it was last tried.
      expect(route.price).toBeNull();
    });

    it("respects the provider budget, and hands nothing over while every provider's circuit is open", async () => {
      // Calls per minute over a 60 s tick: the tick's budget is the per-minute figure.
      const ctx = jobContext({ budgets: { default: 2, byProvider: {} }, tickSeconds: 60 });
      const caller = await traveller(ctx);
      for (let i = 0; i < 4; i++) await caller.tracking.create({ kind: "exact", originCode: "OSL", destinationCode: "BGO", departureDate: addDays(today, 30 + i) });
      // A queue with no workers: what the tick hands over stays waiting.
      const boss = createBoss(ctx.database, ctx.config);
      await boss.start();
      try {
        await prepareQueues(boss, ctx.config);
        const open = { ...ctx, providers: ctx.providers.map((p) => ({ id: p.id, breakerState: () => "open" as const }) as unknown as ResilientProvider) };
        expect(await scheduleDue(open, boss)).toMatchObject({ enqueued: 0, skipped: "every provider is paused or its circuit open" });
        const first = await scheduleDue(ctx, boss);
        expect(first).toMatchObject({ enqueued: 2, budget: 2, waiting: 0 });
        // The budget is full while those wait.
        expect(await scheduleDue(ctx, boss)).toMatchObject({ enqueued: 0, waiting: 2 });
        const wider = { ...ctx, config: { ...ctx.config, tracking: { ...ctx.config.tracking, budgets: { default: 1, byProvider: { skyway: 10, farefinder: 10 } } } } };
        const second = await scheduleDue(wider, boss);
        expect(second.budget).toBe(10);
        expect(second.enqueued).toBeGreaterThanOrEqual(2);
        // Each query once: the ones handed over are held, whatever the budget.
        expect((await scheduleDue(wider, boss)).enqueued).toBe(0);
      } finally {
        await boss.stop({ graceful: false, wait: true });
      }
    });

    it("a search of a tracked query counts as its refresh: no job is needed", async () => {
      const ctx = jobContext();
      const departureDate = addDays(today, 9);
      const route = await (await traveller(ctx)).tracking.create({ kind: "exact", originCode: "ZRH", destinationCode: "GVA", departureDate, currency: "CHF" });
      const before = await targetOf(ctx, route.id);
      expect(before.lastObservedAt).toBeNull();
      const search = await createCaller(procedureContext(() => ctx)()).flight.results({ originCode: "ZRH", destinationCode: "GVA", departureDate, currency: "CHF" });
      const after = await targetOf(ctx, route.id);
      expect(after.lastObservedAt!.toISOString()).toBe(search.lastUpdated);
      // Under 14 days out: every 2 h.
      const hours = (after.nextDueAt.getTime() - after.lastObservedAt!.getTime()) / 3_600_000;
      expect(hours).toBeGreaterThanOrEqual(1.8);
      expect(hours).toBeLessThanOrEqual(2.2);
    });
  },
  { seed: true },
);
