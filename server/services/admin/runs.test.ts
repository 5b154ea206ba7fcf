/**
 * The console's runs page (issue 13): every ingestion run newest first, filtered by state,
 * provider (and how it answered), route and time, paged by an opaque cursor; and one run's
 * detail with its attempts and the job's payload. Runs are written as rows: no job is needed.
 */
import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { upsertFlightQuery } from "@/db/queries/snapshots";
import type { AppContext } from "@/server/context";
import { createBoss, prepareQueues, QUEUES } from "@/server/jobs/queue";
import { describeEachEngine } from "@/test/engines";
import { uniqueQuery } from "@/test/fixtures";
import { listRuns, runDetail } from "./ingestion";
import { adminCaller, insertRuns, runReport } from "@/test/admin";

const M = 60_000;
let sequence = 0;

/** An airport code no other test of the file uses (flight_query wants three capitals). */
function place(): string {
  const n = sequence++;
  return `Q${String.fromCharCode(65 + Math.floor(n / 26) % 26)}${String.fromCharCode(65 + (n % 26))}`;
}


describeEachEngine(
  "the runs page",
  ({ app }) => {
    /** Each test's runs start in a day of their own, years ago. */
    let day = 0;
    const dayOf = () => new Date(Date.UTC(2020, 0, 1) + day++ * 86_400_000);

    const adminOf = (ctx: AppContext) => adminCaller(ctx, "runs");


    const report = (provider: string, status: string, error?: string) => runReport(provider, status, error, 120);

    it("filters by state (dead: every attempt failed), provider and how it answered, origin and destination, and time", async () => {
      const ctx = app();
      const admin = await adminOf(ctx);
      const [o1, o2, d1, d2] = [place(), place(), place(), place()];
      const t = dayOf();
      const at = (minutes: number) => new Date(t.getTime() + minutes * M);
      const a = await upsertFlightQuery(ctx.db, uniqueQuery({ origin: o1, destination: d1 }), t);
      const b = await upsertFlightQuery(ctx.db, uniqueQuery({ origin: o1, destination: d2 }), t);
      const c = await upsertFlightQuery(ctx.db, uniqueQuery({ origin: o2, destination: d1 }), t);
      const [r1, r2, r3, r4, r5, r6, r7] = await insertRuns(ctx, [
        { queryId: a, startedAt: at(1), status: "succeeded", providers: [report("skyway", "ok"), report("farefinder", "ok")] },
        { queryId: a, startedAt: at(2), providers: [report("skyway", "error", "HTTP 500"), report("farefinder", "timeout")] },
        { queryId: b, startedAt: at(3), attempt: 2, resolution: "dead", providers: [report("skyway", "circuit_open"), report("farefinder", "error")] },
        { queryId: c, startedAt: at(4), status: "running" },
        { queryId: c, startedAt: at(5), status: "succeeded", providers: [report("skyway", "ok"), report("farefinder", "error")] },
        { queryId: a, startedAt: at(6), attempt: 3, resolution: "retried", providers: [report("skyway", "timeout"), report("farefinder", "timeout")] },
        // The day before: outside the window the other filters are read in.
        { queryId: a, startedAt: at(-24 * 60), status: "succeeded", providers: [report("skyway", "ok")] },
      ]);
      const window = { from: t, to: at(10) };
      const ids = async (filter: Parameters<typeof admin.trpc.admin.runs>[0]) => (await admin.trpc.admin.runs(filter)).items.map((r) => r.id);

      expect(await ids(window)).toEqual([r6, r5, r4, r3, r2, r1]);
      expect(await ids({ ...window, state: "succeeded" })).toEqual([r5, r1]);
      expect(await ids({ ...window, state: "failed" })).toEqual([r6, r3, r2]);
      expect(await ids({ ...window, state: "running" })).toEqual([r4]);
      // Dead-lettered jobs, whether still waiting or since retried or discarded.
      expect(await ids({ ...window, state: "dead" })).toEqual([r6, r3]);
      expect(await ids({ ...window, provider: "skyway" })).toEqual([r6, r5, r3, r2, r1]);
      expect(await ids({ ...window, provider: "skyway", providerStatus: "ok" })).toEqual([r5, r1]);
      expect(await ids({ ...window, provider: "skyway", providerStatus: "failed" })).toEqual([r6, r3, r2]);
      expect(await ids({ ...window, provider: "skyway", providerStatus: "timeout" })).toEqual([r6]);
      expect(await ids({ ...window, provider: "skyway", providerStatus: "circuit_open" })).toEqual([r3]);
      expect(await ids({ ...window, provider: "skyway", providerStatus: "error" })).toEqual([r2]);
      expect(await ids({ ...window, provider: "farefinder", providerStatus: "error" })).toEqual([r5, r3]);
      expect(await ids({ ...window, provider: "duffel" })).toEqual([]);
      // A route needs no window: its codes are this test's alone (lower case is read as upper).
      expect(await ids({ origin: o1.toLowerCase() })).toEqual([r6, r3, r2, r1, r7]);
      expect(await ids({ origin: o1, destination: d1 })).toEqual([r6, r2, r1, r7]);
      expect(await ids({ destination: d1 })).toEqual([r6, r5, r4, r2, r1, r7]);
      expect(await ids({ origin: o2, destination: d2 })).toEqual([]);
      // From inclusive, to exclusive.
      expect(await ids({ from: at(2), to: at(5) })).toEqual([r4, r3, r2]);
      expect(await ids({ origin: o1, to: t })).toEqual([r7]);
      expect(await ids({ state: "failed", provider: "farefinder", providerStatus: "timeout", origin: o1 })).toEqual([r6, r2]);

      const [dead] = (await admin.trpc.admin.runs({ ...window, state: "dead", limit: 1 })).items;
      expect(dead).toMatchObject({ id: r6, attempt: 3, status: "failed", resolution: "retried", route: { origin: o1, destination: d1, returnDate: null, cabin: "economy" }, demo: false });

      // What the input refuses (nothing is read).
      for (const bad of [{ providerStatus: "ok" as const }, { from: at(5), to: at(2) }, { origin: "LONDON" }, { provider: "Sky Way" }, { limit: 0 }, { limit: 201 }]) {
        await expect(admin.trpc.admin.runs(bad)).rejects.toMatchObject({ code: "BAD_REQUEST" });
      }
    });

    it("pages by cursor newest first: every run once, in order, across runs that started at the same instant", async () => {
      const ctx = app();
      const admin = await adminOf(ctx);
      const origin = place();
      const t = dayOf();
      const at = (minutes: number) => new Date(t.getTime() + minutes * M);
      const query = await upsertFlightQuery(ctx.db, uniqueQuery({ origin, destination: place() }), t);
      // Three at one instant, two at another: the id breaks the tie.
      const starts = [at(1), at(2), at(2), at(2), at(3), at(4), at(4), at(5)];
      const ids = await insertRuns(
        ctx,
        starts.map((startedAt, i) => ({ queryId: query, startedAt, status: i % 3 === 0 ? ("succeeded" as const) : ("failed" as const) })),
      );
      const expected = ids.map((id, i) => ({ id, at: starts[i]!.getTime() })).sort((x, y) => y.at - x.at || y.id - x.id).map((r) => r.id);

      for (const limit of [1, 2, 3, 8]) {
        const seen: number[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = await admin.trpc.admin.runs({ origin, limit, cursor });
          expect(page.items.length).toBeLessThanOrEqual(limit);
          seen.push(...page.items.map((r) => r.id));
          cursor = page.nextCursor ?? undefined;
          pages++;
        } while (cursor);
        expect(seen).toEqual(expected);
        expect(pages).toBe(Math.ceil(expected.length / limit));
      }
      // With a filter too.
      const failed = ids.filter((_, i) => i % 3 !== 0);
      const first = await listRuns(ctx, { origin, state: "failed", limit: 3 });
      const rest = await listRuns(ctx, { origin, state: "failed", limit: 3, cursor: first.nextCursor! });
      expect([...first.items, ...rest.items].map((r) => r.id).sort((x, y) => x - y)).toEqual(failed);
      expect(rest.nextCursor).toBeNull();

      // A cursor this list did not give out is a 400, not a 500 and not an empty page: also one
      // that looks right to JavaScript but that the database's casts refuse.
      const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
      const iso = t.toISOString();
      for (const cursor of [
        "nope",
        forged({ at: iso, id: "1" }),
        forged([iso, "1); DROP TABLE ingestion_run; --"]),
        forged(["yesterday", "1"]),
        forged([iso]),
        forged([iso, "abc"]),
        forged([iso, "-"]),
        forged([iso, "99999999999999999999"]),
        forged([iso, "00000000-0000-4000-8000-000000000000"]),
        forged(["2024", "1"]),
        forged(["2024-02-30T00:00:00.000Z", "1"]),
        forged(["Tue, 01 Jan 2024 10:00:00 GMT+0100", "1"]),
        forged(["+275760-09-13T00:00:00.000Z", "1"]),
      ]) {
        await expect(admin.trpc.admin.runs({ origin, cursor })).rejects.toMatchObject({ code: "BAD_REQUEST" });
      }
      await expect(admin.trpc.admin.runs({ cursor: "x".repeat(201) })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    });

    it("shows a run's detail: its query, each provider, every attempt of its job, the payload (from the queue while it holds the job), and a retry's runs", async () => {
      const ctx = app();
      const admin = await adminOf(ctx);
      const t = dayOf();
      const at = (minutes: number) => new Date(t.getTime() + minutes * M);
      const origin = place();
      const destination = place();
      const query = await upsertFlightQuery(ctx.db, uniqueQuery({ origin, destination, returnDate: null, cabin: "business" }), t);
      const jobId = randomUUID();
      const retryJobId = randomUUID();
      const dueAt = at(0);
      const [first, second, retried] = await insertRuns(ctx, [
        { queryId: query, jobId, attempt: 1, startedAt: at(2), dueAt, finishedAt: at(2.5), durationMs: 30_000, error: "skyway: HTTP 500; farefinder: timed out", providers: [report("skyway", "error", "HTTP 500"), report("farefinder", "timeout", "timed out")] },
        { queryId: query, jobId, attempt: 2, startedAt: at(4), dueAt, resolution: "retried", retryJobId, providers: [report("skyway", "error"), report("farefinder", "error")] },
        { queryId: query, jobId: retryJobId, attempt: 1, startedAt: at(9), dueAt: at(8), status: "succeeded", offers: 5, snapshotsWritten: 5, providers: [report("skyway", "ok"), report("farefinder", "ok")] },
      ]);

      // Before any worker made the queue's tables: the payload as the run recorded it.
      const detail = await admin.trpc.admin.run({ id: first! });
      expect(detail.run).toMatchObject({ id: first, jobId, attempt: 1, queryId: query, status: "failed", durationMs: 30_000, lagMs: 2 * M, route: { origin, destination, cabin: "business" } });
      expect(detail.run.providers).toEqual([report("skyway", "error", "HTTP 500"), report("farefinder", "timeout", "timed out")]);
      expect(detail.run.error).toBe("skyway: HTTP 500; farefinder: timed out");
      expect(detail.attempts.map((a) => [a.id, a.attempt])).toEqual([
        [first, 1],
        [second, 2],
      ]);
      expect(detail.payloadFromQueue).toBe(false);
      expect(detail.payload).toEqual({ queryId: query, dueAt: dueAt.toISOString() });
      // Either attempt shows the retry's runs.
      expect(detail.retryRuns.map((r) => [r.id, r.status, r.snapshotsWritten])).toEqual([[retried, "succeeded", 5]]);
      expect((await admin.trpc.admin.run({ id: second! })).retryRuns.map((r) => r.id)).toEqual([retried]);
      expect((await admin.trpc.admin.run({ id: retried! })).retryRuns).toEqual([]);

      // While the queue holds the job: its payload as the queue has it.
      const boss = createBoss(ctx.database, ctx.config);
      await boss.start();
      try {
        await prepareQueues(boss, ctx.config);
        const data = { queryId: query, dueAt: dueAt.toISOString() };
        await boss.insert([{ id: jobId, name: QUEUES.ingest, data }]);
        const queued = await admin.trpc.admin.run({ id: second! });
        expect(queued.payloadFromQueue).toBe(true);
        expect(queued.payload).toEqual(data);
      } finally {
        await boss.stop({ graceful: false, wait: true });
      }
      // A demo run never claims a queue's payload.
      const [demo] = await insertRuns(ctx, [{ queryId: query, jobId: `demo-${randomUUID()}`, startedAt: at(30), status: "succeeded" }]);
      expect(await admin.trpc.admin.run({ id: demo! })).toMatchObject({ run: { demo: true }, payloadFromQueue: false, payload: { queryId: query } });

      await expect(admin.trpc.admin.run({ id: 987_654_321 })).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(admin.trpc.admin.run({ id: 0 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
      await expect(runDetail(ctx, 987_654_321)).rejects.toThrow(/No ingestion run/);
    });
  },
  { seed: true },
);
