import { and, count, eq, inArray } from "drizzle-orm";
import {
  channelLog,
  deliveriesOf,
  initialRuleState,
  listNotifications,
  markRead,
  preferencesOf,
  recordAttempt,
  rulesOfRoutes,
  savePreferences,
  unreadCount,
  type AlertRuleRow,
  type ChannelRow,
  type NotificationRow,
} from "@/db/queries/alerts";
import { alertRule, appUser, notification, notificationChannel, trackedRoute, trackedRouteMute } from "@/db/schema";
import type { Db } from "@/db/client";
import type { PriceLevel } from "@/server/core/alert-rules";
import {
  MAX_CHANNELS_PER_USER,
  MAX_RULES_PER_ROUTE,
  type AlertPreferences,
  type AlertRuleInput,
  type ChannelInput,
  type ChannelKind,
  type DeliveryStatus,
  type PreferencesInput,
  type UpdateAlertRuleInput,
  type UpdateChannelInput,
} from "@/server/core/alerts";
import { LimitReachedError, NotFoundError, ValidationError } from "@/server/core/errors";
import { toMajor, toMinor } from "@/server/core/money";
import type { AppContext } from "@/server/context";
import { authSecrets } from "@/server/auth/secret";
import { alertPolicy, appBaseUrl } from "@/server/alerts/config";
import { deliveryFor } from "@/server/auth/email";
import { sendEmail } from "@/server/alerts/email";
import { sendNtfy } from "@/server/alerts/ntfy";
import { open, seal } from "@/server/alerts/secret-box";
import { readUnsubscribeToken } from "@/server/alerts/unsubscribe";
import { newWebhookSecret, sendWebhook } from "@/server/alerts/webhook";
import { urlProblem } from "@/server/net/ssrf";

/** What the alert services need from the app context. */
export type AlertsContext = Pick<AppContext, "db" | "clock" | "config" | "reference" | "database">;

interface Amount {
  amount: number;
  currency: string;
}

const money = (minor: number | null, currency: string): Amount | null => (minor === null ? null : { amount: toMajor({ amountMinor: minor, currency }), currency });

/** A rule as every surface shows it. */
export interface AlertRuleView {
  id: string;
  trackedRouteId: string;
  kind: AlertRuleRow["kind"];
  target: Amount | null;
  dropPercent: number | null;
  dropAmount: Amount | null;
  floorAmount: Amount | null;
  floorPercent: number | null;
  cooldownHours: number;
  enabled: boolean;
  lastAlert: { at: string; price: Amount } | null;
  createdAt: string;
}

export interface ChannelView {
  id: string;
  kind: ChannelKind;
  name: string;
  /** The address, or the URL with any query string hidden (it may hold a token). */
  target: string;
  enabled: boolean;
  disabledReason: string | null;
  consecutiveFailures: number;
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
  createdAt: string;
}

export interface NotificationView {
  id: string;
  trackedRouteId: string;
  kind: NotificationRow["kind"];
  reasons: string[];
  price: Amount & { simulated: boolean };
  previousPrice: Amount | null;
  reference: Amount | null;
  departureDate: string | null;
  returnDate: string | null;
  level: PriceLevel | null;
  route: { originCode: string; destinationCode: string };
  observedAt: string;
  createdAt: string;
  read: boolean;
  deliveries: { channelId: string; kind: ChannelKind; name: string; status: DeliveryStatus; attempts: number; lastStatusCode: number | null; lastError: string | null; sentAt: string | null }[];
}

const NO_ROUTE = "You have no tracked route with this id.";
const NO_RULE = "You have no alert rule with this id.";
const NO_CHANNEL = "You have no notification channel with this id.";

async function ownedRoute(db: Db, userId: string, id: string) {
  const [route] = await db.select().from(trackedRoute).where(and(eq(trackedRoute.id, id), eq(trackedRoute.userId, userId)));
  if (!route) throw new NotFoundError(NO_ROUTE);
  return route;
}

function ruleView(row: AlertRuleRow, currency: string): AlertRuleView {
  const state = row.state as { lastAlertMinor?: number | null; lastAlertAt?: string | null };
  return {
    id: row.id,
    trackedRouteId: row.trackedRouteId,
    kind: row.kind,
    target: money(row.targetMinor, currency),
    dropPercent: row.dropPercent,
    dropAmount: money(row.dropMinor, currency),
    floorAmount: money(row.floorMinor, currency),
    floorPercent: row.floorPercent,
    cooldownHours: row.cooldownHours,
    enabled: row.enabled,
    lastAlert: state.lastAlertAt && state.lastAlertMinor != null ? { at: state.lastAlertAt, price: money(state.lastAlertMinor, currency)! } : null,
    createdAt: row.createdAt.toISOString(),
  };
}

// ---- Rules ----

export async function listRules(ctx: AlertsContext, userId: string, trackedRouteId: string): Promise<AlertRuleView[]> {
  const route = await ownedRoute(ctx.db, userId, trackedRouteId);
  return (await rulesOfRoutes(ctx.db, [route.id])).map((r) => ruleView(r, route.currency));
}

/** Adds a rule to a tracked route; its baseline is the route's current price, so the next check can alert. */
export async function addRule(ctx: AlertsContext, userId: string, trackedRouteId: string, input: AlertRuleInput): Promise<AlertRuleView> {
  const now = ctx.clock();
  return ctx.db.transaction(async (tx) => {
    const route = await ownedRoute(tx, userId, trackedRouteId);
    const [existing] = await tx.select({ n: count() }).from(alertRule).where(eq(alertRule.trackedRouteId, route.id));
    if ((existing?.n ?? 0) >= MAX_RULES_PER_ROUTE) throw new LimitReachedError(`A tracked route has at most ${MAX_RULES_PER_ROUTE} alert rules; delete one to add another.`);
    const minor = (amount: number | undefined) => (amount === undefined ? null : toMinor(amount, route.currency));
    const [row] = await tx
      .insert(alertRule)
      .values({
        trackedRouteId: route.id,
        userId,
        kind: input.kind,
        targetMinor: minor(input.targetAmount),
        dropPercent: input.dropPercent ?? null,
        dropMinor: minor(input.dropAmount),
        floorMinor: minor(input.floorAmount),
        floorPercent: input.floorPercent ?? null,
        cooldownHours: input.cooldownHours,
        enabled: input.enabled,
        state: initialRuleState(route.currentPriceMinor),
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    return ruleView(row!, route.currency);
  });
}

async function ownedRule(db: Db, userId: string, id: string) {
  const [row] = await db
    .select({ rule: alertRule, currency: trackedRoute.currency })
    .from(alertRule)
    .innerJoin(trackedRoute, eq(trackedRoute.id, alertRule.trackedRouteId))
    .where(and(eq(alertRule.id, id), eq(alertRule.userId, userId)));
  if (!row) throw new NotFoundError(NO_RULE);
  return row;
}

export async function updateRule(ctx: AlertsContext, userId: string, id: string, patch: UpdateAlertRuleInput): Promise<AlertRuleView> {
  const { rule, currency } = await ownedRule(ctx.db, userId, id);
  if (patch.targetAmount !== undefined && rule.kind !== "below_target") throw ValidationError.of("targetAmount", "only for below_target rules");
  const [row] = await ctx.db
    .update(alertRule)
    .set({
      ...(patch.enabled !== undefined ? { enabled: patch.enabled } : {}),
      ...(patch.cooldownHours !== undefined ? { cooldownHours: patch.cooldownHours } : {}),
      ...(patch.targetAmount !== undefined ? { targetMinor: toMinor(patch.targetAmount, currency), state: { ...rule.state, armed: true } } : {}),
      updatedAt: ctx.clock(),
    })
    .where(and(eq(alertRule.id, id), eq(alertRule.userId, userId)))
    .returning();
  return ruleView(row!, currency);
}

export async function deleteRule(ctx: AlertsContext, userId: string, id: string): Promise<void> {
  const rows = await ctx.db.delete(alertRule).where(and(eq(alertRule.id, id), eq(alertRule.userId, userId))).returning({ id: alertRule.id });
  if (rows.length === 0) throw new NotFoundError(NO_RULE);
}

// ---- Channels ----

function channelView(row: ChannelRow): ChannelView {
  let target = row.target;
  if (row.kind !== "email") {
    const url = new URL(row.target);
    target = `${url.origin}${url.pathname}${url.search ? "?…" : ""}`;
  }
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    target,
    enabled: row.enabled,
    disabledReason: row.disabledReason,
    consecutiveFailures: row.consecutiveFailures,
    lastSuccessAt: row.lastSuccessAt?.toISOString() ?? null,
    lastFailureAt: row.lastFailureAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

export async function listChannels(ctx: AlertsContext, userId: string): Promise<ChannelView[]> {
  const rows = await ctx.db.select().from(notificationChannel).where(eq(notificationChannel.userId, userId)).orderBy(notificationChannel.createdAt);
  return rows.map(channelView);
}

/**
 * Adds a channel. A webhook gets a signing secret, returned here once (it is kept sealed);
 * URLs are checked by the SSRF guard now and again at every send. Email goes to the account's
 * own address only (no address of someone else's can be made to receive alerts).
 */
export async function addChannel(ctx: AlertsContext, userId: string, input: ChannelInput): Promise<{ channel: ChannelView; secret: string | null }> {
  const now = ctx.clock();
  let target: string;
  let secret: string | null = null;
  let sealed: string | null = null;
  if (input.kind === "email") {
    const [user] = await ctx.db.select({ email: appUser.email }).from(appUser).where(eq(appUser.id, userId));
    if (!user?.email) throw ValidationError.of("kind", "your account has no email address; sign in with email to add one");
    target = user.email;
  } else {
    const problem = urlProblem(input.url, alertPolicy(ctx.config));
    if (problem) throw ValidationError.of("url", problem);
    target = input.url;
    const keys = await authSecrets(ctx.db, ctx.config.auth);
    if (input.kind === "webhook") {
      secret = newWebhookSecret();
      sealed = seal(secret, keys);
    } else if (input.token) {
      sealed = seal(input.token, keys);
    }
  }
  const row = await ctx.db.transaction(async (tx) => {
    const [existing] = await tx.select({ n: count() }).from(notificationChannel).where(eq(notificationChannel.userId, userId));
    if ((existing?.n ?? 0) >= MAX_CHANNELS_PER_USER) throw new LimitReachedError(`An account has at most ${MAX_CHANNELS_PER_USER} channels; delete one to add another.`);
    const [inserted] = await tx
      .insert(notificationChannel)
      .values({ userId, kind: input.kind, name: input.name, target, secretSealed: sealed, createdAt: now, updatedAt: now })
      .onConflictDoNothing()
      .returning();
    if (!inserted) throw ValidationError.of(input.kind === "email" ? "kind" : "url", "you have this channel already");
    return inserted;
  });
  return { channel: channelView(row), secret };
}

async function ownedChannel(db: Db, userId: string, id: string): Promise<ChannelRow> {
  const [row] = await db.select().from(notificationChannel).where(and(eq(notificationChannel.id, id), eq(notificationChannel.userId, userId)));
  if (!row) throw new NotFoundError(NO_CHANNEL);
  return row;
}

/** Renames, disables or enables (again, after fixing it: its failures start from zero). */
export async function updateChannel(ctx: AlertsContext, userId: string, id: string, patch: UpdateChannelInput): Promise<ChannelView> {
  await ownedChannel(ctx.db, userId, id);
  const [row] = await ctx.db
    .update(notificationChannel)
    .set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.enabled !== undefined ? { enabled: patch.enabled, disabledReason: null, ...(patch.enabled ? { consecutiveFailures: 0 } : {}) } : {}),
      updatedAt: ctx.clock(),
    })
    .where(and(eq(notificationChannel.id, id), eq(notificationChannel.userId, userId)))
    .returning();
  return channelView(row!);
}

export async function deleteChannel(ctx: AlertsContext, userId: string, id: string): Promise<void> {
  const rows = await ctx.db
    .delete(notificationChannel)
    .where(and(eq(notificationChannel.id, id), eq(notificationChannel.userId, userId)))
    .returning({ id: notificationChannel.id });
  if (rows.length === 0) throw new NotFoundError(NO_CHANNEL);
}

/** Sends a test message to a channel now and records the attempt in its log. */
export async function testChannel(ctx: AlertsContext, userId: string, id: string): Promise<{ ok: boolean; status: number | null; error: string | null; durationMs: number }> {
  const channel = await ownedChannel(ctx.db, userId, id);
  const keys = await authSecrets(ctx.db, ctx.config.auth);
  const policy = alertPolicy(ctx.config);
  const now = ctx.clock();
  const text = "This is a test message from Flight Tracker: this channel works.";
  const started = Date.now();
  const outcome =
    channel.kind === "webhook"
      ? await sendWebhook(
          { url: channel.target, secret: open(channel.secretSealed!, keys) },
          { id: `msg_test_${crypto.randomUUID()}`, type: "test", timestamp: now, payload: { message: text, channelId: channel.id } },
          { policy, timeoutMs: 10_000 },
        )
      : channel.kind === "ntfy"
        ? await sendNtfy(channel.target, { title: "Flight Tracker", body: text }, { policy, timeoutMs: 10_000, token: channel.secretSealed ? open(channel.secretSealed, keys) : undefined })
        : await sendEmail(
            ctx.config.auth.email.server,
            ctx.config.auth.email.from,
            { to: channel.target, subject: "Flight Tracker: test message", text, html: `<p>${text}</p>`, headers: {}, url: `${appBaseUrl(ctx.config)}/alerts` },
            deliveryFor(ctx),
          ).then(
            () => ({ ok: true as const, status: 250, durationMs: Date.now() - started }),
            (error: unknown) => ({ ok: false as const, status: null, error: error instanceof Error ? error.message : String(error), durationMs: Date.now() - started }),
          );
  const error = outcome.ok ? null : outcome.error;
  await recordAttempt(ctx.db, { channelId: channel.id, deliveryId: null, attemptedAt: now, ok: outcome.ok, statusCode: outcome.status, error, durationMs: Math.round(outcome.durationMs) });
  return { ok: outcome.ok, status: outcome.status, error, durationMs: Math.round(outcome.durationMs) };
}

export async function channelAttempts(ctx: AlertsContext, userId: string, id: string, limit = 50) {
  await ownedChannel(ctx.db, userId, id);
  const rows = await channelLog(ctx.db, id, limit);
  return rows.map((r) => ({ at: r.attemptedAt.toISOString(), ok: r.ok, status: r.statusCode, error: r.error, durationMs: r.durationMs, deliveryId: r.deliveryId, test: r.deliveryId === null }));
}

/** Which of its owner's channels a tracked route alerts on. */
export async function routeChannels(ctx: AlertsContext, userId: string, trackedRouteId: string): Promise<{ channel: ChannelView; enabled: boolean }[]> {
  await ownedRoute(ctx.db, userId, trackedRouteId);
  const [channels, muted] = await Promise.all([
    ctx.db.select().from(notificationChannel).where(eq(notificationChannel.userId, userId)).orderBy(notificationChannel.createdAt),
    ctx.db.select({ channelId: trackedRouteMute.channelId }).from(trackedRouteMute).where(eq(trackedRouteMute.trackedRouteId, trackedRouteId)),
  ]);
  const off = new Set(muted.map((m) => m.channelId));
  return channels.map((c) => ({ channel: channelView(c), enabled: !off.has(c.id) }));
}

/** Sets the channels a tracked route alerts on (the others are muted for it). */
export async function setRouteChannels(ctx: AlertsContext, userId: string, trackedRouteId: string, channelIds: string[]): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    await ownedRoute(tx, userId, trackedRouteId);
    const channels = await tx.select({ id: notificationChannel.id }).from(notificationChannel).where(eq(notificationChannel.userId, userId));
    const known = new Set(channels.map((c) => c.id));
    const unknown = channelIds.filter((id) => !known.has(id));
    if (unknown.length) throw ValidationError.of("channelIds", `you have no channel with the id ${unknown[0]}`);
    await tx.delete(trackedRouteMute).where(eq(trackedRouteMute.trackedRouteId, trackedRouteId));
    const mute = channels.filter((c) => !channelIds.includes(c.id));
    if (mute.length) await tx.insert(trackedRouteMute).values(mute.map((c) => ({ trackedRouteId, channelId: c.id })));
  });
}

/**
 * One-click unsubscribe from an alert email (a signed link, no sign-in): that tracked route
 * stops emailing its owner. Idempotent. False when the link is not one of ours.
 */
export async function unsubscribeRoute(ctx: AlertsContext, token: string): Promise<{ trackedRouteId: string; origin: string; destination: string } | null> {
  const claim = readUnsubscribeToken(token, await authSecrets(ctx.db, ctx.config.auth));
  if (!claim) return null;
  const [route] = await ctx.db
    .select({ id: trackedRoute.id, origin: trackedRoute.origin, destination: trackedRoute.destination })
    .from(trackedRoute)
    .where(and(eq(trackedRoute.id, claim.trackedRouteId), eq(trackedRoute.userId, claim.userId)));
  if (!route) return null;
  const emails = await ctx.db
    .select({ id: notificationChannel.id })
    .from(notificationChannel)
    .where(and(eq(notificationChannel.userId, claim.userId), eq(notificationChannel.kind, "email")));
  if (emails.length) await ctx.db.insert(trackedRouteMute).values(emails.map((c) => ({ trackedRouteId: route.id, channelId: c.id }))).onConflictDoNothing();
  return { trackedRouteId: route.id, origin: route.origin, destination: route.destination };
}

// ---- Preferences ----

export async function getPreferences(ctx: AlertsContext, userId: string): Promise<AlertPreferences> {
  return (await preferencesOf(ctx.db, [userId])).get(userId)!;
}

export async function setPreferences(ctx: AlertsContext, userId: string, input: PreferencesInput): Promise<AlertPreferences> {
  const current = await getPreferences(ctx, userId);
  const next: AlertPreferences = {
    mode: input.mode ?? current.mode,
    timeZone: input.timeZone ?? current.timeZone,
    quietHours: input.quietHours === undefined ? current.quietHours : input.quietHours,
    dailyCap: input.dailyCap ?? current.dailyCap,
    digestHour: input.digestHour ?? current.digestHour,
  };
  await savePreferences(ctx.db, userId, next, ctx.clock());
  return next;
}

// ---- Notifications ----

/** A page of notifications, newest first; `cursor` is the last one's id of the page before. */
export async function notificationsPage(
  ctx: AlertsContext,
  userId: string,
  options: { limit: number; cursor?: string; trackedRouteId?: string; unreadOnly?: boolean },
): Promise<{ items: NotificationView[]; nextCursor: string | null; unread: number }> {
  let before: Date | undefined;
  if (options.cursor) {
    const [at] = await ctx.db.select({ createdAt: notification.createdAt }).from(notification).where(and(eq(notification.id, options.cursor), eq(notification.userId, userId)));
    if (!at) throw ValidationError.of("cursor", "is not a cursor of this list");
    before = at.createdAt;
  }
  if (options.trackedRouteId) await ownedRoute(ctx.db, userId, options.trackedRouteId);
  const rows = await listNotifications(ctx.db, userId, { limit: options.limit + 1, before, trackedRouteId: options.trackedRouteId, unreadOnly: options.unreadOnly });
  const page = rows.slice(0, options.limit);
  const [items, unread] = await Promise.all([notificationViews(ctx.db, page), unreadCount(ctx.db, userId)]);
  return { items, nextCursor: rows.length > options.limit ? page.at(-1)!.id : null, unread };
}

async function notificationViews(db: Db, rows: NotificationRow[]): Promise<NotificationView[]> {
  const [deliveries, routes] = await Promise.all([
    deliveriesOf(
      db,
      rows.map((r) => r.id),
    ),
    rows.length ? db.select({ id: trackedRoute.id, origin: trackedRoute.origin, destination: trackedRoute.destination }).from(trackedRoute).where(inArray(trackedRoute.id, [...new Set(rows.map((r) => r.trackedRouteId))])) : [],
  ]);
  const routeOf = new Map(routes.map((r) => [r.id, r]));
  return rows.map((n) => ({
    id: n.id,
    trackedRouteId: n.trackedRouteId,
    kind: n.kind,
    reasons: n.reasons.map((r) => String(r.kind)),
    price: { ...money(n.priceMinor, n.currency)!, simulated: n.simulated },
    previousPrice: money(n.previousPriceMinor, n.currency),
    reference: money(n.referenceMinor, n.currency),
    departureDate: n.departureDate,
    returnDate: n.returnDate,
    level: (n.level as PriceLevel | null) ?? null,
    route: { originCode: routeOf.get(n.trackedRouteId)?.origin ?? "", destinationCode: routeOf.get(n.trackedRouteId)?.destination ?? "" },
    observedAt: n.observedAt.toISOString(),
    createdAt: n.createdAt.toISOString(),
    read: n.readAt !== null,
    deliveries: deliveries
      .filter((d) => d.delivery.notificationId === n.id)
      .map((d) => ({
        channelId: d.delivery.channelId,
        kind: d.kind,
        name: d.name,
        status: d.delivery.status,
        attempts: d.delivery.attempts,
        lastStatusCode: d.delivery.lastStatusCode,
        lastError: d.delivery.lastError,
        sentAt: d.delivery.sentAt?.toISOString() ?? null,
      })),
  }));
}

export async function unreadNotifications(ctx: AlertsContext, userId: string): Promise<number> {
  return unreadCount(ctx.db, userId);
}

/** Marks notifications read (these ids, or all); ids of another user's are ignored. */
export async function markNotificationsRead(ctx: AlertsContext, userId: string, ids: string[] | "all"): Promise<{ marked: number; unread: number }> {
  const marked = await markRead(ctx.db, userId, ids, ctx.clock());
  return { marked, unread: await unreadCount(ctx.db, userId) };
}

/** One notification of the user; `markRead` when the user opens it (a page), not when a client reads it. */
export async function getNotification(ctx: AlertsContext, userId: string, id: string, options: { markRead?: boolean } = {}): Promise<NotificationView> {
  const [row] = await ctx.db.select().from(notification).where(and(eq(notification.id, id), eq(notification.userId, userId)));
  if (!row) throw new NotFoundError("You have no notification with this id.");
  if (options.markRead && !row.readAt) {
    row.readAt = ctx.clock();
    await markRead(ctx.db, userId, [id], row.readAt);
  }
  return (await notificationViews(ctx.db, [row]))[0]!;
}
