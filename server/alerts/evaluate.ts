import { stableJobId } from "@/server/jobs/queue";
import { inArray, sql } from "drizzle-orm";
import type PgBoss from "pg-boss";
import { queryRows, sqlExecutor, type Db } from "@/db/client";
import { channelsFor, preferencesOf, rulesOfRoutes, saveRuleStates, sentSince, type AlertRuleRow } from "@/db/queries/alerts";
import { TRACKED_ROUTE_OBSERVED, type TrackedRouteObserved } from "@/db/queries/tracked-state";
import { eventOutbox, notification, notificationDelivery, trackedRoute } from "@/db/schema";
import { evaluateAlerts, type AlertMessage, type AlertRule, type AlertState, type PriceLevel } from "@/server/core/alert-rules";
import { afterQuietHours, primaryMessage, type DeliveryStatus } from "@/server/core/alerts";
import { priceInsight } from "@/server/core/insight";
import type { Cabin } from "@/server/core/offer";
import { airportsOf, placeOf } from "@/server/core/places";
import type { AppContext } from "@/server/context";
import type { Span } from "@opentelemetry/api";
import { linksTo, traceFields, withSpan } from "@/server/observability/tracing";
import { priceStats } from "@/server/services/routes/price-stats";

/** What a delivery job carries: the delivery and which attempt this is (so a re-run of an old job does nothing). */
export interface DeliverJob {
  deliveryId: string;
  attempt: number;
  /** The W3C trace context of what enqueued it (when traced): the job's trace links to it. */
  traceparent?: string;
}

export const DELIVER_QUEUE = "deliver";

/** A job id that is the same for the same attempt of the same delivery: enqueuing it twice is a no-op. */
export function deliverJobId(deliveryId: string, attempt: number): string {
  return stableJobId(`${deliveryId}#${attempt}`);
}

/**
 * Puts delivery jobs on the queue in the caller's transaction: they exist if and only if it
 * commits. Each carries the active span's `traceparent` (when traced): its trace links to the
 * evaluation or the earlier attempt that enqueued it.
 */
export async function enqueueDeliveries(boss: Pick<PgBoss, "insert">, tx: Db, jobs: (Omit<DeliverJob, "traceparent"> & { startAfter: Date })[]): Promise<void> {
  if (jobs.length === 0) return;
  const trace = traceFields();
  await boss.insert(
    jobs.map((j) => ({ id: deliverJobId(j.deliveryId, j.attempt), name: DELIVER_QUEUE, data: { deliveryId: j.deliveryId, attempt: j.attempt, ...trace } satisfies DeliverJob, startAfter: j.startAfter })),
    { db: sqlExecutor(tx) },
  );
}

export interface EvaluationResult {
  events: number;
  notifications: number;
  deliveries: number;
}

type RouteRow = { id: string; user_id: string; origin: string; destination: string; cabin: Cabin; currency: string; adults: number; children: number; return_date: string | null; nights_min: number | null };

const DAY_MS = 86_400_000;

/**
 * Takes the next `tracked_route.observed` events from the outbox and evaluates every enabled
 * rule of their routes, in one transaction: the rules' new state, one notification per check
 * that fired (keyed by its rule and the check: writing it twice is a no-op), a delivery per
 * channel and the queue job for each, and the events marked handled. A crash anywhere rolls
 * all of it back and the events are taken again; nothing is lost and nothing written twice.
 * Several evaluators share the outbox (rows taken are locked, others skip them).
 */
export async function evaluatePending(ctx: Pick<AppContext, "db" | "clock" | "reference">, boss: Pick<PgBoss, "insert">, options: { limit?: number } = {}): Promise<EvaluationResult> {
  // Idle (the common case): one indexed read, no transaction.
  const pending = await queryRows(ctx.db, sql`SELECT 1 AS one FROM ${eventOutbox} WHERE topic = ${TRACKED_ROUTE_OBSERVED} AND processed_at IS NULL LIMIT 1`);
  if (pending.length === 0) return { events: 0, notifications: 0, deliveries: 0 };
  // Traced when there is work: its trace links to the writes that made the events, and the
  // delivery jobs it enqueues link to it.
  return withSpan("alerts.evaluate", {}, (span) => evaluateEvents(ctx, boss, options, span));
}

async function evaluateEvents(ctx: Pick<AppContext, "db" | "clock" | "reference">, boss: Pick<PgBoss, "insert">, options: { limit?: number }, span: Span): Promise<EvaluationResult> {
  return ctx.db.transaction(async (tx) => {
    const events = await queryRows<{ id: number | string; payload: TrackedRouteObserved }>(
      tx,
      sql`SELECT id, payload FROM ${eventOutbox} WHERE topic = ${TRACKED_ROUTE_OBSERVED} AND processed_at IS NULL ORDER BY id LIMIT ${options.limit ?? 500} FOR UPDATE SKIP LOCKED`,
    );
    if (events.length === 0) return { events: 0, notifications: 0, deliveries: 0 };
    span.addLinks(linksTo(events.map((e) => e.payload.traceparent)));
    span.setAttribute("alerts.events", events.length);
    const now = ctx.clock();
    const observed = events.map((e) => e.payload).sort((a, b) => a.observedAt.localeCompare(b.observedAt));
    const routeIds = [...new Set(observed.map((o) => o.trackedRouteId))];
    const rules = await rulesOfRoutes(tx, routeIds, { forUpdate: true, enabledOnly: true });
    const routes = new Map(
      (await queryRows<RouteRow>(
        tx,
        sql`SELECT id, user_id, origin, destination, cabin, currency, adults, children, return_date::text, nights_min FROM ${trackedRoute} WHERE ${inArray(trackedRoute.id, routeIds)}`,
      )).map((r) => [r.id, r]),
    );
    const byRoute = new Map<string, AlertRuleRow[]>();
    for (const rule of rules) byRoute.set(rule.trackedRouteId, [...(byRoute.get(rule.trackedRouteId) ?? []), rule]);

    const states = new Map(rules.map((r) => [r.id, r.state as unknown as AlertState]));
    const fired: (typeof notification.$inferInsert)[] = [];
    for (const event of observed) {
      const route = routes.get(event.trackedRouteId);
      const routeRules = byRoute.get(event.trackedRouteId) ?? [];
      if (!route || routeRules.length === 0) continue;
      const level = routeRules.some((r) => r.kind === "insight_low") ? await levelOf(tx, ctx, route, event, now) : null;
      const observation = { priceMinor: event.priceMinor, currency: event.currency, observedAt: event.observedAt, departureDate: event.departureDate, returnDate: event.returnDate, level };
      const alerts: { rule: AlertRuleRow; message: AlertMessage }[] = [];
      for (const rule of routeRules) {
        const decision = evaluateAlerts(ruleOf(rule, route.currency), states.get(rule.id)!, observation);
        states.set(rule.id, decision.state);
        if (decision.alert) alerts.push({ rule, message: decision.message });
      }
      const primary = primaryMessage(alerts);
      if (!primary) continue;
      fired.push({
        userId: route.user_id,
        trackedRouteId: route.id,
        ruleId: primary.rule.id,
        observedAt: new Date(event.observedAt),
        kind: primary.message.kind,
        reasons: alerts.map((a) => ({ ruleId: a.rule.id, ...a.message })),
        priceMinor: event.priceMinor,
        previousPriceMinor: event.previousPriceMinor,
        referenceMinor: primary.message.referenceMinor,
        currency: event.currency,
        departureDate: event.departureDate,
        returnDate: event.returnDate,
        level,
        simulated: event.simulated === true,
        createdAt: now,
      });
    }
    await saveRuleStates(
      tx,
      rules.map((r) => ({ id: r.id, state: states.get(r.id) as unknown as Record<string, unknown> })),
      now,
    );
    const written = fired.length ? await tx.insert(notification).values(fired).onConflictDoNothing().returning({ id: notification.id, userId: notification.userId, trackedRouteId: notification.trackedRouteId }) : [];
    const deliveries = await planDeliveries(tx, written, now);
    const inserted = deliveries.length
      ? await tx.insert(notificationDelivery).values(deliveries).onConflictDoNothing().returning({ id: notificationDelivery.id, status: notificationDelivery.status, nextAttemptAt: notificationDelivery.nextAttemptAt })
      : [];
    await enqueueDeliveries(
      boss,
      tx,
      inserted.filter((d) => d.status === "pending").map((d) => ({ deliveryId: d.id, attempt: 1, startAfter: d.nextAttemptAt ?? now })),
    );
    await tx.execute(sql`UPDATE ${eventOutbox} SET processed_at = ${now.toISOString()}::timestamptz WHERE ${inArray(eventOutbox.id, events.map((e) => Number(e.id)))}`);
    return { events: events.length, notifications: written.length, deliveries: inserted.length };
  });
}

function ruleOf(row: AlertRuleRow, currency: string): AlertRule {
  return {
    kind: row.kind,
    currency,
    targetMinor: row.targetMinor ?? undefined,
    dropPercent: row.dropPercent ?? undefined,
    dropMinor: row.dropMinor ?? undefined,
    floorMinor: row.floorMinor ?? undefined,
    floorPercent: row.floorPercent ?? undefined,
    cooldownHours: row.cooldownHours,
  };
}

/**
 * The price insight's verdict on a check's price (per traveller paying a seat, the figure the
 * insight's history is kept in), null when the history is too thin to judge.
 */
async function levelOf(db: Db, ctx: Pick<AppContext, "reference">, route: RouteRow, event: TrackedRouteObserved, now: Date): Promise<PriceLevel | null> {
  const origin = placeOf(ctx.reference, route.origin);
  const destination = placeOf(ctx.reference, route.destination);
  if (!event.departureDate || !origin || !destination) return null;
  const history = await priceStats(db, {
    origins: airportsOf(origin),
    destinations: airportsOf(destination),
    currency: route.currency,
    cabin: route.cabin,
    departureDate: event.departureDate,
    roundTrip: event.returnDate !== null,
    now,
  });
  const { stats, ...totals } = history;
  const insight = priceInsight(Math.round(event.priceMinor / Math.max(1, route.adults + route.children)), stats, totals);
  return insight.status === "ok" ? insight.level : null;
}

/**
 * The deliveries of new notifications: one per channel the route alerts on. Email waits for the
 * daily digest when its owner chose that; email and phone wait out quiet hours (a webhook is a
 * machine: it is told at once); past the daily cap the channels are skipped (the notification
 * stays in the app).
 */
async function planDeliveries(db: Db, written: { id: string; userId: string; trackedRouteId: string }[], now: Date): Promise<(typeof notificationDelivery.$inferInsert)[]> {
  if (written.length === 0) return [];
  const userIds = [...new Set(written.map((n) => n.userId))];
  const [channels, preferences, sent] = await Promise.all([channelsFor(db, [...new Set(written.map((n) => n.trackedRouteId))]), preferencesOf(db, userIds), sentSince(db, userIds, new Date(now.getTime() - DAY_MS))]);
  const counted = new Map(sent);
  return written.flatMap((n) => {
    const prefs = preferences.get(n.userId)!;
    const count = (counted.get(n.userId) ?? 0) + 1;
    const routeChannels = channels.get(n.trackedRouteId) ?? [];
    if (routeChannels.length) counted.set(n.userId, count);
    return routeChannels.map((channel) => {
      let status: DeliveryStatus = "pending";
      let lastError: string | null = null;
      let nextAttemptAt: Date | null = now;
      if (count > prefs.dailyCap) {
        status = "skipped";
        lastError = `daily cap of ${prefs.dailyCap} reached`;
        nextAttemptAt = null;
      } else if (channel.kind === "email" && prefs.mode === "digest") {
        status = "digest";
        nextAttemptAt = null;
      } else if (channel.kind !== "webhook") {
        nextAttemptAt = afterQuietHours(now, prefs);
      }
      return { notificationId: n.id, channelId: channel.id, status, lastError, nextAttemptAt, createdAt: now };
    });
  });
}
