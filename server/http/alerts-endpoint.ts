import { z } from "zod";
import type { ApiKeyScope } from "@/server/core/api-keys";
import { alertRuleInput, channelInput, preferencesInput, updateAlertRuleInput, updateChannelInput } from "@/server/core/alerts";
import { ValidationError } from "@/server/core/errors";
import { fieldErrorsFromZod } from "@/server/core/search-query";
import { trackedRouteIdInput } from "@/server/core/tracking";
import type { AppContext } from "@/server/context";
import {
  addChannel,
  addRule,
  channelAttempts,
  deleteChannel,
  deleteRule,
  getNotification,
  getPreferences,
  listChannels,
  listRules,
  markNotificationsRead,
  notificationsPage,
  routeChannels,
  setPreferences,
  setRouteChannels,
  testChannel,
  updateChannel,
  updateRule,
} from "@/server/services/alerts/alerts";
import { caller, jsonBody, NO_STORE } from "./owner-endpoint";
import { singleParams } from "./params";
import { problemFor } from "./problem";

/**
 * REST for price alerts: the rules of each tracked route, the channels alerts go out on (and
 * which of them each route uses), the delivery preferences and the notifications. With a
 * session, or an API key with alerts:read (reads) or alerts:write (changes). Another user's rule,
 * channel, route or notification answers 404, as one that never was.
 */

// The bodies and query only REST takes (tRPC takes the same, inline); the OpenAPI document is made from them.
export const routeChannelsInput = z
  .object({
    channelIds: z
      .array(z.uuid("must be a notification channel's id"))
      .max(50, "must list at most 50 channels")
      .meta({ description: "The channels the route alerts on; your other channels are muted for it. [] mutes them all." }),
  })
  .strict();

export const markReadInput = z
  .object({
    ids: z
      .union([z.array(z.uuid("must be a notification's id")).min(1, "must list at least one id").max(100, "must list at most 100 ids"), z.literal("all")], {
        error: 'must be a list of notification ids, or "all"',
      })
      .meta({ description: 'The notifications to mark read, or "all" of yours. Ids of notifications that are not yours are ignored.' }),
  })
  .strict();

/** GET /api/v1/notifications' query: each parameter a string, as a URL carries it. */
export const notificationsQuery = z.object({
  limit: z
    .string()
    .regex(/^\d{1,3}$/, "must be a whole number from 1 to 100")
    .transform(Number)
    .pipe(z.int().min(1, "must be at least 1").max(100, "must be at most 100"))
    .optional()
    .meta({ description: "Notifications per page, 1 to 100; 20 when not given." }),
  cursor: z.uuid("must be the nextCursor of the page before").optional().meta({ description: "The previous page's nextCursor: the page after it." }),
  trackedRouteId: z.uuid("must be a tracked route's id").optional().meta({ description: "Only the notifications of this tracked route." }),
  unreadOnly: z
    .enum(["true", "false"], { error: "must be true or false" })
    .transform((value) => value === "true")
    .optional()
    .meta({ description: "true: only the unread ones." }),
});

const DEFAULT_PAGE = 20;

const routeId = (id: string) => trackedRouteIdInput.parse({ id }).id;
const idOf = (message: string) => {
  const schema = z.object({ id: z.uuid(message) });
  return (id: string) => schema.parse({ id }).id;
};
const ruleId = idOf("must be an alert rule's id");
const channelId = idOf("must be a notification channel's id");
const notificationId = idOf("must be a notification's id");

const answer = (body: unknown, init: { status?: number; headers?: Record<string, string> } = {}) => Response.json(body, { status: init.status, headers: { ...NO_STORE, ...init.headers } });
const noContent = () => new Response(null, { status: 204, headers: NO_STORE });

type Handler<A extends unknown[]> = (request: Request, ctx: AppContext, ...rest: A) => Promise<Response>;
interface Call {
  request: Request;
  ctx: AppContext;
  userId: string;
}

/** A handler acting for the caller, who needs `scope`; any failure is answered as problem details (logged as `what` when unexpected). */
function owned<A extends unknown[]>(scope: ApiKeyScope, what: string, act: (call: Call, ...rest: A) => Promise<Response>): Handler<A> {
  return async (request, ctx, ...rest) => {
    try {
      const { userId } = await caller(request, ctx, scope);
      return await act({ request, ctx, userId }, ...rest);
    } catch (error) {
      return problemFor(error, what);
    }
  };
}

function notificationsQueryOf(request: Request) {
  const { values, errors } = singleParams(new URL(request.url).searchParams, Object.keys(notificationsQuery.shape));
  const parsed = notificationsQuery.safeParse(values);
  if (!parsed.success || Object.keys(errors).length > 0) throw new ValidationError({ ...(parsed.success ? {} : fieldErrorsFromZod(parsed.error)), ...errors });
  return parsed.data;
}

// ---- Rules ----

/** GET /api/v1/tracked-routes/{id}/alert-rules */
export const handleListRules = owned("alerts:read", "alert rule list", async ({ ctx, userId }, id: string) => answer({ alertRules: await listRules(ctx, userId, routeId(id)) }));

/** POST /api/v1/tracked-routes/{id}/alert-rules: 201 with the rule and its Location. */
export const handleCreateRule = owned("alerts:write", "adding an alert rule", async ({ request, ctx, userId }, id: string) => {
  const route = routeId(id);
  const rule = await addRule(ctx, userId, route, alertRuleInput.parse(await jsonBody(request, '{"kind": "below_target", "targetAmount": 350}')));
  return answer({ alertRule: rule }, { status: 201, headers: { Location: `/api/v1/alert-rules/${rule.id}` } });
});

/** PATCH /api/v1/alert-rules/{id}: enable or disable, its cooldown, a below_target rule's target. */
export const handleUpdateRule = owned("alerts:write", "alert rule change", async ({ request, ctx, userId }, id: string) => {
  const rule = ruleId(id);
  const patch = updateAlertRuleInput.parse(await jsonBody(request, '{"enabled": false}'));
  return answer({ alertRule: await updateRule(ctx, userId, rule, patch) });
});

/** DELETE /api/v1/alert-rules/{id}: 204. */
export const handleDeleteRule = owned("alerts:write", "alert rule deletion", async ({ ctx, userId }, id: string) => {
  await deleteRule(ctx, userId, ruleId(id));
  return noContent();
});

// ---- Channels ----

/** GET /api/v1/notification-channels */
export const handleListChannels = owned("alerts:read", "notification channel list", async ({ ctx, userId }) => answer({ channels: await listChannels(ctx, userId) }));

/** POST /api/v1/notification-channels: 201 with the channel and, for a webhook, its signing secret (in this answer only). */
export const handleCreateChannel = owned("alerts:write", "adding a notification channel", async ({ request, ctx, userId }) => {
  const made = await addChannel(ctx, userId, channelInput.parse(await jsonBody(request, '{"kind": "webhook", "url": "https://example.com/hooks/flights"}')));
  return answer(made, { status: 201, headers: { Location: `/api/v1/notification-channels/${made.channel.id}` } });
});

/** PATCH /api/v1/notification-channels/{id}: rename, disable, or enable again. */
export const handleUpdateChannel = owned("alerts:write", "notification channel change", async ({ request, ctx, userId }, id: string) => {
  const channel = channelId(id);
  const patch = updateChannelInput.parse(await jsonBody(request, '{"enabled": true}'));
  return answer({ channel: await updateChannel(ctx, userId, channel, patch) });
});

/** DELETE /api/v1/notification-channels/{id}: 204. */
export const handleDeleteChannel = owned("alerts:write", "notification channel deletion", async ({ ctx, userId }, id: string) => {
  await deleteChannel(ctx, userId, channelId(id));
  return noContent();
});

/** POST /api/v1/notification-channels/{id}/test: sends a test message now; 200 whether it got through or not (`ok` says). */
export const handleTestChannel = owned("alerts:write", "notification channel test", async ({ ctx, userId }, id: string) => answer(await testChannel(ctx, userId, channelId(id))));

/** GET /api/v1/notification-channels/{id}/attempts: the channel's delivery log, newest first. */
export const handleChannelAttempts = owned("alerts:read", "delivery log", async ({ ctx, userId }, id: string) => answer({ attempts: await channelAttempts(ctx, userId, channelId(id)) }));

/** GET /api/v1/tracked-routes/{id}/channels: each of the caller's channels, and whether the route alerts on it. */
export const handleRouteChannels = owned("alerts:read", "route channel list", async ({ ctx, userId }, id: string) => answer({ channels: await routeChannels(ctx, userId, routeId(id)) }));

/** PUT /api/v1/tracked-routes/{id}/channels: the channels the route alerts on, all at once. */
export const handleSetRouteChannels = owned("alerts:write", "route channel change", async ({ request, ctx, userId }, id: string) => {
  const route = routeId(id);
  const { channelIds } = routeChannelsInput.parse(await jsonBody(request, '{"channelIds": ["0b6c1a4e-8f3d-4f7e-9a51-2d0c7e1b9f10"]}'));
  await setRouteChannels(ctx, userId, route, channelIds);
  return answer({ channels: await routeChannels(ctx, userId, route) });
});

// ---- Preferences ----

/** GET /api/v1/notification-preferences */
export const handleGetPreferences = owned("alerts:read", "notification preferences", async ({ ctx, userId }) => answer({ preferences: await getPreferences(ctx, userId) }));

/** PATCH /api/v1/notification-preferences: the fields given; the others stay. */
export const handleUpdatePreferences = owned("alerts:write", "notification preferences change", async ({ request, ctx, userId }) =>
  answer({ preferences: await setPreferences(ctx, userId, preferencesInput.parse(await jsonBody(request, '{"mode": "digest", "digestHour": 8}'))) }),
);

// ---- Notifications ----

/** GET /api/v1/notifications: a page, newest first, with the count of unread ones. */
export const handleListNotifications = owned("alerts:read", "notification list", async ({ request, ctx, userId }) => {
  const { limit = DEFAULT_PAGE, ...filters } = notificationsQueryOf(request);
  const page = await notificationsPage(ctx, userId, { limit, ...filters });
  return answer({ notifications: page.items, nextCursor: page.nextCursor, unread: page.unread });
});

/** GET /api/v1/notifications/{id}: reading it here does not mark it read (a client may only be polling). */
export const handleGetNotification = owned("alerts:read", "notification", async ({ ctx, userId }, id: string) => answer({ notification: await getNotification(ctx, userId, notificationId(id)) }));

/** POST /api/v1/notifications/read: marks these, or all, read. */
export const handleMarkRead = owned("alerts:write", "marking notifications read", async ({ request, ctx, userId }) => {
  const { ids } = markReadInput.parse(await jsonBody(request, '{"ids": "all"}'));
  return answer(await markNotificationsRead(ctx, userId, ids));
});
