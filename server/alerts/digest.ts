import { and, eq, inArray, lte } from "drizzle-orm";
import { preferencesOf, recordAttempt } from "@/db/queries/alerts";
import { notification, notificationChannel, notificationDelivery, trackedRoute } from "@/db/schema";
import { lastDigestMoment, localDay } from "@/server/core/alerts";
import type { AppContext } from "@/server/context";
import { authSecrets } from "@/server/auth/secret";
import { log } from "@/server/log";
import { appBaseUrl } from "./config";
import { deliveryFor } from "@/server/auth/email";
import { renderDigestEmail, sendEmail } from "./email";
import { alertContent } from "./message";

type Ctx = Pick<AppContext, "db" | "clock" | "config" | "reference" | "database">;

/**
 * Sends each daily digest that is due: for every email channel with alerts waiting since before
 * its owner's last digest moment, one email with all of them, then marks them sent. Runs hourly
 * (the `alerts-digest` job, one at a time across workers).
 */
export async function sendDigests(ctx: Ctx): Promise<{ emails: number; alerts: number }> {
  const now = ctx.clock();
  const waiting = await ctx.db
    .select({ delivery: notificationDelivery, channel: notificationChannel, notification, route: trackedRoute })
    .from(notificationDelivery)
    .innerJoin(notificationChannel, eq(notificationChannel.id, notificationDelivery.channelId))
    .innerJoin(notification, eq(notification.id, notificationDelivery.notificationId))
    .innerJoin(trackedRoute, eq(trackedRoute.id, notification.trackedRouteId))
    .where(and(eq(notificationDelivery.status, "digest"), lte(notificationDelivery.createdAt, now)))
    .orderBy(notification.createdAt);
  if (waiting.length === 0) return { emails: 0, alerts: 0 };
  const preferences = await preferencesOf(ctx.db, [...new Set(waiting.map((w) => w.channel.userId))]);
  const secrets = await authSecrets(ctx.db, ctx.config.auth);
  const byChannel = new Map<string, typeof waiting>();
  for (const w of waiting) {
    const moment = lastDigestMoment(now, preferences.get(w.channel.userId)!);
    if (w.delivery.createdAt <= moment) byChannel.set(w.channel.id, [...(byChannel.get(w.channel.id) ?? []), w]);
  }
  let emails = 0;
  let alerts = 0;
  for (const rows of byChannel.values()) {
    const channel = rows[0]!.channel;
    const prefs = preferences.get(channel.userId)!;
    const items = rows.map((r) => alertContent(r.notification, r.route, { reference: ctx.reference, baseUrl: appBaseUrl(ctx.config), secret: secrets[0]! }).email);
    const email = renderDigestEmail(items, { date: localDay(now, prefs.timeZone), manageUrl: `${appBaseUrl(ctx.config)}/alerts` });
    const started = Date.now();
    let error: string | null = null;
    try {
      await sendEmail(ctx.config.auth.email.server, ctx.config.auth.email.from, { to: channel.target, ...email }, deliveryFor(ctx));
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
      log.warn("digest not sent; it is tried again next hour", { channelId: channel.id, err: e });
    }
    await ctx.db.transaction(async (tx) => {
      await recordAttempt(tx, { channelId: channel.id, deliveryId: null, attemptedAt: now, ok: error === null, statusCode: error ? null : 250, error, durationMs: Date.now() - started });
      if (error) return;
      await tx
        .update(notificationDelivery)
        .set({ status: "sent", sentAt: now, attempts: 1 })
        .where(inArray(notificationDelivery.id, rows.map((r) => r.delivery.id)));
    });
    if (!error) {
      emails++;
      alerts += rows.length;
    }
  }
  return { emails, alerts };
}
