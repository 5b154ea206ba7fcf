import { sql } from "drizzle-orm";
import { bigint, boolean, check, date, doublePrecision, index, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { appUser } from "./auth";
import { trackedRoute } from "./tracking";

/**
 * Price alerts (issue 12): the rules on each tracked route, the channels a user is reached on,
 * the notifications the rules wrote and each channel's delivery of them, with every attempt.
 */

// The same lists as in server/core/alert-rules.ts and server/core/alerts.ts (a test checks).
export const alertRuleKindValues = ["below_target", "drop", "new_low", "insight_low"] as const;
export const channelKindValues = ["email", "webhook", "ntfy"] as const;
export const deliveryStatusValues = ["pending", "sent", "failed", "skipped", "digest"] as const;
export const alertModeValues = ["instant", "digest"] as const;

/**
 * One rule of a tracked route: when its price alerts the owner. `state` is the rule's memory
 * between observations (baseline, lowest seen, last alert, armed), written in the same
 * transaction as the notification it causes.
 */
export const alertRule = pgTable(
  "alert_rule",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    trackedRouteId: uuid("tracked_route_id")
      .notNull()
      .references(() => trackedRoute.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => appUser.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: alertRuleKindValues }).notNull(),
    targetMinor: bigint("target_minor", { mode: "number" }),
    dropPercent: doublePrecision("drop_percent"),
    dropMinor: bigint("drop_minor", { mode: "number" }),
    floorMinor: bigint("floor_minor", { mode: "number" }),
    floorPercent: doublePrecision("floor_percent"),
    cooldownHours: integer("cooldown_hours").notNull().default(24),
    enabled: boolean("enabled").notNull().default(true),
    state: jsonb("state").$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [
    index("alert_rule_tracked_route_id_idx").on(t.trackedRouteId),
    index("alert_rule_user_id_idx").on(t.userId),
    check("alert_rule_kind_check", sql`${t.kind} IN ('below_target', 'drop', 'new_low', 'insight_low')`),
    check("alert_rule_target_check", sql`(${t.kind} = 'below_target') = (${t.targetMinor} IS NOT NULL)`),
    check("alert_rule_drop_check", sql`${t.kind} <> 'drop' OR ${t.dropPercent} IS NOT NULL OR ${t.dropMinor} IS NOT NULL`),
    check("alert_rule_cooldown_check", sql`${t.cooldownHours} BETWEEN 0 AND 720`),
  ],
);

/**
 * Where a user is reached besides the app: their account's email address, a webhook endpoint
 * (its signing secret sealed with the app's secret), or an ntfy topic. A channel that keeps
 * failing (or a webhook answering 410) is disabled, with the reason.
 */
export const notificationChannel = pgTable(
  "notification_channel",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => appUser.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: channelKindValues }).notNull(),
    name: text("name").notNull(),
    /** The email address, the webhook's URL or the ntfy topic's URL. */
    target: text("target").notNull(),
    /** Webhook signing secret / ntfy access token, sealed (server/alerts/secret-box.ts). */
    secretSealed: text("secret_sealed"),
    enabled: boolean("enabled").notNull().default(true),
    disabledReason: text("disabled_reason"),
    consecutiveFailures: integer("consecutive_failures").notNull().default(0),
    lastSuccessAt: timestamp("last_success_at", { withTimezone: true, mode: "date" }),
    lastFailureAt: timestamp("last_failure_at", { withTimezone: true, mode: "date" }),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [
    unique("notification_channel_user_kind_target_key").on(t.userId, t.kind, t.target),
    check("notification_channel_kind_check", sql`${t.kind} IN ('email', 'webhook', 'ntfy')`),
  ],
);

/** A channel a tracked route does not alert on (a route alerts on all its owner's channels by default). */
export const trackedRouteMute = pgTable(
  "tracked_route_mute",
  {
    trackedRouteId: uuid("tracked_route_id")
      .notNull()
      .references(() => trackedRoute.id, { onDelete: "cascade" }),
    channelId: uuid("channel_id")
      .notNull()
      .references(() => notificationChannel.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ name: "tracked_route_mute_pk", columns: [t.trackedRouteId, t.channelId] })],
);

/** How a user wants to be reached: at once or one email a day, quiet hours in their time zone, a cap per day. */
export const notificationPreference = pgTable(
  "notification_preference",
  {
    userId: uuid("user_id")
      .primaryKey()
      .references(() => appUser.id, { onDelete: "cascade" }),
    mode: text("mode", { enum: alertModeValues }).notNull().default("instant"),
    timeZone: text("time_zone").notNull().default("UTC"),
    /** Quiet hours, minutes after local midnight; both or neither. */
    quietStart: smallint("quiet_start"),
    quietEnd: smallint("quiet_end"),
    dailyCap: integer("daily_cap").notNull().default(20),
    /** The local hour the daily digest goes out. */
    digestHour: smallint("digest_hour").notNull().default(8),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [
    check("notification_preference_mode_check", sql`${t.mode} IN ('instant', 'digest')`),
    check("notification_preference_quiet_check", sql`(${t.quietStart} IS NULL) = (${t.quietEnd} IS NULL)`),
  ],
);

/**
 * What a rule's alert told its owner: the in-app notification, and the history on the tracked
 * route. One per (rule, observation): the idempotency key, so evaluating an observation twice
 * writes nothing twice. When several rules of a route fire on one check, one notification names
 * them all (`reasons`) under the first.
 */
export const notification = pgTable(
  "notification",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => appUser.id, { onDelete: "cascade" }),
    trackedRouteId: uuid("tracked_route_id")
      .notNull()
      .references(() => trackedRoute.id, { onDelete: "cascade" }),
    ruleId: uuid("rule_id").references(() => alertRule.id, { onDelete: "set null" }),
    observedAt: timestamp("observed_at", { withTimezone: true, mode: "date" }).notNull(),
    kind: text("kind", { enum: alertRuleKindValues }).notNull(),
    reasons: jsonb("reasons").$type<Record<string, unknown>[]>().notNull(),
    priceMinor: bigint("price_minor", { mode: "number" }).notNull(),
    previousPriceMinor: bigint("previous_price_minor", { mode: "number" }),
    referenceMinor: bigint("reference_minor", { mode: "number" }),
    currency: text("currency").notNull(),
    departureDate: date("departure_date", { mode: "string" }),
    returnDate: date("return_date", { mode: "string" }),
    level: text("level"),
    simulated: boolean("simulated").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    readAt: timestamp("read_at", { withTimezone: true, mode: "date" }),
  },
  (t) => [
    unique("notification_rule_observed_key").on(t.ruleId, t.observedAt),
    index("notification_user_created_idx").on(t.userId, t.createdAt),
    index("notification_user_unread_idx").on(t.userId).where(sql`${t.readAt} IS NULL`),
    index("notification_tracked_route_idx").on(t.trackedRouteId, t.createdAt),
  ],
);

/**
 * One notification on one channel. Its id is the webhook's `webhook-id` (the same on every
 * retry) and the email's Message-ID. `pending` deliveries have a queue job for their next
 * attempt; `digest` ones wait for the owner's daily email.
 */
export const notificationDelivery = pgTable(
  "notification_delivery",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    notificationId: uuid("notification_id")
      .notNull()
      .references(() => notification.id, { onDelete: "cascade" }),
    channelId: uuid("channel_id")
      .notNull()
      .references(() => notificationChannel.id, { onDelete: "cascade" }),
    status: text("status", { enum: deliveryStatusValues }).notNull(),
    attempts: smallint("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true, mode: "date" }),
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
    sentAt: timestamp("sent_at", { withTimezone: true, mode: "date" }),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [
    unique("notification_delivery_notification_channel_key").on(t.notificationId, t.channelId),
    index("notification_delivery_channel_idx").on(t.channelId, t.createdAt),
    index("notification_delivery_waiting_idx").on(t.status).where(sql`${t.status} IN ('pending', 'digest')`),
    // The admin console: deliveries of the last day by channel kind, and the failed ones.
    index("notification_delivery_created_at_idx").on(t.createdAt),
    index("notification_delivery_failed_idx").on(t.createdAt).where(sql`${t.status} = 'failed'`),
    check("notification_delivery_status_check", sql`${t.status} IN ('pending', 'sent', 'failed', 'skipped', 'digest')`),
  ],
);

/** Every attempt to reach a channel (a delivery's, or a "send test"): the channel's delivery log. */
export const deliveryAttempt = pgTable(
  "delivery_attempt",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    channelId: uuid("channel_id")
      .notNull()
      .references(() => notificationChannel.id, { onDelete: "cascade" }),
    /** Null for a test message. */
    deliveryId: uuid("delivery_id").references(() => notificationDelivery.id, { onDelete: "cascade" }),
    attemptedAt: timestamp("attempted_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    ok: boolean("ok").notNull(),
    statusCode: integer("status_code"),
    error: text("error"),
    durationMs: integer("duration_ms").notNull(),
  },
  (t) => [index("delivery_attempt_channel_idx").on(t.channelId, t.attemptedAt), index("delivery_attempt_delivery_idx").on(t.deliveryId)],
);
