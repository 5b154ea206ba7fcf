import { expect, it } from "vitest";
import { openServer } from "@/db/client";
import { createBoss, prepareQueues, QUEUES } from "@/server/jobs/queue";
import { TEST_CONFIG } from "@/test/app-context";
import { describeEachEngine } from "@/test/engines";
import { Deadline } from "./dependency";
import { checkQueue, STALLED_AFTER_SECONDS } from "./queue-check";

describeEachEngine("checkQueue", ({ database }) => {
  const check = (mode: "app" | "worker" | "off" = "worker") => checkQueue(Promise.resolve(database().db), mode, new Deadline(5_000));

  it("with WORKER_MODE=off is disabled: nothing is expected to run", async () => {
    expect(await check("off")).toMatchObject({ status: "disabled", workerMode: "off", note: expect.stringMatching(/WORKER_MODE=off/) });
  });

  // In this order: the tables appear when the first worker starts.
  it("before any worker started on the database: degraded, saying to start one", async () => {
    const health = await check("worker");
    expect(health).toMatchObject({ status: "degraded", installed: false, queues: [], oldestDueSeconds: null });
    expect(health.error).toMatch(/npm run worker/);
  });

  it("once started: ok with each queue's depth; a due job nobody takes for long makes it degraded; dead letters do not count", async () => {
    const config = { ...TEST_CONFIG, tracking: { ...TEST_CONFIG.tracking, workerMode: "worker" as const } };
    const boss = createBoss(database(), config);
    await boss.start();
    try {
      await prepareQueues(boss, config);
      const ok = await check("worker");
      expect(ok).toMatchObject({ status: "ok", installed: true, error: null });
      expect(ok.queues.map((q) => q.name)).toEqual(expect.arrayContaining(Object.values(QUEUES)));
      expect(ok.oldestDueSeconds).toBe(0);

      // A dead letter waits for an admin, not a worker: however old, it is not a stall.
      const longAgo = new Date(Date.now() - (STALLED_AFTER_SECONDS + 300) * 1000);
      await boss.send(QUEUES.ingestDead, { queryId: 1, dueAt: longAgo.toISOString() }, { startAfter: longAgo });
      expect((await check("worker")).status).toBe("ok");

      await boss.send(QUEUES.ingest, { queryId: 2, dueAt: longAgo.toISOString() }, { startAfter: longAgo, singletonKey: "health-stall" });
      const stalled = await check("worker");
      expect(stalled.status).toBe("degraded");
      expect(stalled.oldestDueSeconds).toBeGreaterThanOrEqual(STALLED_AFTER_SECONDS);
      expect(stalled.error).toMatch(/waited \d+ minutes for a worker/);
      expect(stalled.queues.find((q) => q.name === QUEUES.ingest)?.waiting).toBe(1);

      const [job] = await boss.fetch(QUEUES.ingest);
      await boss.complete(QUEUES.ingest, job!.id);
      expect((await check("worker")).status).toBe("ok");
    } finally {
      await boss.stop({ graceful: false, wait: true });
    }
  });
});

it("checkQueue is down when its database cannot be reached", async () => {
  const database = await openServer({ url: "postgres://app:hunter2@127.0.0.1:1/flights", connectTimeoutSeconds: 2 });
  try {
    const health = await checkQueue(Promise.resolve(database.db), "worker", new Deadline(5_000));
    expect(health.status).toBe("down");
    expect(health.error).toMatch(/ECONNREFUSED/);
    expect(JSON.stringify(health)).not.toContain("hunter2");
  } finally {
    await database.close();
  }
});
