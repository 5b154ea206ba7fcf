import { and, eq } from "drizzle-orm";
import { deliveryCounts, failedDeliveries, failingChannels, type DeliveryCounts, type FailedDelivery, type FailingChannel } from "@/db/queries/admin";
import { recordAudit } from "@/db/queries/audit";
import { notificationChannel, notificationDelivery } from "@/db/schema";
import { NotFoundError, ValidationError } from "@/server/core/errors";
import { enqueueDeliveries } from "@/server/alerts/evaluate";
import type { AppContext } from "@/server/context";
import { queueWriter } from "@/server/jobs/queue";

export interface DeliveriesView {
  /** In-app notifications written in the last day. */
  inApp: number;
  /** Deliveries of the last day per channel kind, by state. */
  channels: DeliveryCounts[];
  failingEndpoints: FailingChannel[];
  failed: FailedDelivery[];
}

export async function deliveriesOverview(ctx: Pick<AppContext, "db" | "clock">): Promise<DeliveriesView> {
  const [counts, failing, failed] = await Promise.all([deliveryCounts(ctx.db, ctx.clock()), failingChannels(ctx.db), failedDeliveries(ctx.db)]);
  return { ...counts, failingEndpoints: failing, failed };
}

/**
 * Tries a failed delivery once more: it is pending again and its next attempt's job is queued
 * in the same transaction (the job's id names the attempt, so a second click queues nothing).
 * A delivery to a disabled channel is refused: its owner turns the channel back on. Audited.
 */
export async function retryDelivery(ctx: Pick<AppContext, "db" | "clock">, adminId: string, deliveryId: string): Promise<{ status: "pending"; attempt: number }> {
  const [row] = await ctx.db
    .select({ status: notificationDelivery.status, attempts: notificationDelivery.attempts, enabled: notificationChannel.enabled, channelId: notificationChannel.id })
    .from(notificationDelivery)
    .innerJoin(notificationChannel, eq(notificationChannel.id, notificationDelivery.channelId))
    .where(eq(notificationDelivery.id, deliveryId));
  if (!row) throw new NotFoundError("No such delivery.");
  if (row.status !== "failed") throw ValidationError.of("deliveryId", `is ${row.status}: only a failed delivery is retried`);
  if (!row.enabled) throw ValidationError.of("deliveryId", "goes to a channel that is turned off: its owner turns it back on first");
  const now = ctx.clock();
  const attempt = row.attempts + 1;
  return ctx.db.transaction(async (tx) => {
    const updated = await tx
      .update(notificationDelivery)
      .set({ status: "pending", nextAttemptAt: now })
      .where(and(eq(notificationDelivery.id, deliveryId), eq(notificationDelivery.status, "failed")))
      .returning({ id: notificationDelivery.id });
    if (updated.length === 0) throw ValidationError.of("deliveryId", "was retried meanwhile");
    await enqueueDeliveries(queueWriter(), tx, [{ deliveryId, attempt, startAfter: now }]);
    await recordAudit(tx, { action: "delivery_retried", actorId: adminId, detail: { delivery: deliveryId, channel: row.channelId, attempt } });
    return { status: "pending", attempt };
  });
}
