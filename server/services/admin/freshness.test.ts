/**
 * The console's freshness page (issue 13): every query an active tracked route needs, with its
 * cadence, last observation and due time, the most overdue first; and "refresh now", which
 * hands a query to the job queue at once (pg-boss's own tables, made as a worker makes them).
 */
import { eq, inArray, sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { queryRows } from "@/db/client";
import { auditEvents } from "@/db/queries/audit";
import { upsertFlightQuery } from "@/db/queries/snapshots";
import { ensureUser, setRole } from "@/db/queries/users";
import { ingestionTarget, trackedRouteQuery } from "@/db/schema";
import type { Principal } from "@/server/auth/principal";
import type { AppContext } from "@/server/context";
import { ServiceUnavailableError } from "@/server/core/errors";
import { nextRefresh } from "@/server/core/ingestion-schedule";
import { addDays } from "@/server/core/time";
import { createBoss, prepareQueues, QUEUES } from "@/server/jobs/queue";
import { scheduleDue } from "@/server/jobs/schedule";
import { createCaller } from "@/server/trpc/root";
import { describeEachEngine } from "@/test/engines";
import { uniqueQuery } from "@/test/fixtures";
import { procedureContext } from "@/test/trpc";
import { refreshNow } from "./ingestion";

const M = 60_000;
const H = 3_600_000;
let sequence = 0;

describeEachEngine(
  "the freshness page",
  ({ app }) => {
    async function callerOf(ctx: AppContext, role: "admin" | "user") {
      const user = await ensureUser(ctx.db, `fresh-${role}-${Date.now()}-${sequence++}@example.test`);
      if (role === "admin") await setRole(ctx.db, user.id, "admin");
      const principal: Principal = { via: "session", userId: user.id, role, sessionId: `s-${user.id}` };
      return { id: user.id, trpc: createCaller(procedureContext(() => ctx)({ principal })) };
    }

    async function track(owner: Awaited<ReturnType<typeof callerOf>>, ctx: AppContext, destinationCode: string, departureDate: string) {
      const route = await owner.trpc.tracking.create({ kind: "exact", originCode: "LHR", destinationCode, departureDate });
      const [link] = await ctx.db.select().from(trackedRouteQuery).where(eq(trackedRouteQuery.trackedRouteId, route.id));
      return { routeId: route.id, queryId: link!.queryId };
    }
    const setDue = (ctx: AppContext, queryId: number, at: Date) => ctx.db.update(ingestionTarget).set({ nextDueAt: at }).where(eq(ingestionTarget.queryId, queryId));

    it("lists the most overdue first, with how overdue, the cadence the scheduler uses, the routes following it; only the overdue on request; paged", async () => {
      const now = new Date();
      const today = now.toISOString().slice(0, 10);
      const ctx = app({ clock: () => now });
      const admin = await callerOf(ctx, "admin");
      const before = await admin.trpc.admin.freshness({});
      const traveller = await callerOf(ctx, "user");
      // Departures either side of the cadence's tiers (60+ days: 12 h, 14+: 6 h, else 2 h).
      const q13 = await track(traveller, ctx, "AMS", addDays(today, 13));
      const q14 = await track(traveller, ctx, "AMS", addDays(today, 14));
      const q59 = await track(traveller, ctx, "AMS", addDays(today, 59));
      const q60 = await track(traveller, ctx, "AMS", addDays(today, 60));
      const q3 = await track(traveller, ctx, "AMS", addDays(today, 3));
      // A second traveller follows one of them; a third's route is paused (it needs no refresh).
      await track(await callerOf(ctx, "user"), ctx, "AMS", addDays(today, 13));
      const pauser = await callerOf(ctx, "user");
      const paused = await track(pauser, ctx, "AMS", addDays(today, 61));
      await pauser.trpc.tracking.update({ id: paused.routeId, status: "paused" });
      await setDue(ctx, q13.queryId, new Date(now.getTime() - 3 * H));
      await setDue(ctx, q60.queryId, new Date(now.getTime() - 2 * H));
      await setDue(ctx, q14.queryId, new Date(now.getTime() - 1 * H));
      await setDue(ctx, q3.queryId, new Date(now.getTime() + 1 * H));
      await setDue(ctx, q59.queryId, new Date(now.getTime() + 2 * H));
      await setDue(ctx, paused.queryId, new Date(now.getTime() - 5 * H));
      const mine = [q13, q60, q14, q3, q59].map((q) => q.queryId);

      const all = await admin.trpc.admin.freshness({ limit: 200 });
      expect(all.nextCursor).toBeNull();
      // The whole list by due time, the most overdue first.
      const dues = all.items.map((i) => Date.parse(i.nextDueAt));
      expect(dues).toEqual([...dues].sort((a, b) => a - b));
      expect(all.items.map((i) => i.queryId)).not.toContain(paused.queryId);
      const ours = all.items.filter((i) => mine.includes(i.queryId));
      expect(ours.map((i) => i.queryId)).toEqual(mine);
      expect(ours.map((i) => i.overdueMs)).toEqual([3 * H, 2 * H, 1 * H, 0, 0]);
      // The cadence the scheduler applies (nextRefresh from an observation now) for each departure.
      expect(ours.map((i) => i.cadenceHours)).toEqual([2, 12, 6, 2, 6]);
      for (const item of ours) {
        const hours = (nextRefresh(item.queryId, item.departureDate, now).getTime() - now.getTime()) / H;
        expect(hours).toBeGreaterThanOrEqual(item.cadenceHours! * 0.9);
        expect(hours).toBeLessThanOrEqual(item.cadenceHours! * 1.1);
      }
      expect(ours[0]).toMatchObject({ origin: "LHR", destination: "AMS", departureDate: addDays(today, 13), routes: 2, travellers: 1, lastObservedAt: null, enqueuedAt: null });
      expect(ours.slice(1).map((i) => i.routes)).toEqual([1, 1, 1, 1]);
      expect(all.tracked - before.tracked).toBe(5);
      expect(all.overdue - before.overdue).toBe(3);

      const overdue = await admin.trpc.admin.freshness({ overdueOnly: true, limit: 200 });
      expect(overdue.items.every((i) => Date.parse(i.nextDueAt) <= now.getTime() && i.overdueMs >= 0)).toBe(true);
      expect(overdue.items.filter((i) => mine.includes(i.queryId)).map((i) => i.queryId)).toEqual([q13, q60, q14].map((q) => q.queryId));
      expect(overdue.items).toHaveLength(overdue.overdue);
      // The overview's oldest overdue query is the first of them.
      expect((await admin.trpc.admin.overview()).oldestOverdue?.queryId).toBe(overdue.items[0]!.queryId);

      // Pages of two: the same list, each query once.
      const paged: number[] = [];
      let cursor: string | undefined;
      do {
        const page = await admin.trpc.admin.freshness({ limit: 2, cursor });
        expect(page.items.length).toBeLessThanOrEqual(2);
        paged.push(...page.items.map((i) => i.queryId));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(paged).toEqual(all.items.map((i) => i.queryId));
      const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
      for (const cursor of ["not-one-of-ours", forged([now.toISOString(), "abc"]), forged([now.toISOString(), "99999999999999999999"])]) {
        await expect(admin.trpc.admin.freshness({ cursor })).rejects.toMatchObject({ code: "BAD_REQUEST" });
      }
    });

    it("refresh now: one ingestion job per query, none more while it waits, the query held from the scheduler; untracked queries refused; audited", async () => {
      const now = new Date();
      const today = now.toISOString().slice(0, 10);
      const ctx = app({ clock: () => now });
      const admin = await callerOf(ctx, "admin");
      const traveller = await callerOf(ctx, "user");
      const a = await track(traveller, ctx, "DUB", addDays(today, 20));
      const b = await track(traveller, ctx, "DUB", addDays(today, 21));
      const ids = [a.queryId, b.queryId];
      const jobsOf = (queryId: number) =>
        queryRows<{ id: string; data: { queryId: number; dueAt: string }; state: string }>(
          ctx.db,
          sql`SELECT id::text AS id, data, state::text AS state FROM pgboss.job WHERE name = ${QUEUES.ingest} AND data->>'queryId' = ${String(queryId)} ORDER BY created_on`,
        );

      // No worker has made the queue's tables on this database yet.
      await expect(refreshNow(ctx, admin.id, ids)).rejects.toBeInstanceOf(ServiceUnavailableError);

      const boss = createBoss(ctx.database, ctx.config);
      await boss.start();
      try {
        await prepareQueues(boss, ctx.config);
        expect(await admin.trpc.admin.refreshNow({ queryIds: ids })).toEqual({ enqueued: 2 });
        for (const queryId of ids) {
          const jobs = await jobsOf(queryId);
          expect(jobs.map((j) => [j.data, j.state])).toEqual([[{ queryId, dueAt: now.toISOString() }, "created"]]);
        }
        const targets = await ctx.db.select().from(ingestionTarget).where(inArray(ingestionTarget.queryId, ids));
        expect(targets.map((t) => t.enqueuedAt?.getTime())).toEqual([now.getTime(), now.getTime()]);

        // Again while they wait: nothing more.
        expect(await admin.trpc.admin.refreshNow({ queryIds: ids })).toEqual({ enqueued: 0 });
        expect(await admin.trpc.admin.refreshNow({ queryIds: [a.queryId, a.queryId] })).toEqual({ enqueued: 0 });
        for (const queryId of ids) expect(await jobsOf(queryId)).toHaveLength(1);
        // The scheduler does not hand them over a second time either.
        await scheduleDue(ctx, boss, new Date(now.getTime() + M));
        for (const queryId of ids) expect(await jobsOf(queryId)).toHaveLength(1);

        // Once a worker has taken it, a refresh queues the next one.
        const taken = await boss.fetch(QUEUES.ingest, { batchSize: 100 });
        expect(taken.map((j) => (j.data as { queryId: number }).queryId)).toEqual(expect.arrayContaining(ids));
        const [takenQuery] = ids;
        expect(await admin.trpc.admin.refreshNow({ queryIds: [takenQuery!] })).toEqual({ enqueued: 1 });
        expect((await jobsOf(takenQuery!)).map((j) => j.state)).toEqual(["active", "created"]);

        // A query nobody tracks (only searched), one whose route is paused, one that does not exist: refused, nothing queued.
        const searched = await upsertFlightQuery(ctx.db, uniqueQuery(), now);
        const pausedRoute = await track(traveller, ctx, "DUB", addDays(today, 22));
        await traveller.trpc.tracking.update({ id: pausedRoute.routeId, status: "paused" });
        for (const queryIds of [[searched], [pausedRoute.queryId], [a.queryId, 987_654_321]]) {
          await expect(admin.trpc.admin.refreshNow({ queryIds })).rejects.toMatchObject({ code: "NOT_FOUND" });
        }
        expect(await jobsOf(searched)).toEqual([]);
        expect(await jobsOf(pausedRoute.queryId)).toEqual([]);
        await expect(admin.trpc.admin.refreshNow({ queryIds: [] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
        await expect(traveller.trpc.admin.refreshNow({ queryIds: ids })).rejects.toMatchObject({ code: "FORBIDDEN" });

        const audited = await auditEvents(ctx.db, { actorId: admin.id, action: "ingestion_refreshed" });
        expect(audited.map((e) => ({ queries: [...(e.detail.queries as number[])].sort((x, y) => x - y), enqueued: e.detail.enqueued }))).toEqual([
          { queries: [takenQuery], enqueued: 1 },
          { queries: [a.queryId], enqueued: 0 },
          { queries: [...ids].sort((x, y) => x - y), enqueued: 0 },
          { queries: [...ids].sort((x, y) => x - y), enqueued: 2 },
        ]);
      } finally {
        await boss.stop({ graceful: false, wait: true });
      }
    });
  },
  { seed: true },
);
