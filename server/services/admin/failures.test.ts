/**
 * The console's failures page (issue 13): failed runs grouped by provider and how it failed
 * (error, timeout, circuit open, or the prices not written), per hour, with the dead-lettered
 * jobs waiting in each group; retrying or discarding a whole group. Runs are written as rows
 * (real jobs: dead-letters.test.ts); the queue is pg-boss's own, made as a worker makes it.
 */
import { eq, inArray, sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { queryRows } from "@/db/client";
import { auditEvents } from "@/db/queries/audit";
import { upsertFlightQuery } from "@/db/queries/snapshots";
import { ingestionRun, type RunProviderReport } from "@/db/schema";
import type { AppContext } from "@/server/context";
import { ServiceUnavailableError } from "@/server/core/errors";
import { createBoss, prepareQueues, QUEUES } from "@/server/jobs/queue";
import { describeEachEngine } from "@/test/engines";
import { uniqueQuery } from "@/test/fixtures";
import { discardDead, failures, retryDead } from "./ingestion";
import { adminCaller, insertRuns, runReport } from "@/test/admin";

const M = 60_000;
const H = 3_600_000;
let sequence = 0;


describeEachEngine(
  "the failures page",
  ({ app }) => {
    const adminOf = (ctx: AppContext) => adminCaller(ctx, "failures");

    const report = (provider: string, status: string, error?: string) => runReport(provider, status, error, 80);
    /** Provider names of this test alone: the groups it reads are its own. */
    const providerNames = () => [`p${sequence++}-a`, `p${sequence++}-b`];

    it("groups failed runs by provider and kind, counted per hour of the window, with the dead letters waiting in each", async () => {
      // Forty minutes into this hour, so that "minutes ago" stays in it.
      const now = new Date(Math.floor(Date.now() / H) * H + 40 * M);
      const ctx = app({ clock: () => now });
      const [pa, pb] = providerNames();
      const query = await upsertFlightQuery(ctx.db, uniqueQuery(), now);
      const ago = (ms: number) => new Date(now.getTime() - ms);
      const before = await failures(ctx);
      const writeGroup = (f: Awaited<ReturnType<typeof failures>>) => f.groups.find((g) => g.provider === "(none)" && g.kind === "write");

      const [, , , deadA, , deadB, oldDead] = await insertRuns(ctx, [
        { queryId: query, startedAt: ago(5 * M), providers: [report(pa!, "error", "HTTP 500"), report(pb!, "timeout", "no answer")] },
        { queryId: query, startedAt: ago(3 * H + 5 * M), providers: [report(pa!, "error", "HTTP 503"), report(pb!, "ok")] },
        { queryId: query, startedAt: ago(3 * H + 10 * M), providers: [report(pa!, "circuit_open"), report(pb!, "timeout", "slow")] },
        { queryId: query, startedAt: ago(10 * M), attempt: 2, resolution: "dead", providers: [report(pa!, "error", "HTTP 502"), report(pb!, "error", "refused")] },
        // The prices could not be written: no provider report.
        { queryId: query, startedAt: ago(20 * M), error: "The prices could not be written (see the log)." },
        { queryId: query, startedAt: ago(23 * H), attempt: 3, resolution: "dead", error: "The prices could not be written (see the log)." },
        // Older than the window: not counted, but its dead letter still waits for an admin.
        { queryId: query, startedAt: ago(30 * H), attempt: 2, resolution: "dead", providers: [report(pa!, "error", "HTTP 504")] },
        // Neither counts: a success where one provider failed, and a run still going.
        { queryId: query, startedAt: ago(2 * M), status: "succeeded", providers: [report(pa!, "error"), report(pb!, "ok")] },
        { queryId: query, startedAt: ago(1 * M), status: "running" },
        // A dead letter already retried waits no more.
        { queryId: query, startedAt: ago(40 * M), attempt: 2, resolution: "retried", providers: [report(pa!, "timeout")] },
      ]);

      const admin = await adminOf(ctx);
      const view = await admin.trpc.admin.failures({});
      expect(view.hours).toBe(24);
      const thisHour = Math.floor(now.getTime() / H) * H;
      expect(view.hourStarts).toEqual(Array.from({ length: 24 }, (_, i) => new Date(thisHour - (23 - i) * H).toISOString()));
      const perHour = (counts: Record<number, number>) => Array.from({ length: 24 }, (_, i) => counts[i] ?? 0);
      const mine = view.groups.filter((g) => g.provider === pa || g.provider === pb).map((g) => ({ ...g, lastAt: g.lastAt && Date.parse(g.lastAt) }));
      expect(mine).toHaveLength(5);
      // Dead letters first, then by runs.
      expect(mine.slice(0, 3)).toEqual([
        { provider: pa, kind: "error", runs: 3, perHour: perHour({ 23: 2, 20: 1 }), dead: 2, lastAt: ago(5 * M).getTime(), lastError: "HTTP 500" },
        { provider: pb, kind: "error", runs: 1, perHour: perHour({ 23: 1 }), dead: 1, lastAt: ago(10 * M).getTime(), lastError: "refused" },
        { provider: pb, kind: "timeout", runs: 2, perHour: perHour({ 23: 1, 20: 1 }), dead: 0, lastAt: ago(5 * M).getTime(), lastError: "no answer" },
      ]);
      expect(mine.slice(3)).toEqual(
        expect.arrayContaining([
          { provider: pa, kind: "circuit_open", runs: 1, perHour: perHour({ 20: 1 }), dead: 0, lastAt: ago(3 * H + 10 * M).getTime(), lastError: null },
          // A run whose dead letter was retried still failed when it ran.
          { provider: pa, kind: "timeout", runs: 1, perHour: perHour({ 23: 1 }), dead: 0, lastAt: ago(40 * M).getTime(), lastError: null },
        ]),
      );
      // The write failures' group (shared by every provider-less failure) grew by this test's two.
      const writes = writeGroup(view)!;
      expect(writes.runs - (writeGroup(before)?.runs ?? 0)).toBe(2);
      expect(writes.dead - (writeGroup(before)?.dead ?? 0)).toBe(1);
      expect(writes.perHour[23]! - (writeGroup(before)?.perHour[23] ?? 0)).toBe(1);
      expect(writes.perHour[0]! - (writeGroup(before)?.perHour[0] ?? 0)).toBe(1);

      // The waiting dead letters of a group, newest first; a narrower window.
      expect((await failures(ctx, { provider: pa!, kind: "error" })).dead.map((r) => r.id)).toEqual([deadA, oldDead]);
      expect((await failures(ctx, { provider: pb!, kind: "error" })).dead.map((r) => r.id)).toEqual([deadA]);
      expect((await failures(ctx, { provider: "(none)", kind: "write" })).dead.map((r) => r.id)).toContain(deadB);
      expect((await failures(ctx, { provider: "(none)", kind: "write" })).dead.every((r) => r.providers.length === 0)).toBe(true);
      const lastHours = await admin.trpc.admin.failures({ hours: 2 });
      expect(lastHours.hourStarts).toHaveLength(2);
      expect(lastHours.groups.find((g) => g.provider === pa && g.kind === "error")).toMatchObject({ runs: 2, perHour: [0, 2], dead: 2 });
      await expect(admin.trpc.admin.failures({ hours: 169 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    });

    it("retries a whole group: one job per query, every dead run of it marked retried with that job, dead-letter copies gone, audited once; discards another group", async () => {
      const now = new Date();
      const ctx = app({ clock: () => now });
      const admin = await adminOf(ctx);
      const [pa, pb] = providerNames();
      const [q1, q2, q3] = [await upsertFlightQuery(ctx.db, uniqueQuery(), now), await upsertFlightQuery(ctx.db, uniqueQuery(), now), await upsertFlightQuery(ctx.db, uniqueQuery(), now)];
      const ago = (ms: number) => new Date(now.getTime() - ms);
      const dead = (queryId: number, minutes: number, providers: RunProviderReport[]) => ({ queryId, startedAt: ago(minutes * M), attempt: 2, resolution: "dead" as const, providers });
      const [a1, a2, a3, b1, b2] = await insertRuns(ctx, [
        dead(q1, 5, [report(pa!, "error"), report(pb!, "timeout")]),
        dead(q1, 50, [report(pa!, "error")]), // an earlier job of the same query
        dead(q2, 15, [report(pa!, "error")]),
        dead(q3, 25, [report(pb!, "timeout")]),
        dead(q2, 35, [report(pa!, "timeout"), report(pb!, "timeout")]),
      ]);
      const retryGroup = { group: { provider: pa!, kind: "error" as const } };

      // No worker has made the queue's tables yet: refused, and nothing is marked.
      await expect(retryDead(ctx, admin.id, retryGroup)).rejects.toBeInstanceOf(ServiceUnavailableError);
      await expect(admin.trpc.admin.retryDead(retryGroup)).rejects.toMatchObject({ code: "SERVICE_UNAVAILABLE" });
      const resolutions = async (ids: number[]) => {
        const rows = await ctx.db.select().from(ingestionRun).where(inArray(ingestionRun.id, ids));
        return Object.fromEntries(rows.map((r) => [Number(r.id), r.resolution]));
      };
      expect(Object.values(await resolutions([a1!, a2!, a3!]))).toEqual(["dead", "dead", "dead"]);

      const boss = createBoss(ctx.database, ctx.config);
      await boss.start();
      try {
        await prepareQueues(boss, ctx.config);
        // pg-boss's dead-letter copies, as its failed jobs leave them.
        for (const queryId of [q1, q2, q3]) await boss.send(QUEUES.ingestDead, { queryId, dueAt: now.toISOString() });
        const deadLetters = async (queryId: number) => (await queryRows(ctx.db, sql`SELECT id FROM pgboss.job WHERE name = ${QUEUES.ingestDead} AND data->>'queryId' = ${String(queryId)}`)).length;

        const result = await admin.trpc.admin.retryDead(retryGroup);
        // b2 is another group's, but a dead run of q2: one retry refreshes the query for it too.
        expect(result.resolved).toBe(4);
        expect(result.enqueued).toBe(2);
        expect([...result.runIds].sort((x, y) => x - y)).toEqual([a1, a2, a3, b2].sort((x, y) => x! - y!));
        const rows = await ctx.db.select().from(ingestionRun).where(inArray(ingestionRun.id, [a1!, a2!, a3!, b2!]));
        expect(rows.every((r) => r.resolution === "retried" && r.resolvedBy === admin.id && r.resolvedAt?.getTime() === now.getTime())).toBe(true);
        const jobOf = (id: number) => rows.find((r) => Number(r.id) === id)!.retryJobId!;
        // The two dead jobs of q1 are run again by one job.
        expect(jobOf(a1!)).toBe(jobOf(a2!));
        expect(jobOf(a3!)).not.toBe(jobOf(a1!));
        expect(jobOf(b2!)).toBe(jobOf(a3!));
        for (const [runId, queryId] of [
          [a1!, q1],
          [a3!, q2],
        ] as const) {
          expect(jobOf(runId)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
          const [job] = await queryRows<{ name: string; data: { queryId: number; dueAt: string }; state: string }>(ctx.db, sql`SELECT name, data, state::text AS state FROM pgboss.job WHERE id = ${jobOf(runId)}::uuid`);
          expect(job).toEqual({ name: QUEUES.ingest, data: { queryId, dueAt: now.toISOString() }, state: "created" });
        }
        expect(await deadLetters(q1)).toBe(0);
        expect(await deadLetters(q2)).toBe(0);
        // q3 was not in the group: its dead letter still waits, its run is still dead.
        expect(await deadLetters(q3)).toBe(1);
        expect(await resolutions([b1!, b2!])).toEqual({ [b1!]: "dead", [b2!]: "retried" });
        // The group is empty now, and so is the part of another group that shared a run with it.
        const after = await admin.trpc.admin.failures({});
        expect(after.groups.find((g) => g.provider === pa && g.kind === "error")!.dead).toBe(0);
        expect(after.groups.find((g) => g.provider === pb && g.kind === "timeout")!.dead).toBe(1);
        expect(await admin.trpc.admin.retryDead(retryGroup)).toEqual({ resolved: 0, enqueued: 0, runIds: [] });

        const discarded = await discardDead(ctx, admin.id, { group: { provider: pb!, kind: "timeout" } });
        expect(discarded.enqueued).toBe(0);
        expect(discarded.runIds).toEqual([b1]);
        expect(await resolutions([b1!, b2!])).toEqual({ [b1!]: "discarded", [b2!]: "retried" });
        expect(await deadLetters(q3)).toBe(0);
        const jobs = await queryRows<{ n: number }>(ctx.db, sql`SELECT count(*)::int AS n FROM pgboss.job WHERE name = ${QUEUES.ingest} AND data->>'queryId' = ${String(q3)}`);
        expect(jobs[0]!.n).toBe(0);

        const audited = await auditEvents(ctx.db, { actorId: admin.id });
        expect(audited.map((e) => e.action)).toEqual(["ingestion_discarded", "ingestion_retried"]);
        expect(audited[1]!.detail).toMatchObject({ group: { provider: pa, kind: "error" } });
        expect([...(audited[1]!.detail.runs as number[])].sort((x, y) => x - y)).toEqual([a1, a2, a3, b2].sort((x, y) => x! - y!));
        expect([...(audited[1]!.detail.queries as number[])].sort((x, y) => x - y)).toEqual([q1, q2].sort((x, y) => x - y));
        expect(audited[0]!.detail).toMatchObject({ group: { provider: pb, kind: "timeout" } });
      } finally {
        await boss.stop({ graceful: false, wait: true });
      }
      const [untouched] = await ctx.db.select().from(ingestionRun).where(eq(ingestionRun.id, b1!));
      expect(untouched!.retryJobId).toBeNull();
    });

    it("retrying a dead run whose query already has a job waiting queues no second one, and the run points at the waiting job", async () => {
      const ctx = app();
      const admin = await adminOf(ctx);
      const query = await upsertFlightQuery(ctx.db, uniqueQuery(), new Date());
      const [deadRun] = await insertRuns(ctx, [{ queryId: query, startedAt: new Date(Date.now() - 5 * M), attempt: 2, resolution: "dead", providers: [report("skyway", "error")] }]);
      const boss = createBoss(ctx.database, ctx.config);
      await boss.start();
      try {
        await prepareQueues(boss, ctx.config);
        // The scheduler (or a refresh) got there first: a job for the query waits.
        const waiting = await boss.send(QUEUES.ingest, { queryId: query, dueAt: new Date().toISOString() }, { singletonKey: String(query) });
        expect(waiting).toBeTruthy();
        expect(await admin.trpc.admin.retryDead({ runIds: [deadRun!] })).toEqual({ resolved: 1, enqueued: 0, runIds: [deadRun] });
        const jobs = await queryRows<{ id: string }>(ctx.db, sql`SELECT id::text AS id FROM pgboss.job WHERE name = ${QUEUES.ingest} AND data->>'queryId' = ${String(query)}`);
        expect(jobs.map((j) => j.id)).toEqual([waiting]);
        const detail = await admin.trpc.admin.run({ id: deadRun! });
        expect(detail.run).toMatchObject({ resolution: "retried", retryJobId: waiting });
        // When that job runs, the dead run's page shows it.
        const [ran] = await insertRuns(ctx, [{ queryId: query, jobId: waiting!, startedAt: new Date(), status: "succeeded" }]);
        expect((await admin.trpc.admin.run({ id: deadRun! })).retryRuns.map((r) => r.id)).toEqual([ran]);
      } finally {
        await boss.stop({ graceful: false, wait: true });
      }
    });
  },
  { seed: true },
);
