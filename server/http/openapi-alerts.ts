import { z } from "zod";
import { ALERT_RULE_KINDS } from "@/server/core/alert-rules";
import {
  ALERT_MODES,
  alertRuleInput,
  CHANNEL_KINDS,
  channelInput,
  DELIVERY_STATUSES,
  MAX_CHANNELS_PER_USER,
  MAX_RULES_PER_ROUTE,
  preferencesInput,
  updateAlertRuleInput,
  updateChannelInput,
} from "@/server/core/alerts";
import { markReadInput, notificationsQuery, routeChannelsInput } from "./alerts-endpoint";
import { problem, type Json } from "./openapi-parts";

/** The price alerts part of the OpenAPI document (server/http/openapi.ts puts it together). */

/** The request bodies, from the same zod schemas the endpoints parse with (openapi.ts tidies them). */
const requestSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Json;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const listOf = (key: string, item: string) => ({ type: "object", required: [key], properties: { [key]: { type: "array", items: ref(item) } } });
const one = (key: string, item: string) => ({ type: "object", required: [key], properties: { [key]: ref(item) } });

const dateTime = { type: "string", format: "date-time" };
const nullableDateTime = { type: ["string", "null"], format: "date-time" };
const nullableDate = { type: ["string", "null"], format: "date" };
const amount = { type: "object", required: ["amount", "currency"], properties: { amount: { type: "number" }, currency: { type: "string", pattern: "^[A-Z]{3}$" } } };
const nullableAmount = { oneOf: [amount, { type: "null" }] };
const uuid = { type: "string", format: "uuid" };

export const ALERTS_SCHEMAS: Record<string, Json> = {
  AlertRuleRequest: requestSchema(alertRuleInput),
  UpdateAlertRuleRequest: requestSchema(updateAlertRuleInput),
  NotificationChannelRequest: requestSchema(channelInput),
  UpdateNotificationChannelRequest: requestSchema(updateChannelInput),
  RouteChannelsRequest: requestSchema(routeChannelsInput),
  NotificationPreferencesRequest: requestSchema(preferencesInput),
  MarkNotificationsReadRequest: requestSchema(markReadInput),
  AlertRule: {
    type: "object",
    required: ["id", "trackedRouteId", "kind", "target", "dropPercent", "dropAmount", "floorAmount", "floorPercent", "cooldownHours", "enabled", "lastAlert", "createdAt"],
    description: "Amounts are in the tracked route's currency; the fields of other kinds are null.",
    properties: {
      id: uuid,
      trackedRouteId: uuid,
      kind: { type: "string", enum: [...ALERT_RULE_KINDS] },
      target: nullableAmount,
      dropPercent: { type: ["number", "null"] },
      dropAmount: nullableAmount,
      floorAmount: nullableAmount,
      floorPercent: { type: ["number", "null"] },
      cooldownHours: { type: "integer" },
      enabled: { type: "boolean" },
      lastAlert: {
        description: "When the rule last alerted, and at what price; null if never (or since the route's definition changed).",
        oneOf: [{ type: "object", required: ["at", "price"], properties: { at: dateTime, price: amount } }, { type: "null" }],
      },
      createdAt: dateTime,
    },
  },
  AlertRuleAnswer: one("alertRule", "AlertRule"),
  AlertRuleList: listOf("alertRules", "AlertRule"),
  NotificationChannel: {
    type: "object",
    required: ["id", "kind", "name", "target", "enabled", "disabledReason", "consecutiveFailures", "lastSuccessAt", "lastFailureAt", "createdAt"],
    properties: {
      id: uuid,
      kind: { type: "string", enum: [...CHANNEL_KINDS] },
      name: { type: "string" },
      target: { type: "string", description: "Your account's email address, or the URL with any query string hidden (it may hold a token)." },
      enabled: { type: "boolean" },
      disabledReason: { type: ["string", "null"], description: "Why the app disabled it (it kept failing, or the webhook answered 410); null when you did, or when enabled." },
      consecutiveFailures: { type: "integer" },
      lastSuccessAt: nullableDateTime,
      lastFailureAt: nullableDateTime,
      createdAt: dateTime,
    },
  },
  NotificationChannelAnswer: one("channel", "NotificationChannel"),
  NotificationChannelList: listOf("channels", "NotificationChannel"),
  NewNotificationChannel: {
    type: "object",
    required: ["channel", "secret"],
    properties: {
      channel: ref("NotificationChannel"),
      secret: {
        type: ["string", "null"],
        pattern: "^whsec_",
        description: "A webhook's signing secret (Standard Webhooks: the webhook-signature header is an HMAC-SHA256 with it), shown this once and never again; null for other kinds.",
      },
    },
  },
  ChannelTestResult: {
    type: "object",
    required: ["ok", "status", "error", "durationMs"],
    properties: {
      ok: { type: "boolean", description: "Whether the message got through." },
      status: { type: ["integer", "null"], description: "The HTTP status (SMTP 250 for email); null when no answer came." },
      error: { type: ["string", "null"] },
      durationMs: { type: "integer" },
    },
  },
  DeliveryAttemptList: {
    type: "object",
    required: ["attempts"],
    properties: {
      attempts: {
        type: "array",
        description: "The last 50 attempts to reach the channel, newest first.",
        items: {
          type: "object",
          required: ["at", "ok", "status", "error", "durationMs", "deliveryId", "test"],
          properties: {
            at: dateTime,
            ok: { type: "boolean" },
            status: { type: ["integer", "null"] },
            error: { type: ["string", "null"] },
            durationMs: { type: "integer" },
            deliveryId: { type: ["string", "null"], format: "uuid", description: "The delivery of a notification it was for; null for a test message." },
            test: { type: "boolean" },
          },
        },
      },
    },
  },
  RouteChannelList: {
    type: "object",
    required: ["channels"],
    properties: {
      channels: {
        type: "array",
        description: "Each of your channels, and whether this route alerts on it.",
        items: { type: "object", required: ["channel", "enabled"], properties: { channel: ref("NotificationChannel"), enabled: { type: "boolean" } } },
      },
    },
  },
  NotificationPreferences: {
    type: "object",
    required: ["mode", "timeZone", "quietHours", "dailyCap", "digestHour"],
    properties: {
      mode: { type: "string", enum: [...ALERT_MODES], description: "instant: each alert as it happens; digest: one email a day (other channels stay instant)." },
      timeZone: { type: "string", description: "IANA time zone of the quiet hours and the digest hour.", examples: ["Europe/London"] },
      quietHours: {
        description: "Minutes after local midnight; email and phone alerts wait until the end. null: none.",
        oneOf: [{ type: "object", required: ["start", "end"], properties: { start: { type: "integer" }, end: { type: "integer" } } }, { type: "null" }],
      },
      dailyCap: { type: "integer", description: "Most alerts a day on email, webhook and phone; the rest are in the app only." },
      digestHour: { type: "integer", description: "The local hour the digest goes out." },
    },
  },
  NotificationPreferencesAnswer: one("preferences", "NotificationPreferences"),
  Notification: {
    type: "object",
    required: [
      "id", "trackedRouteId", "kind", "reasons", "price", "previousPrice", "reference", "departureDate", "returnDate", "level", "route", "observedAt", "createdAt", "read", "deliveries",
    ],
    properties: {
      id: uuid,
      trackedRouteId: uuid,
      kind: { type: "string", enum: [...ALERT_RULE_KINDS], description: "The rule that speaks for the alert." },
      reasons: { type: "array", items: { type: "string", enum: [...ALERT_RULE_KINDS] }, description: "Every rule that fired on this check." },
      price: {
        type: "object",
        required: ["amount", "currency", "simulated"],
        properties: { ...amount.properties, simulated: { type: "boolean", description: "From the simulated market: not a fare anyone can buy." } },
      },
      previousPrice: nullableAmount,
      reference: { ...nullableAmount, description: "What the price was compared with: the target, the price before the drop, the low it beat." },
      departureDate: nullableDate,
      returnDate: nullableDate,
      level: { type: ["string", "null"], enum: ["low", "typical", "high", null], description: "The price insight's word for the price, when known." },
      route: { type: "object", required: ["originCode", "destinationCode"], properties: { originCode: { type: "string" }, destinationCode: { type: "string" } } },
      observedAt: dateTime,
      createdAt: dateTime,
      read: { type: "boolean" },
      deliveries: {
        type: "array",
        items: {
          type: "object",
          required: ["channelId", "kind", "name", "status", "attempts", "lastStatusCode", "lastError", "sentAt"],
          properties: {
            channelId: uuid,
            kind: { type: "string", enum: [...CHANNEL_KINDS] },
            name: { type: "string" },
            status: { type: "string", enum: [...DELIVERY_STATUSES], description: "digest: waiting for the daily email." },
            attempts: { type: "integer" },
            lastStatusCode: { type: ["integer", "null"] },
            lastError: { type: ["string", "null"] },
            sentAt: nullableDateTime,
          },
        },
      },
    },
  },
  NotificationAnswer: one("notification", "Notification"),
  NotificationPage: {
    type: "object",
    required: ["notifications", "nextCursor", "unread"],
    properties: {
      notifications: { type: "array", items: ref("Notification"), description: "Newest first." },
      nextCursor: { type: ["string", "null"], format: "uuid", description: "Pass as cursor for the next page; null on the last." },
      unread: { type: "integer", description: "Your unread notifications, all of them (not only this page's)." },
    },
  },
  MarkNotificationsReadResult: {
    type: "object",
    required: ["marked", "unread"],
    properties: { marked: { type: "integer", description: "How many were unread and are now read." }, unread: { type: "integer", description: "Your unread notifications left." } },
  },
};

const readers = [{ apiKey: ["alerts:read"] }, { session: [] }];
const writers = [{ apiKey: ["alerts:write"] }, { session: [] }];
const idParameter = (what: string) => ({ name: "id", in: "path", required: true, description: `The ${what}'s id.`, schema: uuid });
const json = (description: string, schema: string) => ({ description, content: { "application/json": { schema: ref(schema) } } });
const body = (schema: string) => ({ required: true, content: { "application/json": { schema: ref(schema) } } });
const location = (description: string) => ({ Location: { description, schema: { type: "string" } } });
const refusals = (scope: string) => ({
  "401": problem("Not signed in, and no valid API key."),
  "403": problem(`The API key lacks the \`${scope}\` scope, or a session's change came from another site.`),
});
const reads = refusals("alerts:read");
const writes = refusals("alerts:write");
const NO_ROUTE = problem("You have no tracked route with this id.");
const NO_RULE = problem("You have no alert rule with this id.");
const NO_CHANNEL = problem("You have no notification channel with this id.");
const TAG = { rules: ["Alert rules"], channels: ["Notification channels"], notifications: ["Notifications"] };

/** The notification list's query parameters, from the schema the endpoint parses them with. */
function notificationParameters() {
  return Object.entries(notificationsQuery.shape).map(([name, schema]) => ({
    name,
    in: "query",
    required: false,
    description: (schema.meta() as { description?: string } | undefined)?.description,
    // The description is the parameter's; $schema has no place inside a path.
    schema: Object.fromEntries(Object.entries(requestSchema(schema) as Record<string, Json>).filter(([key]) => key !== "$schema" && key !== "description")),
  }));
}

export const ALERTS_PATHS = {
  "/api/v1/tracked-routes/{id}/alert-rules": {
    get: {
      operationId: "listAlertRules",
      tags: TAG.rules,
      summary: "The alert rules of a tracked route",
      description: "A newly tracked route has two: a new low (by 1% at least) and a 10% drop.",
      security: readers,
      parameters: [idParameter("tracked route")],
      responses: { "200": json("The route's rules, oldest first.", "AlertRuleList"), "400": problem("The id is not a tracked route's id."), ...reads, "404": NO_ROUTE },
    },
    post: {
      operationId: "createAlertRule",
      tags: TAG.rules,
      summary: "Add an alert rule to a tracked route",
      description:
        "below_target: at or under targetAmount. drop: fell by dropPercent or dropAmount since the last alert (else since tracking began). new_low: beat the lowest price seen by floorAmount and floorPercent. insight_low: the price insight calls it low. Amounts are in the route's currency. Every rule stays silent on its first price, waits cooldownHours after an alert, and does not alert again until the price has climbed back.",
      security: writers,
      parameters: [idParameter("tracked route")],
      requestBody: body("AlertRuleRequest"),
      responses: {
        "201": { ...json("The rule.", "AlertRuleAnswer"), headers: location("The rule's URL (PATCH, DELETE).") },
        "400": problem("The id or a field is missing, malformed or not for this kind of rule; `errors` names each."),
        ...writes,
        "404": NO_ROUTE,
        "409": problem(`The route has as many rules as it may (${MAX_RULES_PER_ROUTE}).`),
      },
    },
  },
  "/api/v1/alert-rules/{id}": {
    patch: {
      operationId: "updateAlertRule",
      tags: TAG.rules,
      summary: "Enable, disable or change an alert rule",
      description: "Its cooldown, whether it is enabled, and a below_target rule's targetAmount (which re-arms it).",
      security: writers,
      parameters: [idParameter("alert rule")],
      requestBody: body("UpdateAlertRuleRequest"),
      responses: { "200": json("The rule as it is now.", "AlertRuleAnswer"), "400": problem("The id or a field is malformed; `errors` names each."), ...writes, "404": NO_RULE },
    },
    delete: {
      operationId: "deleteAlertRule",
      tags: TAG.rules,
      summary: "Delete an alert rule",
      description: "Its past notifications stay.",
      security: writers,
      parameters: [idParameter("alert rule")],
      responses: { "204": { description: "Deleted." }, "400": problem("The id is not an alert rule's id."), ...writes, "404": NO_RULE },
    },
  },
  "/api/v1/notification-channels": {
    get: {
      operationId: "listNotificationChannels",
      tags: TAG.channels,
      summary: "Your notification channels",
      description: "Where alerts reach you besides the app: your account's email, webhooks and ntfy topics. A webhook's secret is never shown again after it was made.",
      security: readers,
      responses: { "200": json("Your channels, oldest first.", "NotificationChannelList"), ...reads },
    },
    post: {
      operationId: "createNotificationChannel",
      tags: TAG.channels,
      summary: "Add a notification channel",
      description:
        "email: your account's own address (no other). webhook: an http(s) URL on a public address, signed per Standard Webhooks; its signing secret is in this answer only: keep it. ntfy: a topic's URL, with an access token for a protected one. Every tracked route alerts on a new channel until you mute it for the route.",
      security: writers,
      requestBody: body("NotificationChannelRequest"),
      responses: {
        "201": { ...json("The channel, and a webhook's signing secret (shown once).", "NewNotificationChannel"), headers: location("The channel's URL (PATCH, DELETE).") },
        "400": problem("A field is missing or malformed, the URL is not allowed (a private or loopback address), or you have this channel already; `errors` names each."),
        ...writes,
        "409": problem(`You have as many channels as an account may (${MAX_CHANNELS_PER_USER}).`),
      },
    },
  },
  "/api/v1/notification-channels/{id}": {
    patch: {
      operationId: "updateNotificationChannel",
      tags: TAG.channels,
      summary: "Rename, disable or enable a notification channel",
      description: "Enabling it again (after fixing it) starts its failure count from zero.",
      security: writers,
      parameters: [idParameter("notification channel")],
      requestBody: body("UpdateNotificationChannelRequest"),
      responses: { "200": json("The channel as it is now.", "NotificationChannelAnswer"), "400": problem("The id or a field is malformed; `errors` names each."), ...writes, "404": NO_CHANNEL },
    },
    delete: {
      operationId: "deleteNotificationChannel",
      tags: TAG.channels,
      summary: "Delete a notification channel",
      security: writers,
      parameters: [idParameter("notification channel")],
      responses: { "204": { description: "Deleted, with its delivery log." }, "400": problem("The id is not a notification channel's id."), ...writes, "404": NO_CHANNEL },
    },
  },
  "/api/v1/notification-channels/{id}/test": {
    post: {
      operationId: "testNotificationChannel",
      tags: TAG.channels,
      summary: "Send a test message",
      description: "Sends it now, records the attempt in the channel's delivery log, and says how it went (a failure to deliver is still a 200, with ok false).",
      security: writers,
      parameters: [idParameter("notification channel")],
      responses: { "200": json("How the attempt went.", "ChannelTestResult"), "400": problem("The id is not a notification channel's id."), ...writes, "404": NO_CHANNEL },
    },
  },
  "/api/v1/notification-channels/{id}/attempts": {
    get: {
      operationId: "listDeliveryAttempts",
      tags: TAG.channels,
      summary: "A channel's delivery log",
      security: readers,
      parameters: [idParameter("notification channel")],
      responses: { "200": json("Its last 50 attempts, tests included, newest first.", "DeliveryAttemptList"), "400": problem("The id is not a notification channel's id."), ...reads, "404": NO_CHANNEL },
    },
  },
  "/api/v1/tracked-routes/{id}/channels": {
    get: {
      operationId: "listRouteChannels",
      tags: TAG.channels,
      summary: "Which channels a tracked route alerts on",
      security: readers,
      parameters: [idParameter("tracked route")],
      responses: { "200": json("Each of your channels, and whether this route alerts on it.", "RouteChannelList"), "400": problem("The id is not a tracked route's id."), ...reads, "404": NO_ROUTE },
    },
    put: {
      operationId: "setRouteChannels",
      tags: TAG.channels,
      summary: "Choose the channels a tracked route alerts on",
      description: "The channels listed alert for this route; your others are muted for it. Alerts always appear in the app.",
      security: writers,
      parameters: [idParameter("tracked route")],
      requestBody: body("RouteChannelsRequest"),
      responses: {
        "200": json("Each of your channels, and whether this route alerts on it now.", "RouteChannelList"),
        "400": problem("The id is malformed, or a listed id is not one of your channels; `errors` names each."),
        ...writes,
        "404": NO_ROUTE,
      },
    },
  },
  "/api/v1/notification-preferences": {
    get: {
      operationId: "getNotificationPreferences",
      tags: TAG.notifications,
      summary: "How alerts reach you",
      security: readers,
      responses: { "200": json("Your preferences (the defaults until you change them).", "NotificationPreferencesAnswer"), ...reads },
    },
    patch: {
      operationId: "updateNotificationPreferences",
      tags: TAG.notifications,
      summary: "Change how alerts reach you",
      description: "Instant or a daily digest, quiet hours in your time zone, a cap per day. The fields given change; null quietHours removes them.",
      security: writers,
      requestBody: body("NotificationPreferencesRequest"),
      responses: { "200": json("Your preferences as they are now.", "NotificationPreferencesAnswer"), "400": problem("A field is malformed; `errors` names each."), ...writes },
    },
  },
  "/api/v1/notifications": {
    get: {
      operationId: "listNotifications",
      tags: TAG.notifications,
      summary: "Your notifications",
      description: "What your alert rules told you, newest first, each with how every channel's delivery went; a page at a time (follow nextCursor).",
      security: readers,
      parameters: notificationParameters(),
      responses: {
        "200": json("A page of notifications and your unread count.", "NotificationPage"),
        "400": problem("A parameter is malformed, repeated or unknown, or the cursor is not one of this list's; `errors` names each."),
        ...reads,
        "404": problem("trackedRouteId is not one of your tracked routes."),
      },
    },
  },
  "/api/v1/notifications/read": {
    post: {
      operationId: "markNotificationsRead",
      tags: TAG.notifications,
      summary: "Mark notifications read",
      security: writers,
      requestBody: body("MarkNotificationsReadRequest"),
      responses: { "200": json("How many were marked, and how many unread are left.", "MarkNotificationsReadResult"), "400": problem("ids is malformed; `errors` says how."), ...writes },
    },
  },
  "/api/v1/notifications/{id}": {
    get: {
      operationId: "getNotification",
      tags: TAG.notifications,
      summary: "One notification",
      description: "Reading it here does not mark it read.",
      security: readers,
      parameters: [idParameter("notification")],
      responses: { "200": json("The notification.", "NotificationAnswer"), "400": problem("The id is not a notification's id."), ...reads, "404": problem("You have no notification with this id.") },
    },
  },
};
