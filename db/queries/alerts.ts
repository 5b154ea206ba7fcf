// Price alerts: rules, channels, preferences, notifications and their deliveries.
import { and, desc, eq, inArray, isNull, lt, sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { alertRule, appUser, deliveryAttempt, notification, notificationChannel, notificationDelivery, notificationPreference, trackedRoute, trackedRouteMute } from "@/db/schema";
import { DEFAULT_RULES } from "@/server/core/alert-rules";
import { DEFAULT_PREFERENCES, type AlertPreferences } from "@/server/core/alerts";

export type AlertRuleRow = typeof alertRule.$inferSelect;
export type ChannelRow = typeof notificationChannel.$inferSelect;
export type NotificationRow = typeof notification.$inferSelect;
export type DeliveryRow = typeof notificationDelivery.$inferSelect;

/** A user's preferences, the defaults when never set. */
export async function preferencesOf(db: Db, userIds: string[]): Promise<Map<string, AlertPreferences>> {
  const rows = userIds.length ? await db.select().from(notificationPreference).where(inArray(notificationPreference.userId, userIds)) : [];
  const found = new Map(rows.map((r) => [r.userId, toPreferences(r)]));
  return new Map(userIds.map((id) => [id, found.get(id) ?? DEFAULT_PREFERENCES]));
}

function toPreferences(row: typeof notificationPreference.$inferSelect): AlertPreferences {
  return {
    mode: row.mode,
    timeZone: row.timeZone,
    quietHours: row.quietStart === null || row.quietEnd === null ? null : { start: row.quietStart, end: row.quietEnd },
    dailyCap: row.dailyCap,
    digestHour: row.digestHour,
  };
}

export async function savePreferences(db: Db, userId: string, preferences: AlertPreferences, at: Date): Promise<void> {
  const values = {
    mode: preferences.mode,
    timeZone: preferences.timeZone,
    quietStart: preferences.quietHours?.start ?? null,
    quietEnd: preferences.quietHours?.end ?? null,
    dailyCap: preferences.dailyCap,
    digestHour: preferences.digestHour,
    updatedAt: at,
  };
  await db
    .insert(notificationPreference)
    .values({ userId, ...values })
    .onConflictDoUpdate({ target: notificationPreference.userId, set: values });
}

/**
 * The channels each (user, tracked route) alerts on: the owner's enabled channels the route has
 * not muted.
 */
export async function channelsFor(db: Db, routeIds: string[]): Promise<Map<string, ChannelRow[]>> {
  if (routeIds.length === 0) return new Map();
  const rows = await db
    .select({ routeId: trackedRoute.id, channel: notificationChannel })
    .from(trackedRoute)
    .innerJoin(notificationChannel, and(eq(notificationChannel.userId, trackedRoute.userId), eq(notificationChannel.enabled, true)))
    .leftJoin(trackedRouteMute, and(eq(trackedRouteMute.trackedRouteId, trackedRoute.id), eq(trackedRouteMute.channelId, notificationChannel.id)))
    .where(and(inArray(trackedRoute.id, routeIds), isNull(trackedRouteMute.channelId)));
  const byRoute = new Map<string, ChannelRow[]>();
  for (const row of rows) byRoute.set(row.routeId, [...(byRoute.get(row.routeId) ?? []), row.channel]);
  return byRoute;
}

/** How many notifications each user was sent outside the app since `since` (the daily cap). */
export async function sentSince(db: Db, userIds: string[], since: Date): Promise<Map<string, number>> {
  if (userIds.length === 0) return new Map();
  const rows = await queryRows<{ user_id: string; n: number | string }>(
    db,
    sql`SELECT n.user_id, count(DISTINCT n.id) AS n FROM ${notification} n JOIN ${notificationDelivery} d ON d.notification_id = n.id
        WHERE ${inArray(sql`n.user_id`, userIds)} AND n.created_at >= ${since.toISOString()}::timestamptz AND d.status <> 'skipped'
        GROUP BY n.user_id`,
  );
  return new Map(rows.map((r) => [r.user_id, Number(r.n)]));
}

export async function rulesOfRoutes(db: Db, routeIds: string[], options: { forUpdate?: boolean; enabledOnly?: boolean } = {}): Promise<AlertRuleRow[]> {
  if (routeIds.length === 0) return [];
  const where = and(inArray(alertRule.trackedRouteId, routeIds), options.enabledOnly ? eq(alertRule.enabled, true) : undefined);
  const query = db.select().from(alertRule).where(where).orderBy(alertRule.createdAt, alertRule.kind, alertRule.id);
  return options.forUpdate ? query.for("update") : query;
}

export async function saveRuleStates(db: Db, states: { id: string; state: Record<string, unknown> }[], at: Date): Promise<void> {
  if (states.length === 0) return;
  await db.execute(
    sql`UPDATE ${alertRule} AS r SET state = v.state, updated_at = ${at.toISOString()}::timestamptz
        FROM json_to_recordset(${JSON.stringify(states)}::json) AS v(id uuid, state jsonb) WHERE r.id = v.id`,
  );
}

/** A user's notifications, newest first, optionally of one tracked route or unread only. */
export async function listNotifications(
  db: Db,
  userId: string,
  options: { limit: number; before?: Date; trackedRouteId?: string; unreadOnly?: boolean },
): Promise<NotificationRow[]> {
  return db
    .select()
    .from(notification)
    .where(
      and(
        eq(notification.userId, userId),
        options.before ? lt(notification.createdAt, options.before) : undefined,
        options.trackedRouteId ? eq(notification.trackedRouteId, options.trackedRouteId) : undefined,
        options.unreadOnly ? isNull(notification.readAt) : undefined,
      ),
    )
    .orderBy(desc(notification.createdAt), desc(notification.id))
    .limit(options.limit);
}

export async function unreadCount(db: Db, userId: string): Promise<number> {
  const [row] = await queryRows<{ n: number | string }>(db, sql`SELECT count(*) AS n FROM ${notification} WHERE user_id = ${userId} AND read_at IS NULL`);
  return Number(row?.n ?? 0);
}

/** Each notification's deliveries, with the channel's kind and name. */
export async function deliveriesOf(db: Db, notificationIds: string[]) {
  if (notificationIds.length === 0) return [];
  return db
    .select({ delivery: notificationDelivery, kind: notificationChannel.kind, name: notificationChannel.name })
    .from(notificationDelivery)
    .innerJoin(notificationChannel, eq(notificationChannel.id, notificationDelivery.channelId))
    .where(inArray(notificationDelivery.notificationId, notificationIds));
}

/** Marks a user's notifications read (these, or all); returns how many changed. */
export async function markRead(db: Db, userId: string, ids: string[] | "all", at: Date): Promise<number> {
  const rows = await db
    .update(notification)
    .set({ readAt: at })
    .where(and(eq(notification.userId, userId), isNull(notification.readAt), ids === "all" ? undefined : inArray(notification.id, ids)))
    .returning({ id: notification.id });
  return rows.length;
}

/** A channel's delivery log, newest first. */
export async function channelLog(db: Db, channelId: string, limit: number) {
  return db.select().from(deliveryAttempt).where(eq(deliveryAttempt.channelId, channelId)).orderBy(desc(deliveryAttempt.attemptedAt), desc(deliveryAttempt.id)).limit(limit);
}

export async function recordAttempt(db: Db, attempt: typeof deliveryAttempt.$inferInsert): Promise<void> {
  await db.insert(deliveryAttempt).values(attempt);
}

/** A rule's state before any observation: the first one sets the baseline (see alert-rules.ts). */
export function initialRuleState(currentPriceMinor: number | null): Record<string, unknown> {
  return { baselineMinor: currentPriceMinor, lowestMinor: currentPriceMinor, lastAlertMinor: null, lastAlertAt: null, armed: true };
}

/**
 * A newly tracked route's rules when its owner chose none (a new low by 1%, a 10% drop), and on
 * the owner's first tracked route their preferences and an email channel to their account's
 * address (they unsubscribe or delete it in one click).
 */
export async function addDefaultAlerts(db: Db, userId: string, trackedRouteId: string, at: Date): Promise<void> {
  await db.insert(alertRule).values(
    DEFAULT_RULES.map((rule) => ({
      trackedRouteId,
      userId,
      kind: rule.kind,
      floorPercent: rule.floorPercent ?? null,
      dropPercent: rule.dropPercent ?? null,
      cooldownHours: rule.cooldownHours,
      state: initialRuleState(null),
      createdAt: at,
      updatedAt: at,
    })),
  );
  const [first] = await db.insert(notificationPreference).values({ userId, updatedAt: at }).onConflictDoNothing().returning({ userId: notificationPreference.userId });
  if (!first) return;
  await db.execute(
    sql`INSERT INTO ${notificationChannel} (user_id, kind, name, target, created_at, updated_at)
        SELECT id, 'email', 'Email', email, ${at.toISOString()}::timestamptz, ${at.toISOString()}::timestamptz FROM ${appUser} WHERE id = ${userId} AND email IS NOT NULL
        ON CONFLICT DO NOTHING`,
  );
}

/** A route whose definition changed starts its rules afresh (its history was reset too). */
export async function resetRuleStates(db: Db, trackedRouteId: string, at: Date): Promise<void> {
  await db.update(alertRule).set({ state: initialRuleState(null), updatedAt: at }).where(eq(alertRule.trackedRouteId, trackedRouteId));
}
