import { eq } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { ensureUser } from "@/db/queries/users";
import { formatPrice } from "@/components/format";
import { deliveryAttempt, ingestionTarget, notification, notificationChannel, notificationDelivery, trackedRouteQuery } from "@/db/schema";
import type { Principal } from "@/server/auth/principal";
import type { AppContext } from "@/server/context";
import { addDays } from "@/server/core/time";
import { startJobs, type JobRuntime } from "@/server/jobs/runtime";
import { MARKET_CONTROL_CACHE_MS, setMarketAdjustment } from "@/server/providers/market-control";
import { unsubscribeRoute } from "@/server/services/alerts/alerts";
import { createCaller } from "@/server/trpc/root";
import { describeEachEngine } from "@/test/engines";
import { rawHeader, startMailServer, type TestMailServer } from "@/test/smtp";
import { procedureContext } from "@/test/trpc";
import { loopbackServer } from "@/test/loopback-http";
import { until } from "@/test/wait";

const today = new Date().toISOString().slice(0, 10);
let sequence = 0;

/** A webhook receiver on loopback answering with the statuses given, in turn (the last one repeats). */
async function receiver(statuses: number[] = [200]) {
  const server = await loopbackServer((hit, response) => {
    response.statusCode = statuses[Math.min(server.hits.length - 1, statuses.length - 1)]!;
    response.end();
  });
  return { url: `${server.url}/hooks/flights`, received: server.hits, close: server.close };
}

describeEachEngine(
  "price alerts end to end",
  ({ app }) => {
    let mail: TestMailServer;
    const running: JobRuntime[] = [];
    const closing: (() => Promise<unknown>)[] = [];
    beforeAll(async () => {
      mail = await startMailServer();
    });
    afterAll(async () => {
      await mail.close();
    });
    afterEach(async () => {
      for (const runtime of running.splice(0)) await runtime.stop(2_000);
      for (const close of closing.splice(0)) await close();
    });

    const alertContext = () => {
      const base = app();
      return app({ config: { auth: { ...base.config.auth, email: { ...base.config.auth.email, server: mail.url } } } });
    };

    async function traveller(ctx: AppContext) {
      const email = `alerts-${Date.now()}-${sequence++}@example.test`;
      const user = await ensureUser(ctx.db, email);
      const principal: Principal = { via: "session", userId: user.id, role: "user", sessionId: `s-${user.id}` };
      return { email, userId: user.id, trpc: createCaller(procedureContext(() => ctx)({ principal })) };
    }

    /** Makes the route's query due now and runs the scheduler's tick: the next check happens at once. */
    async function checkNow(ctx: AppContext, runtime: JobRuntime, routeId: string) {
      // The market control is read at most every half second.
      await new Promise((resolve) => setTimeout(resolve, MARKET_CONTROL_CACHE_MS + 100));
      const [link] = await ctx.db.select().from(trackedRouteQuery).where(eq(trackedRouteQuery.trackedRouteId, routeId));
      await ctx.db.update(ingestionTarget).set({ nextDueAt: new Date(Date.now() - 1_000) }).where(eq(ingestionTarget.queryId, link!.queryId));
      await runtime.tick();
    }

    it("a price that falls reaches the app, the email and the webhook once each, signed, with working unsubscribe", async () => {
      const ctx = alertContext();
      const user = await traveller(ctx);
      const hook = await receiver();
      closing.push(hook.close);
      const [origin, destination] = ["LGW", "GLA"];
      const route = await user.trpc.tracking.create({ kind: "exact", originCode: origin, destinationCode: destination, departureDate: addDays(today, 45), currency: "GBP" });
      const { channel, secret } = await user.trpc.alerts.addChannel({ kind: "webhook", name: "My hook", url: hook.url });
      expect(secret).toMatch(/^whsec_/);
      // The defaults: a new low, a 10% drop; the account's address as an email channel.
      expect((await user.trpc.alerts.rules({ trackedRouteId: route.id })).map((r) => r.kind)).toEqual(["drop", "new_low"]);
      expect((await user.trpc.alerts.channels()).map((c) => [c.kind, c.target])).toEqual([
        ["email", user.email],
        ["webhook", hook.url],
      ]);
      expect(JSON.stringify(await user.trpc.alerts.channels())).not.toContain(secret!);

      const runtime = await startJobs(ctx, { concurrency: 2, pollingIntervalSeconds: 0.5 });
      running.push(runtime);
      // The first check sets the baseline, silently.
      await until("the first price", async () => (await user.trpc.tracking.get({ id: route.id })).price);
      await until("the baseline evaluated", async () => {
        const rules = await user.trpc.alerts.rules({ trackedRouteId: route.id });
        return rules.length > 0;
      });
      const first = (await user.trpc.tracking.get({ id: route.id })).price!;

      // The market falls by 40% on this route (the test control), and the next check sees it.
      await setMarketAdjustment(ctx.db, { origins: [origin], destinations: [destination], factor: 0.6 });
      await checkNow(ctx, runtime, route.id);
      const page = await until("the in-app notification", async () => {
        const found = await user.trpc.alerts.notifications({});
        return found.items.length ? found : null;
      });
      expect(page.unread).toBe(1);
      const [alert] = page.items;
      expect(alert!.price.amount).toBeLessThan(first.amount * 0.7);
      expect(alert!.price.simulated).toBe(true);
      expect(alert!.previousPrice!.amount).toBe(first.amount);
      expect(alert!.reasons.sort()).toEqual(["drop", "new_low"]);

      const email = await mail.message(0, 15_000);
      expect(email.subject).toMatch(/LGW → GLA/);
      expect(email.text).toContain(formatPrice(Math.round(alert!.price.amount * 100), "GBP"));
      expect(email.text).toContain(formatPrice(Math.round(first.amount * 100), "GBP"));
      expect(rawHeader(email, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
      const unsubscribeUrl = /<([^>]+)>/.exec(rawHeader(email, "List-Unsubscribe")!)![1]!;

      const delivered = await until("the webhook", async () => (hook.received.length ? hook.received : null), 15_000);
      const verified = new Webhook(secret!).verify(delivered[0]!.body, delivered[0]!.headers as Record<string, string>) as { type: string; data: { notificationId: string; price: { amount: number; simulated: boolean } } };
      expect(verified.type).toBe("price_alert.triggered");
      expect(verified.data.notificationId).toBe(alert!.id);
      expect(verified.data.price).toMatchObject({ amount: alert!.price.amount, simulated: true });

      // Each once: nothing more arrives, and the deliveries say sent.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(mail.messages.filter((m) => m.to && JSON.stringify(m.to).includes(user.email))).toHaveLength(1);
      expect(hook.received).toHaveLength(1);
      expect(await ctx.db.select().from(notification).where(eq(notification.trackedRouteId, route.id))).toHaveLength(1);
      const shown = await user.trpc.alerts.notification({ id: alert!.id });
      expect(shown.deliveries.map((d) => [d.kind, d.status, d.attempts]).sort()).toEqual([
        ["email", "sent", 1],
        ["webhook", "sent", 1],
      ]);
      expect((await user.trpc.alerts.channelLog({ id: channel.id }))[0]).toMatchObject({ ok: true, status: 200 });

      // A check at the same low price alerts nobody again.
      await checkNow(ctx, runtime, route.id);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(hook.received).toHaveLength(1);

      // The email's unsubscribe link works without a session: that route stops emailing.
      const token = new URL(unsubscribeUrl).searchParams.get("token")!;
      expect(await unsubscribeRoute(ctx, token)).toMatchObject({ trackedRouteId: route.id });
      const channels = await user.trpc.alerts.routeChannels({ trackedRouteId: route.id });
      expect(channels.map((c) => [c.channel.kind, c.enabled])).toEqual([
        ["email", false],
        ["webhook", true],
      ]);
      expect(await unsubscribeRoute(ctx, token.slice(0, -2) + "xx")).toBeNull();

      await user.trpc.alerts.markRead({ ids: "all" });
      expect((await user.trpc.alerts.unread()).unread).toBe(0);
    });

    it("a webhook answering 500 is retried with the same webhook-id; 410 disables it and its owner is told", async () => {
      const ctx = alertContext();
      const user = await traveller(ctx);
      const flaky = await receiver([500, 200]);
      const gone = await receiver([410]);
      closing.push(flaky.close, gone.close);
      const route = await user.trpc.tracking.create({ kind: "exact", originCode: "BRS", destinationCode: "BFS", departureDate: addDays(today, 50), currency: "GBP" });
      const flakyChannel = (await user.trpc.alerts.addChannel({ kind: "webhook", url: flaky.url })).channel;
      const goneChannel = (await user.trpc.alerts.addChannel({ kind: "webhook", name: "Old hook", url: gone.url })).channel;
      await user.trpc.alerts.addRule({ trackedRouteId: route.id, kind: "below_target", targetAmount: 100_000 });

      const runtime = await startJobs(ctx, { concurrency: 2, pollingIntervalSeconds: 0.5 });
      running.push(runtime);
      await until("the first price", async () => (await user.trpc.tracking.get({ id: route.id })).price);
      await setMarketAdjustment(ctx.db, { origins: ["BRS"], destinations: ["BFS"], factor: 0.5 });
      await checkNow(ctx, runtime, route.id);

      await until("the retry", async () => (flaky.received.length >= 2 ? true : null), 20_000);
      const ids = flaky.received.map((r) => r.headers["webhook-id"]);
      expect(ids[0]).toBe(ids[1]);
      const disabled = await until("410 disables", async () => {
        const [row] = await ctx.db.select().from(notificationChannel).where(eq(notificationChannel.id, goneChannel.id));
        return row!.enabled ? null : row!;
      });
      expect(disabled.disabledReason).toMatch(/410/);
      expect(gone.received).toHaveLength(1);
      const told = await until("the owner's email", async () => mail.messages.find((m) => /was disabled/.test(m.subject ?? "") && JSON.stringify(m.to).includes(user.email)));
      expect(told.text).toContain(gone.url);
      // The second attempt's row is written after its answer came back: wait for it, not for the receiver.
      const attempts = await until("both attempts recorded", async () => {
        const rows = await ctx.db.select().from(deliveryAttempt).where(eq(deliveryAttempt.channelId, flakyChannel.id)).orderBy(deliveryAttempt.id);
        return rows.length >= 2 ? rows : null;
      });
      expect(attempts.map((a) => [a.ok, a.statusCode])).toEqual([
        [false, 500],
        [true, 200],
      ]);
      const flakyDelivery = await until("the delivery marked sent", async () => {
        const [row] = await ctx.db.select().from(notificationDelivery).where(eq(notificationDelivery.channelId, flakyChannel.id));
        return row?.status === "sent" ? row : null;
      });
      expect(flakyDelivery).toMatchObject({ status: "sent", attempts: 2 });
    });
  },
  { seed: true },
);
