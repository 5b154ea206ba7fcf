/**
 * The console's notifications page (issue 13): deliveries per channel kind, the failing webhook
 * and ntfy endpoints (their host only: a URL's path or query may carry its owner's token), the
 * deliveries that gave up, and retrying one (its next attempt's job on the queue).
 */
import { eq, sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { queryRows } from "@/db/client";
import { auditEvents } from "@/db/queries/audit";
import { notification, notificationChannel, notificationDelivery } from "@/db/schema";
import { DELIVER_QUEUE, deliverJobId } from "@/server/alerts/evaluate";
import { prepareAlertQueues } from "@/server/alerts/runtime";
import type { AppContext } from "@/server/context";
import { createBoss, prepareQueues } from "@/server/jobs/queue";
import { trackedForAlerts } from "@/test/alerts";
import { describeEachEngine } from "@/test/engines";
import { deliveriesOverview, retryDelivery } from "./deliveries";
import { adminCaller } from "@/test/admin";

const M = 60_000;
let sequence = 0;

describeEachEngine(
  "the notifications page",
  ({ app }) => {
    const adminOf = (ctx: AppContext) => adminCaller(ctx, "deliveries");

    /** A user with a tracked route, a failing webhook, a turned-off ntfy topic, and deliveries to them in every state. */
    async function deliveriesOfAUser(ctx: AppContext) {
      const owner = await trackedForAlerts(ctx, { name: "deliveries" });
      const now = ctx.clock();
      const n = sequence++;
      const [webhook, ntfy, healthy] = await ctx.db
        .insert(notificationChannel)
        .values([
          {
            userId: owner.userId,
            kind: "webhook",
            name: `Slack ${n}`,
            target: `https://hooks${n}.example.test/services/T000/B000/SECRETTOKEN${n}?token=abc${n}`,
            consecutiveFailures: 3,
            lastFailureAt: new Date(now.getTime() - 2 * M),
            lastSuccessAt: new Date(now.getTime() - 60 * M),
          },
          { userId: owner.userId, kind: "ntfy", name: `Phone ${n}`, target: `https://ntfy${n}.example.test/private-topic-${n}`, enabled: false, disabledReason: "failed 10 times in a row", consecutiveFailures: 10, lastFailureAt: new Date(now.getTime() - 1 * M) },
          { userId: owner.userId, kind: "webhook", name: `Fine ${n}`, target: `https://fine${n}.example.test/hook` },
        ])
        .returning();
      const notifications = await ctx.db
        .insert(notification)
        .values([1, 2, 3].map((i) => ({ userId: owner.userId, trackedRouteId: owner.route.id, observedAt: new Date(now.getTime() - i * M), kind: "drop" as const, reasons: [], priceMinor: 40_000 + i, currency: "GBP" })))
        .returning({ id: notification.id });
      const [failed, toDisabled, sent, pending] = await ctx.db
        .insert(notificationDelivery)
        .values([
          { notificationId: notifications[0]!.id, channelId: webhook!.id, status: "failed", attempts: 5, lastStatusCode: 500, lastError: "HTTP 500 from the endpoint" },
          { notificationId: notifications[0]!.id, channelId: ntfy!.id, status: "failed", attempts: 5, lastError: "connection refused" },
          { notificationId: notifications[1]!.id, channelId: webhook!.id, status: "sent", attempts: 1, sentAt: now },
          { notificationId: notifications[2]!.id, channelId: webhook!.id, status: "pending", attempts: 0 },
        ])
        .returning();
      return { owner, webhook: webhook!, ntfy: ntfy!, healthy: healthy!, failed: failed!, toDisabled: toDisabled!, sent: sent!, pending: pending! };
    }

    it("counts the day's deliveries per channel kind and the in-app notifications; lists failing endpoints by host only, and the deliveries that gave up", async () => {
      const ctx = app();
      const admin = await adminOf(ctx);
      const before = await admin.trpc.admin.deliveries();
      const made = await deliveriesOfAUser(ctx);
      const view = await admin.trpc.admin.deliveries();

      expect(view.inApp - before.inApp).toBe(3);
      const change = (kind: string) => {
        const [b, a] = [before.channels.find((c) => c.kind === kind)!, view.channels.find((c) => c.kind === kind)!];
        return { sent: a.sent - b.sent, failed: a.failed - b.failed, pending: a.pending - b.pending, skipped: a.skipped - b.skipped, digest: a.digest - b.digest };
      };
      expect(view.channels.map((c) => c.kind)).toEqual(["email", "webhook", "ntfy"]);
      expect(change("webhook")).toEqual({ sent: 1, failed: 1, pending: 1, skipped: 0, digest: 0 });
      expect(change("ntfy")).toEqual({ sent: 0, failed: 1, pending: 0, skipped: 0, digest: 0 });
      expect(change("email")).toEqual({ sent: 0, failed: 0, pending: 0, skipped: 0, digest: 0 });

      const endpoints = view.failingEndpoints.filter((c) => [made.webhook.id, made.ntfy.id, made.healthy.id].includes(c.id));
      // The latest failure first; a channel that works is not listed.
      expect(endpoints.map((c) => [c.id, c.kind, c.enabled, c.consecutiveFailures])).toEqual([
        [made.ntfy.id, "ntfy", false, 10],
        [made.webhook.id, "webhook", true, 3],
      ]);
      expect(endpoints[0]).toMatchObject({ host: new URL(made.ntfy.target).host, disabledReason: "failed 10 times in a row", ownerEmail: made.owner.email });
      expect(endpoints[1]).toMatchObject({ host: new URL(made.webhook.target).host, name: made.webhook.name, lastFailureAt: made.webhook.lastFailureAt!.toISOString() });
      // Nothing of a target but its host reaches the page: not its path, not its query.
      const page = JSON.stringify(view);
      for (const secret of ["SECRETTOKEN", "token=abc", "private-topic", "/services/"]) expect(page).not.toContain(secret);

      const gaveUp = view.failed.filter((d) => [made.failed.id, made.toDisabled.id].includes(d.id));
      expect(gaveUp.map((d) => [d.id, d.kind, d.channelEnabled, d.attempts, d.lastStatusCode, d.lastError]).sort()).toEqual(
        [
          [made.failed.id, "webhook", true, 5, 500, "HTTP 500 from the endpoint"],
          [made.toDisabled.id, "ntfy", false, 5, null, "connection refused"],
        ].sort(),
      );
      expect(view.failed.map((d) => d.id)).not.toContain(made.sent.id);
    });

    it("retries a failed delivery once: pending again with its next attempt's job queued; again, or to a turned-off channel, is refused; audited", async () => {
      const ctx = app();
      const admin = await adminOf(ctx);
      const made = await deliveriesOfAUser(ctx);
      const boss = createBoss(ctx.database, ctx.config);
      await boss.start();
      try {
        await prepareQueues(boss, ctx.config);
        await prepareAlertQueues(boss, ctx.config);
        const jobs = (deliveryId: string) =>
          queryRows<{ id: string; data: { deliveryId: string; attempt: number }; state: string }>(
            ctx.db,
            sql`SELECT id::text AS id, data, state::text AS state FROM pgboss.job WHERE name = ${DELIVER_QUEUE} AND data->>'deliveryId' = ${deliveryId}`,
          );
        const statusOf = async (id: string) => (await ctx.db.select().from(notificationDelivery).where(eq(notificationDelivery.id, id)))[0]!;

        // Two clicks at once: one retry.
        const outcomes = await Promise.allSettled([admin.trpc.admin.retryDelivery({ deliveryId: made.failed.id }), admin.trpc.admin.retryDelivery({ deliveryId: made.failed.id })]);
        expect(outcomes.filter((o) => o.status === "fulfilled").map((o) => o.value)).toEqual([{ status: "pending", attempt: 6 }]);
        expect(outcomes.filter((o) => o.status === "rejected").map((o) => (o.reason as { code: string }).code)).toEqual(["BAD_REQUEST"]);
        const retried = await statusOf(made.failed.id);
        expect(retried.status).toBe("pending");
        expect(retried.nextAttemptAt).not.toBeNull();
        expect(await jobs(made.failed.id)).toEqual([{ id: deliverJobId(made.failed.id, 6), data: { deliveryId: made.failed.id, attempt: 6 }, state: "created" }]);
        // Pending now: another retry is refused and queues nothing.
        await expect(admin.trpc.admin.retryDelivery({ deliveryId: made.failed.id })).rejects.toMatchObject({ code: "BAD_REQUEST" });
        expect(await jobs(made.failed.id)).toHaveLength(1);
        expect((await deliveriesOverview(ctx)).failed.map((d) => d.id)).not.toContain(made.failed.id);

        // Its channel turned off: its owner turns it back on first.
        await expect(admin.trpc.admin.retryDelivery({ deliveryId: made.toDisabled.id })).rejects.toMatchObject({ code: "BAD_REQUEST" });
        expect((await statusOf(made.toDisabled.id)).status).toBe("failed");
        expect(await jobs(made.toDisabled.id)).toEqual([]);
        // Only a failed delivery is retried; an unknown one is a 404.
        await expect(admin.trpc.admin.retryDelivery({ deliveryId: made.sent.id })).rejects.toMatchObject({ code: "BAD_REQUEST" });
        await expect(retryDelivery(ctx, admin.id, made.pending.id)).rejects.toMatchObject({ fields: { deliveryId: [expect.stringMatching(/^is pending/)] } });
        await expect(admin.trpc.admin.retryDelivery({ deliveryId: "00000000-0000-4000-8000-000000000000" })).rejects.toMatchObject({ code: "NOT_FOUND" });
        await expect(admin.trpc.admin.retryDelivery({ deliveryId: "not-a-uuid" })).rejects.toMatchObject({ code: "BAD_REQUEST" });

        const audited = await auditEvents(ctx.db, { actorId: admin.id });
        expect(audited.map((e) => [e.action, e.detail])).toEqual([["delivery_retried", { delivery: made.failed.id, channel: made.webhook.id, attempt: 6 }]]);
      } finally {
        await boss.stop({ graceful: false, wait: true });
      }
    });
  },
  { seed: true },
);
