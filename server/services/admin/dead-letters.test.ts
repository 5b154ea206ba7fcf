/**
 * Issue 13: "retry of a dead-lettered job runs it again once". Real pg-boss workers
 * (startJobs) on providers that fail every call, until the queue gives a job up; then, with
 * providers that answer (another context on the same database, as a second deploy would be),
 * an admin retries it (twice, and twice at once) or discards it.
 */
import { and, asc, eq, sql } from "drizzle-orm";
import { afterEach, expect, it } from "vitest";
import { queryRows } from "@/db/client";
import { auditEvents } from "@/db/queries/audit";
import { ensureUser } from "@/db/queries/users";
import { ingestionRun, trackedRouteQuery } from "@/db/schema";
import type { AppContext } from "@/server/context";
import { addDays } from "@/server/core/time";
import { QUEUES } from "@/server/jobs/queue";
import { startJobs, type JobRuntime } from "@/server/jobs/runtime";
import { trackRoute } from "@/server/services/tracking/tracked-routes";
import { describeEachEngine } from "@/test/engines";
import { until } from "@/test/wait";
import { adminCaller } from "@/test/admin";

const today = new Date().toISOString().slice(0, 10);
let sequence = 0;

describeEachEngine(
  "retrying and discarding a dead-lettered ingestion job (real workers)",
  ({ app }) => {
    const running: JobRuntime[] = [];
    afterEach(async () => {
      for (const runtime of running.splice(0)) await runtime.stop(2_000);
    });

    /** One quick retry, then the dead-letter queue. */
    const tracking = () => ({ ...app().config.tracking, retryLimit: 1, retryDelaySeconds: 1 });
    const failingContext = () => {
      const providers = app().config.providers;
      // No retries inside a call and no circuit breaking: every attempt asks both providers and both fail.
      return app({ config: { tracking: tracking(), providers: { ...providers, simulatedFail: "simulated", resilience: { ...providers.resilience, retries: 0, failureThreshold: 100 } } } });
    };

    async function trackedQuery(ctx: AppContext, destinationCode: string, days: number) {
      const user = await ensureUser(ctx.db, `dead-${Date.now()}-${sequence++}@example.test`);
      const route = await trackRoute(ctx, user.id, { kind: "exact", originCode: "LHR", destinationCode, departureDate: addDays(today, days), cabin: "economy", adults: 1, children: 0, infants: 0 });
      const [link] = await ctx.db.select().from(trackedRouteQuery).where(eq(trackedRouteQuery.trackedRouteId, route.id));
      return link!.queryId;
    }

    const adminOf = (ctx: AppContext) => adminCaller(ctx, "dead-admin");

    const runsOf = (ctx: AppContext, queryId: number) => ctx.db.select().from(ingestionRun).where(eq(ingestionRun.queryId, queryId)).orderBy(asc(ingestionRun.startedAt), asc(ingestionRun.id));
    const jobsOf = (ctx: AppContext, queue: string, queryId: number) =>
      queryRows<{ id: string; state: string }>(ctx.db, sql`SELECT id::text AS id, state::text AS state FROM pgboss.job WHERE name = ${queue} AND data->>'queryId' = ${String(queryId)} ORDER BY created_on`);

    /** The job's last attempt marked dead, and pg-boss's copy waiting in the dead-letter queue. */
    const deadRunOf = (ctx: AppContext, queryId: number) =>
      until(
        `query ${queryId}'s job to be dead-lettered`,
        async () => {
          const runs = await runsOf(ctx, queryId);
          const dead = runs.find((r) => r.resolution === "dead");
          return dead && (await jobsOf(ctx, QUEUES.ingestDead, queryId)).length === 1 ? { dead, runs } : null;
        },
        45_000,
      );

    it("a job that failed every attempt is dead-lettered; retried (twice, and twice at once) it runs again exactly once and succeeds; discarded it never runs again; both audited", async () => {
      const failing = failingContext();
      const retriedQuery = await trackedQuery(failing, "OPO", 33);
      const discardedQuery = await trackedQuery(failing, "FAO", 34);
      running.push(await startJobs(failing, { concurrency: 2, pollingIntervalSeconds: 0.5 }));

      const toRetry = await deadRunOf(failing, retriedQuery);
      const toDiscard = await deadRunOf(failing, discardedQuery);
      // Both attempts of the one job failed, the last one is the dead letter.
      expect(toRetry.runs.map((r) => [r.attempt, r.status, r.resolution])).toEqual([
        [1, "failed", null],
        [2, "failed", "dead"],
      ]);
      expect(new Set(toRetry.runs.map((r) => r.jobId)).size).toBe(1);
      expect(toRetry.dead.error).toMatch(/skyway: .+; farefinder: .+/);
      const originalJob = toRetry.dead.jobId;
      for (const runtime of running.splice(0)) await runtime.stop(2_000);

      // The providers answer again (a fixed deploy): its own workers, the admin acting through it.
      const working = app({ config: { tracking: tracking() } });
      const admin = await adminOf(working);
      running.push(await startJobs(working, { concurrency: 2, pollingIntervalSeconds: 0.5 }));

      const before = await admin.trpc.admin.run({ id: toRetry.dead.id });
      expect(before.run).toMatchObject({ resolution: "dead", retryJobId: null, status: "failed", attempt: 2 });
      expect(before.attempts.map((a) => a.attempt)).toEqual([1, 2]);
      expect(before.payloadFromQueue).toBe(true);
      expect(before.payload).toMatchObject({ queryId: retriedQuery });
      expect(before.retryRuns).toEqual([]);
      const failures = await admin.trpc.admin.failures({});
      expect(failures.dead.map((r) => r.id)).toEqual(expect.arrayContaining([toRetry.dead.id, toDiscard.dead.id]));

      // Two admins (or one double click) at the same moment, then once more: one claim wins.
      const [first, second] = await Promise.all([admin.trpc.admin.retryDead({ runIds: [toRetry.dead.id] }), admin.trpc.admin.retryDead({ runIds: [toRetry.dead.id] })]);
      expect([first, second].sort((a, b) => b.resolved - a.resolved)).toEqual([
        { resolved: 1, enqueued: 1, runIds: [toRetry.dead.id] },
        { resolved: 0, enqueued: 0, runIds: [] },
      ]);
      expect(await admin.trpc.admin.retryDead({ runIds: [toRetry.dead.id] })).toEqual({ resolved: 0, enqueued: 0, runIds: [] });

      const retried = await until(
        "the retry's run to succeed",
        async () => {
          const detail = await admin.trpc.admin.run({ id: toRetry.dead.id });
          return detail.retryRuns.some((r) => r.status === "succeeded") ? detail : null;
        },
        30_000,
      );
      expect(retried.run.resolution).toBe("retried");
      expect(retried.run.retryJobId).not.toBeNull();
      expect(retried.retryRuns.map((r) => [r.jobId, r.attempt, r.status, r.queryId])).toEqual([[retried.run.retryJobId, 1, "succeeded", retriedQuery]]);
      expect(retried.retryRuns[0]!.snapshotsWritten).toBeGreaterThan(0);
      const [resolvedRow] = await working.db.select().from(ingestionRun).where(eq(ingestionRun.id, toRetry.dead.id));
      expect(resolvedRow!.resolvedBy).toBe(admin.id);
      expect(resolvedRow!.resolvedAt).not.toBeNull();

      // The queue: the given-up job and the one retry, nothing more; the dead-letter copy is gone.
      expect((await jobsOf(working, QUEUES.ingest, retriedQuery)).map((j) => j.id)).toEqual([originalJob, retried.run.retryJobId]);
      expect(await jobsOf(working, QUEUES.ingestDead, retriedQuery)).toEqual([]);
      // A moment later still one run of the retry: it ran once.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect((await runsOf(working, retriedQuery)).map((r) => [r.jobId, r.attempt, r.status])).toEqual([
        [originalJob, 1, "failed"],
        [originalJob, 2, "failed"],
        [retried.run.retryJobId, 1, "succeeded"],
      ]);
      // The run's failure is no longer waiting in its group.
      expect((await admin.trpc.admin.failures({})).dead.map((r) => r.id)).not.toContain(toRetry.dead.id);

      // Discard: resolved without running anything, the dead-letter copy dropped.
      expect(await admin.trpc.admin.discardDead({ runIds: [toDiscard.dead.id] })).toEqual({ resolved: 1, enqueued: 0, runIds: [toDiscard.dead.id] });
      expect(await admin.trpc.admin.discardDead({ runIds: [toDiscard.dead.id] })).toMatchObject({ resolved: 0 });
      // A discarded run is not retried later either.
      expect(await admin.trpc.admin.retryDead({ runIds: [toDiscard.dead.id] })).toEqual({ resolved: 0, enqueued: 0, runIds: [] });
      const discarded = await admin.trpc.admin.run({ id: toDiscard.dead.id });
      expect(discarded.run).toMatchObject({ resolution: "discarded", retryJobId: null });
      expect(discarded.retryRuns).toEqual([]);
      expect(await jobsOf(working, QUEUES.ingestDead, discardedQuery)).toEqual([]);
      expect((await jobsOf(working, QUEUES.ingest, discardedQuery)).map((j) => j.id)).toEqual([toDiscard.dead.jobId]);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(await runsOf(working, discardedQuery)).toHaveLength(2);

      const audited = await auditEvents(working.db, { actorId: admin.id });
      expect(audited.map((e) => [e.action, e.detail])).toEqual([
        ["ingestion_discarded", { runs: [toDiscard.dead.id], queries: [discardedQuery] }],
        ["ingestion_retried", { runs: [toRetry.dead.id], queries: [retriedQuery] }],
      ]);
      await expect(admin.trpc.admin.retryDead({ runIds: [toRetry.dead.id, 999_999_999] })).rejects.toMatchObject({ code: "NOT_FOUND" });
      const [still] = await working.db.select().from(ingestionRun).where(and(eq(ingestionRun.id, toRetry.dead.id)));
      expect(still!.resolution).toBe("retried");
    }, 120_000);
  },
  { seed: true },
);
