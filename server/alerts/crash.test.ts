/**
 * Crash tests of the alerts' path with real processes: a worker (`npm run worker`) on the
 * PostgreSQL server killed (SIGKILL, by ALERTS_TEST_CRASH) right after the evaluation committed
 * and before any delivery, and right after a webhook was sent and before its delivery was
 * recorded; another worker takes over. Exactly one notification, no delivery lost, and a repeat
 * carries the same webhook-id.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "@/db/migrate";
import { loadReference } from "@/db/queries/reference";
import { loadReferenceData } from "@/db/seed/reference";
import { notification, notificationDelivery } from "@/db/schema";
import type { AppContext } from "@/server/context";
import { addChannel, addRule } from "@/server/services/alerts/alerts";
import { observeChecks, trackedForAlerts } from "@/test/alerts";
import { testAppContext } from "@/test/app-context";
import { createTestDatabase, sharedReferenceData, skipEngine, type TestDatabase } from "@/test/engines";
import { loopbackServer, type LoopbackServer } from "@/test/loopback-http";
import { until } from "@/test/wait";
import { startWorker, type WorkerProcess } from "@/test/worker-process";

describe.skipIf(skipEngine("server"))("alert delivery across worker crashes [server]", () => {
  let database: TestDatabase;
  let ctx: AppContext;
  const workers: WorkerProcess[] = [];
  let hooks: LoopbackServer;
  let hookUrl: string;
  const received = () => hooks.hits.map((hit) => ({ id: String(hit.headers["webhook-id"]), body: hit.body }));

  beforeAll(async () => {
    database = await createTestDatabase("server");
    await migrate(database);
    await loadReferenceData(database.db, await sharedReferenceData());
    ctx = testAppContext(database, await loadReference(database.db));
    hooks = await loopbackServer();
    hookUrl = `${hooks.url}/hook`;
  }, 120_000);

  afterAll(async () => {
    for (const worker of workers) if (worker.process.exitCode === null) worker.process.kill("SIGKILL");
    await hooks.close();
    await database?.close();
  });

  const worker = (env: Record<string, string> = {}) => {
    const started = startWorker({ DATABASE_URL: database.url!, NODE_ENV: "test", ALERTS_ALLOW_LOOPBACK: "true", ALERTS_POLL_MS: "200", ...env });
    workers.push(started);
    return started;
  };

  /** A tracked route with a webhook and a rule, and two checks in the outbox: the baseline, then a price under the target. */
  async function alertWaiting(name: string) {
    const target = await trackedForAlerts(ctx, { name });
    await addChannel(ctx, target.userId, { kind: "webhook", name, url: `${hookUrl}?${name}` });
    await addRule(ctx, target.userId, target.route.id, { kind: "below_target", targetAmount: 450, cooldownHours: 24, enabled: true });
    await observeChecks(ctx, target, [
      { minutesAgo: 10, priceMinor: 50_000 },
      { minutesAgo: 5, priceMinor: 40_000 },
    ]);
    return target.route.id;
  }

  const notificationsOf = (routeId: string) => ctx.db.select().from(notification).where(eq(notification.trackedRouteId, routeId));
  const deliveryOf = async (routeId: string) => {
    const [row] = await ctx.db
      .select({ delivery: notificationDelivery })
      .from(notificationDelivery)
      .innerJoin(notification, eq(notification.id, notificationDelivery.notificationId))
      .where(eq(notification.trackedRouteId, routeId));
    return row?.delivery ?? null;
  };

  it("killed between evaluation and delivery: the next worker delivers the alert, once", async () => {
    const routeId = await alertWaiting("evaluated");
    const doomed = worker({ ALERTS_TEST_CRASH: "after-evaluation" });
    expect(await doomed.exited).toBeNull(); // SIGKILL
    expect(doomed.output.join("")).toMatch(/ALERTS_TEST_CRASH/);
    expect(await notificationsOf(routeId)).toHaveLength(1);
    expect(await deliveryOf(routeId)).toMatchObject({ status: "pending", attempts: 0 });
    expect(received().filter((r) => r.body.includes(routeId))).toHaveLength(0);

    const rescuer = worker();
    const sent = await until("the delivery", async () => ((await deliveryOf(routeId))?.status === "sent" ? true : null), 30_000);
    expect(sent).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(received().filter((r) => r.body.includes(routeId))).toHaveLength(1);
    expect(await notificationsOf(routeId)).toHaveLength(1);
    expect(await deliveryOf(routeId)).toMatchObject({ status: "sent", attempts: 1 });
    rescuer.process.kill("SIGTERM");
    expect(await rescuer.exited).toBe(0);
  }, 90_000);

  it("killed after sending and before recording it: sent again under the same webhook-id, nothing lost, one notification", async () => {
    const routeId = await alertWaiting("sent");
    const doomed = worker({ ALERTS_TEST_CRASH: "after-send" });
    expect(await doomed.exited).toBeNull();
    const first = received().filter((r) => r.body.includes(routeId));
    expect(first).toHaveLength(1);
    expect(await deliveryOf(routeId)).toMatchObject({ status: "pending", attempts: 0 });

    // The job in hand expires (INGEST_JOB_EXPIRE_SECONDS) and is retried by the next worker.
    const rescuer = worker();
    await until("the delivery recorded", async () => ((await deliveryOf(routeId))?.status === "sent" ? true : null), 60_000);
    const all = received().filter((r) => r.body.includes(routeId));
    expect(all).toHaveLength(2);
    expect(all[1]!.id).toBe(all[0]!.id);
    expect(await notificationsOf(routeId)).toHaveLength(1);
    expect(await deliveryOf(routeId)).toMatchObject({ status: "sent", attempts: 1 });
    rescuer.process.kill("SIGTERM");
    expect(await rescuer.exited).toBe(0);
  }, 120_000);
});
