import { and, eq, sql } from "drizzle-orm";
import type PgBoss from "pg-boss";
import type { Db } from "@/db/client";
import { recordAttempt, type ChannelRow } from "@/db/queries/alerts";
import { appUser, notification, notificationChannel, notificationDelivery, trackedRoute } from "@/db/schema";
import { DISABLE_AFTER_FAILURES } from "@/server/core/alerts";
import type { AppContext } from "@/server/context";
import { authSecrets } from "@/server/auth/secret";
import { log } from "@/server/log";
import { metrics } from "@/server/metrics";
import { prom } from "@/server/observability/metrics";
import { alertPolicy, appBaseUrl } from "./config";
import { deliveryFor } from "@/server/auth/email";
import { escapeHtml, renderAlertEmail, sendEmail } from "./email";
import { enqueueDeliveries, type DeliverJob } from "./evaluate";
import { alertContent, ALERT_EVENT_TYPE } from "./message";
import { sendNtfy } from "./ntfy";
import { open } from "./secret-box";
import { nextAttemptDelayMs, sendWebhook, type DeliveryOutcome } from "./webhook";

/** How long one attempt may take (connect and answer). */
const ATTEMPT_TIMEOUT_MS = 10_000;

export type DeliveryResult = "sent" | "retry" | "failed" | "skipped" | "noop";

type Ctx = Pick<AppContext, "db" | "clock" | "config" | "reference" | "database">;

/** Sends what a channel is sent, by its kind. Email goes to the channel's address (the owner's own). */
async function sendTo(ctx: Ctx, channel: ChannelRow, message: { id: string; at: Date; content: ReturnType<typeof alertContent> }, secrets: string[]): Promise<DeliveryOutcome> {
  const policy = alertPolicy(ctx.config);
  const started = Date.now();
  if (channel.kind === "webhook") {
    return sendWebhook(
      { url: channel.target, secret: open(channel.secretSealed!, secrets) },
      { id: message.id, type: ALERT_EVENT_TYPE, timestamp: message.at, payload: message.content.webhook },
      { policy, timeoutMs: ATTEMPT_TIMEOUT_MS },
    );
  }
  if (channel.kind === "ntfy") {
    return sendNtfy(
      channel.target,
      { title: message.content.title, body: message.content.body, clickUrl: message.content.email.resultsUrl, tags: ["airplane"] },
      { policy, timeoutMs: ATTEMPT_TIMEOUT_MS, token: channel.secretSealed ? open(channel.secretSealed, secrets) : undefined },
    );
  }
  const delivery = deliveryFor(ctx);
  if (delivery === "none") {
    // Retrying would not help: only configuring a server does.
    return { ok: false, status: null, error: "no email server is configured (EMAIL_SERVER)", retryAfterMs: null, permanent: true, disable: false, durationMs: 0 };
  }
  try {
    const email = renderAlertEmail(message.content.email, {});
    await sendEmail(ctx.config.auth.email.server, ctx.config.auth.email.from, { to: channel.target, ...email, messageId: `<${message.id}@flight-tracker>` }, delivery);
    return { ok: true, status: 250, durationMs: Date.now() - started };
  } catch (error) {
    return { ok: false, status: null, error: error instanceof Error ? error.message : String(error), retryAfterMs: null, permanent: false, disable: false, durationMs: Date.now() - started };
  }
}

/**
 * One attempt of one delivery (a `deliver` job). The job names its attempt: a job for an attempt
 * already made (a re-run after a crash found its work committed) does nothing. The attempt is
 * recorded with the delivery's new state, the channel's failure count and, when it failed but
 * may be retried, the job of the next attempt, in one transaction. A crash after sending and
 * before that commit re-runs the job: the receiver gets the same message again under the same
 * id (`webhook-id`, Message-ID) and can tell.
 */
export async function runDelivery(ctx: Ctx, boss: Pick<PgBoss, "insert">, job: DeliverJob, hooks: { afterSend?: () => void } = {}): Promise<DeliveryResult> {
  const [row] = await ctx.db
    .select({ delivery: notificationDelivery, channel: notificationChannel, notification, route: trackedRoute })
    .from(notificationDelivery)
    .innerJoin(notificationChannel, eq(notificationChannel.id, notificationDelivery.channelId))
    .innerJoin(notification, eq(notification.id, notificationDelivery.notificationId))
    .innerJoin(trackedRoute, eq(trackedRoute.id, notification.trackedRouteId))
    .where(eq(notificationDelivery.id, job.deliveryId));
  if (!row || row.delivery.status !== "pending" || row.delivery.attempts >= job.attempt) return "noop";
  const now = ctx.clock();
  if (!row.channel.enabled) {
    await ctx.db.update(notificationDelivery).set({ status: "skipped", lastError: `channel disabled: ${row.channel.disabledReason ?? "by its owner"}` }).where(eq(notificationDelivery.id, job.deliveryId));
    return "skipped";
  }
  const secrets = await authSecrets(ctx.db, ctx.config.auth);
  const content = alertContent(row.notification, row.route, { reference: ctx.reference, baseUrl: appBaseUrl(ctx.config), secret: secrets[0]! });
  const outcome = await sendTo(ctx, row.channel, { id: `msg_${row.delivery.id}`, at: row.notification.createdAt, content }, secrets);
  hooks.afterSend?.();
  metrics[outcome.ok ? "deliveriesSent" : "deliveriesFailed"]++;
  prom.notifications.inc({ channel: row.channel.kind, outcome: outcome.ok ? "sent" : "failed" });

  const retryIn = outcome.ok || outcome.permanent ? null : nextAttemptDelayMs(job.attempt, outcome.retryAfterMs, ctx.config.alerts.retryScale);
  const result: DeliveryResult = outcome.ok ? "sent" : retryIn === null ? "failed" : "retry";
  const disabled = await ctx.db.transaction(async (tx) => {
    await recordAttempt(tx, {
      channelId: row.channel.id,
      deliveryId: row.delivery.id,
      attemptedAt: now,
      ok: outcome.ok,
      statusCode: outcome.status,
      error: outcome.ok ? null : outcome.error,
      durationMs: Math.round(outcome.durationMs),
    });
    const nextAt = retryIn === null ? null : new Date(now.getTime() + retryIn);
    await tx
      .update(notificationDelivery)
      .set({
        status: result === "retry" ? "pending" : result === "sent" ? "sent" : "failed",
        attempts: job.attempt,
        lastStatusCode: outcome.status,
        lastError: outcome.ok ? null : outcome.error,
        sentAt: outcome.ok ? now : null,
        nextAttemptAt: nextAt,
      })
      .where(and(eq(notificationDelivery.id, row.delivery.id), eq(notificationDelivery.attempts, job.attempt - 1)));
    if (nextAt) await enqueueDeliveries(boss, tx, [{ deliveryId: row.delivery.id, attempt: job.attempt + 1, startAfter: nextAt }]);
    return channelOutcome(tx, row.channel, outcome, now);
  });
  if (disabled) await tellOwner(ctx, row.channel, disabled);
  return result;
}

/**
 * The channel's record after an attempt: a success resets its failures; a failure counts, and a
 * long run of them (or a webhook's 410 Gone) disables it. Returns why it was disabled just now.
 */
async function channelOutcome(tx: Db, channel: ChannelRow, outcome: DeliveryOutcome, now: Date): Promise<string | null> {
  if (outcome.ok) {
    await tx.update(notificationChannel).set({ consecutiveFailures: 0, lastSuccessAt: now }).where(eq(notificationChannel.id, channel.id));
    return null;
  }
  const reason = outcome.disable
    ? `the endpoint answered ${outcome.status ?? "that it is gone"} (410 Gone disables a webhook)`
    : channel.consecutiveFailures + 1 >= DISABLE_AFTER_FAILURES
      ? `${DISABLE_AFTER_FAILURES} failed attempts in a row; the last: ${outcome.error}`
      : null;
  const [updated] = await tx
    .update(notificationChannel)
    .set({
      consecutiveFailures: sql`${notificationChannel.consecutiveFailures} + 1`,
      lastFailureAt: now,
      ...(reason ? { enabled: false, disabledReason: reason, updatedAt: now } : {}),
    })
    .where(and(eq(notificationChannel.id, channel.id), eq(notificationChannel.enabled, true)))
    .returning({ id: notificationChannel.id });
  return reason && updated ? reason : null;
}

/** Tells a channel's owner by email that it was disabled (best effort: the page shows it too). */
async function tellOwner(ctx: Ctx, channel: ChannelRow, reason: string): Promise<void> {
  log.warn("notification channel disabled", { channelId: channel.id, kind: channel.kind, reason });
  if (channel.kind === "email") return;
  const [owner] = await ctx.db.select({ email: appUser.email }).from(appUser).where(eq(appUser.id, channel.userId));
  if (!owner?.email) return;
  const manage = `${appBaseUrl(ctx.config)}/alerts`;
  const text = `Your ${channel.kind} channel "${channel.name}" (${channel.target}) was disabled: ${reason}.\n\nAlerts still reach you in the app and on your other channels. Fix it and enable it again at ${manage}\n`;
  await sendEmail(
    ctx.config.auth.email.server,
    ctx.config.auth.email.from,
    { to: owner.email, subject: `Flight Tracker: "${channel.name}" was disabled`, text, html: `<p>${escapeHtml(text).replace(/\n/g, "<br>")}</p>`, headers: {} },
    deliveryFor(ctx),
  ).catch((error: unknown) => log.warn("could not email the owner of a disabled channel", { channelId: channel.id, err: error }));
}
