import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { alertRule, notification, notificationChannel, notificationDelivery } from "@/db/schema";
import type { AppContext } from "@/server/context";
import { addChannel, addRule, setPreferences, setRouteChannels } from "@/server/services/alerts/alerts";
import { refreshContinuousAggregates } from "@/db/migrate";
import { recordSearch } from "@/db/queries/snapshots";
import { describeEachEngine } from "@/test/engines";
import { makeOffers } from "@/test/fixtures";
import { observeChecks, trackedForAlerts } from "@/test/alerts";
import { startMailServer, type TestMailServer } from "@/test/smtp";
import { sendDigests } from "./digest";
import { evaluatePending, type DeliverJob } from "./evaluate";

/** A queue that records what the evaluator hands it (the whole path with pg-boss: alerts-path.test.ts). */
function recordingQueue() {
  const jobs: (DeliverJob & { startAfter: Date })[] = [];
  return { jobs, insert: async (batch: { data?: object; startAfter?: Date | string | number }[]) => void jobs.push(...batch.map((j) => ({ ...(j.data as DeliverJob), startAfter: j.startAfter as Date }))) };
}

describeEachEngine(
  "alert evaluation and delivery planning",
  ({ app }) => {
    let mail: TestMailServer;
    beforeAll(async () => {
      mail = await startMailServer();
    });
    afterAll(() => mail.close());

    /** A context whose clock reads `iso` (quiet hours and digests depend on the hour). */
    const at = (iso: string): AppContext => {
      const base = app();
      return app({ clock: () => new Date(iso), config: { auth: { ...base.config.auth, email: { ...base.config.auth.email, server: mail.url } } } });
    };

    const deliveriesOf = async (ctx: AppContext, routeId: string) =>
      ctx.db
        .select({ kind: notificationChannel.kind, delivery: notificationDelivery })
        .from(notificationDelivery)
        .innerJoin(notificationChannel, eq(notificationChannel.id, notificationDelivery.channelId))
        .innerJoin(notification, eq(notification.id, notificationDelivery.notificationId))
        .where(eq(notification.trackedRouteId, routeId));

    it("the first check is the baseline; a fall alerts once, in the same transaction as the rules' state; evaluating again writes nothing", async () => {
      const ctx = at("2026-03-10T12:00:00Z");
      const target = await trackedForAlerts(ctx, { keepEmail: true });
      const queue = recordingQueue();
      await observeChecks(ctx, target, [{ minutesAgo: 30, priceMinor: 50_000 }]);
      expect(await evaluatePending(ctx, queue)).toMatchObject({ notifications: 0 });
      await observeChecks(ctx, target, [
        { minutesAgo: 30, priceMinor: 50_000 }, // written twice: the outbox's key makes it a no-op
        { minutesAgo: 20, priceMinor: 42_000 },
      ]);
      expect(await evaluatePending(ctx, queue)).toEqual({ events: 1, notifications: 1, deliveries: 1 });
      expect(await evaluatePending(ctx, queue)).toEqual({ events: 0, notifications: 0, deliveries: 0 });
      const [alert] = await ctx.db.select().from(notification).where(eq(notification.trackedRouteId, target.route.id));
      expect(alert).toMatchObject({ kind: "new_low", priceMinor: 42_000, previousPriceMinor: null, referenceMinor: 50_000, simulated: true });
      expect(alert!.reasons.map((r) => r.kind).sort()).toEqual(["drop", "new_low"]);
      const rules = await ctx.db.select().from(alertRule).where(eq(alertRule.trackedRouteId, target.route.id));
      expect(rules.map((r) => r.state)).toEqual(rules.map(() => expect.objectContaining({ lastAlertMinor: 42_000, armed: false, baselineMinor: 50_000 })));
      expect(queue.jobs).toHaveLength(1);
      expect(queue.jobs[0]).toMatchObject({ attempt: 1 });
      expect((await deliveriesOf(ctx, target.route.id)).map((d) => [d.kind, d.delivery.status])).toEqual([["email", "pending"]]);
    });

    it("the price turning low by the route's history fires an insight rule, and says so", async () => {
      const ctx = app();
      const target = await trackedForAlerts(ctx);
      await addRule(ctx, target.userId, target.route.id, { kind: "insight_low", cooldownHours: 24, enabled: true });
      // Twenty days of earlier observations for this date, all far dearer than the check to come.
      const canonical = { origin: "LHR", destination: "CDG", departureDate: target.route.departureDate!, returnDate: null, cabin: "economy" as const, adults: 1, children: 0, infants: 0, currency: "GBP" };
      for (let back = 1; back <= 20; back++) {
        await recordSearch(ctx.db, canonical, new Date(Date.now() - back * 86_400_000), makeOffers(canonical, 2, (n) => 50_000 + back * 100 + n));
      }
      await refreshContinuousAggregates(ctx.db);
      await observeChecks(ctx, target, [
        { minutesAgo: 30, priceMinor: 52_000 },
        { minutesAgo: 10, priceMinor: 30_000 },
      ]);
      await evaluatePending(ctx, recordingQueue());
      const [alert] = await ctx.db.select().from(notification).where(eq(notification.trackedRouteId, target.route.id));
      expect(alert).toMatchObject({ kind: "insight_low", level: "low", priceMinor: 30_000 });
      expect(alert!.reasons.map((r) => r.kind).sort()).toEqual(["drop", "insight_low", "new_low"]);
    });

    it("quiet hours hold email and phone until they end (the webhook goes at once); muted channels get nothing", async () => {
      // 23:00 in London (UTC in winter); quiet 22:00-07:00.
      const ctx = at("2026-01-15T23:00:00Z");
      const target = await trackedForAlerts(ctx, { keepEmail: true });
      await setPreferences(ctx, target.userId, { timeZone: "Europe/London", quietHours: { start: 22 * 60, end: 7 * 60 } });
      await addChannel(ctx, target.userId, { kind: "webhook", name: "hook", url: "https://hooks.example.com/quiet" });
      await addChannel(ctx, target.userId, { kind: "ntfy", name: "phone", url: "https://ntfy.example.com/quiet" });
      const muted = await addChannel(ctx, target.userId, { kind: "webhook", name: "muted", url: "https://hooks.example.com/muted" });
      const channels = (await ctx.db.select().from(notificationChannel).where(eq(notificationChannel.userId, target.userId))).filter((c) => c.id !== muted.channel.id);
      await setRouteChannels(ctx, target.userId, target.route.id, channels.map((c) => c.id));
      await observeChecks(ctx, target, [
        { minutesAgo: 30, priceMinor: 50_000 },
        { minutesAgo: 10, priceMinor: 40_000 },
      ]);
      const queue = recordingQueue();
      await evaluatePending(ctx, queue);
      const planned = Object.fromEntries((await deliveriesOf(ctx, target.route.id)).map((d) => [d.kind, d.delivery.nextAttemptAt!.toISOString()]));
      expect(planned).toEqual({ email: "2026-01-16T07:00:00.000Z", ntfy: "2026-01-16T07:00:00.000Z", webhook: "2026-01-15T23:00:00.000Z" });
      expect(queue.jobs.map((j) => j.startAfter.toISOString()).sort()).toEqual(["2026-01-15T23:00:00.000Z", "2026-01-16T07:00:00.000Z", "2026-01-16T07:00:00.000Z"]);
    });

    it("past the daily cap the alert is in the app only", async () => {
      const ctx = at("2026-03-11T12:00:00Z");
      const first = await trackedForAlerts(ctx, { keepEmail: true });
      await setPreferences(ctx, first.userId, { dailyCap: 1 });
      const second = await trackedForAlerts(ctx);
      // The same user's second route: move it over.
      await ctx.db.execute(`UPDATE tracked_route SET user_id = '${first.userId}' WHERE id = '${second.route.id}'`);
      await ctx.db.execute(`UPDATE alert_rule SET user_id = '${first.userId}' WHERE tracked_route_id = '${second.route.id}'`);
      for (const target of [first, { ...second, userId: first.userId }]) {
        await observeChecks(ctx, target, [
          { minutesAgo: 30, priceMinor: 50_000 },
          { minutesAgo: 10, priceMinor: 40_000 },
        ]);
        await evaluatePending(ctx, recordingQueue());
      }
      expect((await deliveriesOf(ctx, first.route.id)).map((d) => d.delivery.status)).toEqual(["pending"]);
      expect((await deliveriesOf(ctx, second.route.id)).map((d) => [d.delivery.status, d.delivery.lastError])).toEqual([["skipped", "daily cap of 1 reached"]]);
      expect(await ctx.db.select().from(notification).where(inArray(notification.trackedRouteId, [first.route.id, second.route.id]))).toHaveLength(2);
    });

    it("digest: email waits for the owner's hour, then one email carries every change of the day", async () => {
      const morning = at("2026-03-12T06:00:00Z");
      const target = await trackedForAlerts(morning, { keepEmail: true });
      await setPreferences(morning, target.userId, { mode: "digest", timeZone: "UTC", digestHour: 8 });
      await addRule(morning, target.userId, target.route.id, { kind: "below_target", targetAmount: 450, cooldownHours: 0, enabled: true });
      await observeChecks(morning, target, [
        { minutesAgo: 300, priceMinor: 50_000 },
        { minutesAgo: 200, priceMinor: 44_000 },
      ]);
      const queue = recordingQueue();
      await evaluatePending(morning, queue);
      expect(queue.jobs).toEqual([]);
      expect((await deliveriesOf(morning, target.route.id)).map((d) => d.delivery.status)).toEqual(["digest"]);
      // Before 08:00 nothing goes; after it, one email.
      const before = mail.messages.length;
      expect(await sendDigests(at("2026-03-12T07:30:00Z"))).toEqual({ emails: 0, alerts: 0 });
      // Yesterday's moment (08:00 the day before) is older than the alert: it waits for today's.
      expect(await sendDigests(at("2026-03-12T08:05:00Z"))).toEqual({ emails: 1, alerts: 1 });
      const digest = await mail.message(before);
      expect(digest.to).toMatchObject({ text: target.email });
      expect(digest.subject).toMatch(/1 price change/);
      expect((await deliveriesOf(morning, target.route.id)).map((d) => d.delivery.status)).toEqual(["sent"]);
      expect(await sendDigests(at("2026-03-12T09:05:00Z"))).toEqual({ emails: 0, alerts: 0 });
    });
  },
  { seed: true },
);
