import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { afterEach, expect, it } from "vitest";
import { createApiKey } from "@/db/queries/api-keys";
import { ensureUser } from "@/db/queries/users";
import { notification, notificationDelivery } from "@/db/schema";
import { accountsAdapter } from "@/server/auth/adapter";
import type { ApiKeyScope } from "@/server/core/api-keys";
import { addDays } from "@/server/core/time";
import { trackRouteInput } from "@/server/core/tracking";
import type { AppContext } from "@/server/context";
import { trackRoute } from "@/server/services/tracking/tracked-routes";
import { describeEachEngine } from "@/test/engines";
import { schemaErrors } from "@/test/openapi";
import * as alerts from "./alerts-endpoint";
import { openApiDocument } from "./openapi";

/**
 * REST for price alerts against a real database: every endpoint's answer in the OpenAPI
 * document's shape, bad input refused per field, a webhook's secret shown once, and who may call
 * (anonymous 401, a key without the scope 403, another user's things 404).
 */

type Handler = (request: Request, ctx: AppContext, ...ids: string[]) => Promise<Response>;

/** The handlers by method and path, as the route files under app/api/v1 wire them. */
const ROUTES: [string, RegExp, Handler][] = [
  ["GET", /^\/api\/v1\/tracked-routes\/([^/]+)\/alert-rules$/, alerts.handleListRules],
  ["POST", /^\/api\/v1\/tracked-routes\/([^/]+)\/alert-rules$/, alerts.handleCreateRule],
  ["PATCH", /^\/api\/v1\/alert-rules\/([^/]+)$/, alerts.handleUpdateRule],
  ["DELETE", /^\/api\/v1\/alert-rules\/([^/]+)$/, alerts.handleDeleteRule],
  ["GET", /^\/api\/v1\/notification-channels$/, alerts.handleListChannels],
  ["POST", /^\/api\/v1\/notification-channels$/, alerts.handleCreateChannel],
  ["PATCH", /^\/api\/v1\/notification-channels\/([^/]+)$/, alerts.handleUpdateChannel],
  ["DELETE", /^\/api\/v1\/notification-channels\/([^/]+)$/, alerts.handleDeleteChannel],
  ["POST", /^\/api\/v1\/notification-channels\/([^/]+)\/test$/, alerts.handleTestChannel],
  ["GET", /^\/api\/v1\/notification-channels\/([^/]+)\/attempts$/, alerts.handleChannelAttempts],
  ["GET", /^\/api\/v1\/tracked-routes\/([^/]+)\/channels$/, alerts.handleRouteChannels],
  ["PUT", /^\/api\/v1\/tracked-routes\/([^/]+)\/channels$/, alerts.handleSetRouteChannels],
  ["GET", /^\/api\/v1\/notification-preferences$/, alerts.handleGetPreferences],
  ["PATCH", /^\/api\/v1\/notification-preferences$/, alerts.handleUpdatePreferences],
  ["GET", /^\/api\/v1\/notifications$/, alerts.handleListNotifications],
  ["POST", /^\/api\/v1\/notifications\/read$/, alerts.handleMarkRead],
  ["GET", /^\/api\/v1\/notifications\/([^/]+)$/, alerts.handleGetNotification],
];

/** Who calls: a session cookie, an API key, or nobody. */
type Caller = { cookie: string } | { key: string } | null;

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve())))));
});

/** A webhook receiver on 127.0.0.1 (the tests' policy allows loopback) answering 204. */
async function receiver() {
  const received: { headers: Record<string, string>; body: string }[] = [];
  const server = http.createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    received.push({ headers: Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, String(v)])), body: Buffer.concat(chunks).toString("utf8") });
    response.writeHead(204).end();
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received };
}

const randomId = () => crypto.randomUUID();

/** The route files under app/api/v1, by the document's path. */
const ROUTE_FILES: Record<string, () => Promise<Record<string, unknown>>> = {
  "/api/v1/tracked-routes/{id}/alert-rules": () => import("@/app/api/v1/tracked-routes/[id]/alert-rules/route"),
  "/api/v1/alert-rules/{id}": () => import("@/app/api/v1/alert-rules/[id]/route"),
  "/api/v1/notification-channels": () => import("@/app/api/v1/notification-channels/route"),
  "/api/v1/notification-channels/{id}": () => import("@/app/api/v1/notification-channels/[id]/route"),
  "/api/v1/notification-channels/{id}/test": () => import("@/app/api/v1/notification-channels/[id]/test/route"),
  "/api/v1/notification-channels/{id}/attempts": () => import("@/app/api/v1/notification-channels/[id]/attempts/route"),
  "/api/v1/tracked-routes/{id}/channels": () => import("@/app/api/v1/tracked-routes/[id]/channels/route"),
  "/api/v1/notification-preferences": () => import("@/app/api/v1/notification-preferences/route"),
  "/api/v1/notifications": () => import("@/app/api/v1/notifications/route"),
  "/api/v1/notifications/read": () => import("@/app/api/v1/notifications/read/route"),
  "/api/v1/notifications/{id}": () => import("@/app/api/v1/notifications/[id]/route"),
};

it("each route file serves its path's methods in the document, and refuses the others with 405 and Allow", async () => {
  const paths = openApiDocument().paths as Record<string, Record<string, unknown>>;
  for (const [path, load] of Object.entries(ROUTE_FILES)) {
    const served = Object.keys(paths[path] ?? {}).map((m) => m.toUpperCase());
    expect(served.length, path).toBeGreaterThan(0);
    const route = await load();
    for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"]) {
      expect(typeof route[method], `${method} ${path}`).toBe("function");
      if (served.includes(method)) continue;
      const refused = await (route[method] as (request: Request) => Promise<Response>)(new Request(`http://localhost:3000${path.replace("{id}", randomId())}`, { method }));
      expect([method, path, refused.status]).toEqual([method, path, 405]);
      const allow = [...served, ...(served.includes("GET") ? ["HEAD"] : []), "OPTIONS"];
      expect(refused.headers.get("allow")?.split(", ").sort(), `${method} ${path}`).toEqual(allow.sort());
    }
  }
});

let sequence = 0;
const today = new Date().toISOString().slice(0, 10);

describeEachEngine(
  "alerts REST",
  ({ app }) => {
    const ctx = () => app();

    async function send(who: Caller, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
      const url = new URL(`http://localhost:3000${path}`);
      const route = ROUTES.find(([m, pattern]) => m === method && pattern.test(url.pathname));
      if (!route) throw new Error(`no route for ${method} ${path}`);
      const auth: Record<string, string> = who === null ? {} : "cookie" in who ? { cookie: who.cookie } : { authorization: `Bearer ${who.key}` };
      const request = new Request(url, { method, headers: { "content-type": "application/json", ...auth, ...headers }, body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body) });
      return route[2](request, ctx(), ...route[1].exec(url.pathname)!.slice(1));
    }
    /** The answer's body, after checking its status, that it is not stored, and its shape against the document's component. */
    async function expectAnswer<T>(response: Response, status: number, component: string): Promise<T> {
      const body = (await response.json()) as T;
      expect(response.status, JSON.stringify(body)).toBe(status);
      expect(response.headers.get("cache-control")).toBe("no-store");
      expect(schemaErrors(component, body)).toEqual([]);
      return body;
    }
    /** A 400 problem's fields. */
    async function badFields(response: Response): Promise<string[]> {
      const problem = (await response.json()) as { status: number; errors: Record<string, string[]> };
      expect(response.status, JSON.stringify(problem)).toBe(400);
      expect(schemaErrors("Problem", problem)).toEqual([]);
      return Object.keys(problem.errors).sort();
    }

    async function traveller() {
      const user = await ensureUser(ctx().db, `alerts-rest-${Date.now()}-${sequence++}@example.test`);
      const token = crypto.randomBytes(32).toString("hex");
      await accountsAdapter(ctx().db).createSession!({ sessionToken: token, userId: user.id, expires: new Date(Date.now() + 3_600_000) });
      const key = async (...scopes: ApiKeyScope[]) => ({ key: (await createApiKey(ctx().db, user.id, { name: scopes.join("+"), scopes })).key });
      const track = async (days = 40) => (await trackRoute(ctx(), user.id, trackRouteInput.parse({ kind: "exact", originCode: "LHR", destinationCode: "JFK", departureDate: addDays(today, days), currency: "GBP" }))).id;
      return { id: user.id, session: { cookie: `authjs.session-token=${token}` }, key, track };
    }
    /** A notification of the route, as the alert path writes them, `minutesAgo` old. */
    async function notify(userId: string, trackedRouteId: string, minutesAgo: number, priceMinor = 31_250) {
      const at = new Date(Date.now() - minutesAgo * 60_000);
      const [row] = await ctx()
        .db.insert(notification)
        .values({ userId, trackedRouteId, observedAt: at, kind: "drop", reasons: [{ kind: "drop" }, { kind: "new_low" }], priceMinor, previousPriceMinor: 36_000, referenceMinor: 36_000, currency: "GBP", departureDate: addDays(today, 40), level: "low", simulated: true, createdAt: at })
        .returning();
      return row!.id;
    }

    it("alert rules: listed, added (201 with Location), changed and deleted (204)", async () => {
      const alice = await traveller();
      const route = await alice.track();
      const listed = await expectAnswer<{ alertRules: { kind: string }[] }>(await send(alice.session, "GET", `/api/v1/tracked-routes/${route}/alert-rules`), 200, "AlertRuleList");
      expect(listed.alertRules.map((r) => r.kind).sort()).toEqual(["drop", "new_low"]);

      const created = await send(alice.session, "POST", `/api/v1/tracked-routes/${route}/alert-rules`, { kind: "below_target", targetAmount: 350 });
      const { alertRule } = await expectAnswer<{ alertRule: { id: string; target: unknown; cooldownHours: number } }>(created, 201, "AlertRuleAnswer");
      expect(created.headers.get("location")).toBe(`/api/v1/alert-rules/${alertRule.id}`);
      expect(alertRule).toMatchObject({ target: { amount: 350, currency: "GBP" }, cooldownHours: 24 });

      const changed = await expectAnswer<{ alertRule: unknown }>(await send(alice.session, "PATCH", `/api/v1/alert-rules/${alertRule.id}`, { enabled: false, targetAmount: 299.5 }), 200, "AlertRuleAnswer");
      expect(changed.alertRule).toMatchObject({ id: alertRule.id, enabled: false, target: { amount: 299.5 } });

      const deleted = await send(alice.session, "DELETE", `/api/v1/alert-rules/${alertRule.id}`);
      expect([deleted.status, deleted.headers.get("cache-control"), await deleted.text()]).toEqual([204, "no-store", ""]);
      expect((await send(alice.session, "DELETE", `/api/v1/alert-rules/${alertRule.id}`)).status).toBe(404);
      expect((await (await send(alice.session, "GET", `/api/v1/tracked-routes/${route}/alert-rules`)).json()).alertRules).toHaveLength(2);
    });

    it("alert rules: bad ids and bodies are a 400 with a message per field, and nothing is written", async () => {
      const alice = await traveller();
      const route = await alice.track();
      const post = (body: unknown, id = route) => send(alice.session, "POST", `/api/v1/tracked-routes/${id}/alert-rules`, body);
      expect(await badFields(await post({ kind: "below_target" }))).toEqual(["targetAmount"]);
      expect(await badFields(await post({ kind: "drop" }))).toEqual(["dropPercent"]);
      expect(await badFields(await post({ kind: "sometimes", cooldownHours: 1.5 }))).toEqual(["cooldownHours", "kind"]);
      expect(await badFields(await post({ kind: "new_low", targetAmount: -3 }))).toEqual(["targetAmount"]);
      expect(await badFields(await post("{not json"))).toEqual(["body"]);
      expect(await badFields(await post({ kind: "insight_low" }, "not-a-uuid"))).toEqual(["id"]);
      expect(await badFields(await send(alice.session, "GET", "/api/v1/tracked-routes/42/alert-rules"))).toEqual(["id"]);
      expect(await badFields(await send(alice.session, "PATCH", "/api/v1/alert-rules/nope", { enabled: true }))).toEqual(["id"]);
      expect(await badFields(await send(alice.session, "DELETE", "/api/v1/alert-rules/nope"))).toEqual(["id"]);
      const [drop] = (await (await send(alice.session, "GET", `/api/v1/tracked-routes/${route}/alert-rules`)).json()).alertRules.filter((r: { kind: string }) => r.kind === "drop");
      expect(await badFields(await send(alice.session, "PATCH", `/api/v1/alert-rules/${drop.id}`, { targetAmount: 100 }))).toEqual(["targetAmount"]);
      expect(await badFields(await send(alice.session, "PATCH", `/api/v1/alert-rules/${drop.id}`, { cooldownHours: 9_999, colour: "red" }))).toEqual(["cooldownHours", "request"]);
      expect((await (await send(alice.session, "GET", `/api/v1/tracked-routes/${route}/alert-rules`)).json()).alertRules).toHaveLength(2);
    });

    it("channels: a webhook's secret is in its creation's answer only; renamed, tested (signed with it), logged and deleted", async () => {
      const alice = await traveller();
      const hook = await receiver();
      const created = await send(alice.session, "POST", "/api/v1/notification-channels", { kind: "webhook", name: "CI", url: `${hook.url}?token=s3cr3t` });
      const made = await expectAnswer<{ channel: { id: string; target: string }; secret: string }>(created, 201, "NewNotificationChannel");
      expect(created.headers.get("location")).toBe(`/api/v1/notification-channels/${made.channel.id}`);
      expect(made.secret).toMatch(/^whsec_/);
      expect(made.channel.target).toBe(`${hook.url}?…`);
      const email = await expectAnswer<{ secret: null }>(await send(alice.session, "POST", "/api/v1/notification-channels", { kind: "email" }), 201, "NewNotificationChannel");
      expect(email.secret).toBeNull();

      const listed = await send(alice.session, "GET", "/api/v1/notification-channels");
      const text = await listed.clone().text();
      expect((await expectAnswer<{ channels: { kind: string }[] }>(listed, 200, "NotificationChannelList")).channels.map((c) => c.kind)).toEqual(["webhook", "email"]);
      expect(text).not.toContain(made.secret);
      expect(text).not.toContain("s3cr3t");

      const renamed = await expectAnswer<{ channel: unknown }>(await send(alice.session, "PATCH", `/api/v1/notification-channels/${made.channel.id}`, { name: "Deploy bot" }), 200, "NotificationChannelAnswer");
      expect(renamed.channel).toMatchObject({ name: "Deploy bot", enabled: true });

      const tested = await expectAnswer<{ ok: boolean; status: number }>(await send(alice.session, "POST", `/api/v1/notification-channels/${made.channel.id}/test`), 200, "ChannelTestResult");
      expect(tested).toMatchObject({ ok: true, status: 204, error: null });
      expect(hook.received).toHaveLength(1);
      // The secret shown once is the one the app signs with.
      expect(new Webhook(made.secret).verify(hook.received[0]!.body, hook.received[0]!.headers)).toMatchObject({ type: "test" });
      const log = await expectAnswer<{ attempts: unknown[] }>(await send(alice.session, "GET", `/api/v1/notification-channels/${made.channel.id}/attempts`), 200, "DeliveryAttemptList");
      expect(log.attempts).toEqual([expect.objectContaining({ ok: true, status: 204, test: true, deliveryId: null })]);

      const deleted = await send(alice.session, "DELETE", `/api/v1/notification-channels/${made.channel.id}`);
      expect([deleted.status, deleted.headers.get("cache-control")]).toEqual([204, "no-store"]);
      expect((await (await send(alice.session, "GET", "/api/v1/notification-channels")).json()).channels).toHaveLength(1);
      expect((await send(alice.session, "GET", `/api/v1/notification-channels/${made.channel.id}/attempts`)).status).toBe(404);
    });

    it("channels: private addresses, unknown kinds, duplicates and bad ids are a 400 per field", async () => {
      const alice = await traveller();
      const post = (body: unknown) => send(alice.session, "POST", "/api/v1/notification-channels", body);
      expect(await badFields(await post({ kind: "webhook", url: "http://10.0.0.5/hook" }))).toEqual(["url"]);
      expect(await badFields(await post({ kind: "webhook", url: "http://169.254.169.254/latest/meta-data" }))).toEqual(["url"]);
      expect(await badFields(await post({ kind: "ntfy", url: "file:///etc/passwd" }))).toEqual(["url"]);
      expect(await badFields(await post({ kind: "pigeon" }))).toEqual(["kind"]);
      expect(await badFields(await post({ kind: "webhook", name: " " }))).toEqual(["name", "url"]);
      expect(await badFields(await post({ kind: "email", url: "https://example.com/" }))).toEqual(["request"]);
      expect((await post({ kind: "email" })).status).toBe(201);
      expect(await badFields(await post({ kind: "email" }))).toEqual(["kind"]);
      expect(await badFields(await send(alice.session, "PATCH", "/api/v1/notification-channels/x", { enabled: false }))).toEqual(["id"]);
      expect(await badFields(await send(alice.session, "POST", "/api/v1/notification-channels/x/test"))).toEqual(["id"]);
      expect(await badFields(await send(alice.session, "GET", "/api/v1/notification-channels/x/attempts"))).toEqual(["id"]);
      expect((await (await send(alice.session, "GET", "/api/v1/notification-channels")).json()).channels).toHaveLength(1);
    });

    it("route channels: each channel and whether the route alerts on it; PUT chooses them", async () => {
      const alice = await traveller();
      const route = await alice.track(); // the first tracked route adds the account's email channel
      const { channel: hook } = (await (await send(alice.session, "POST", "/api/v1/notification-channels", { kind: "webhook", url: "https://example.com/hooks/flights" })).json()) as { channel: { id: string } };
      const before = await expectAnswer<{ channels: { channel: { kind: string }; enabled: boolean }[] }>(await send(alice.session, "GET", `/api/v1/tracked-routes/${route}/channels`), 200, "RouteChannelList");
      expect(before.channels.map((c) => [c.channel.kind, c.enabled])).toEqual([["email", true], ["webhook", true]]);

      const chosen = await expectAnswer<typeof before>(await send(alice.session, "PUT", `/api/v1/tracked-routes/${route}/channels`, { channelIds: [hook.id] }), 200, "RouteChannelList");
      expect(chosen.channels.map((c) => [c.channel.kind, c.enabled])).toEqual([["email", false], ["webhook", true]]);
      const stranger = await traveller();
      const { channel: theirs } = (await (await send(stranger.session, "POST", "/api/v1/notification-channels", { kind: "email" })).json()) as { channel: { id: string } };
      expect(await badFields(await send(alice.session, "PUT", `/api/v1/tracked-routes/${route}/channels`, { channelIds: [theirs.id] }))).toEqual(["channelIds"]);
      expect(await badFields(await send(alice.session, "PUT", `/api/v1/tracked-routes/${route}/channels`, { channelIds: "all" }))).toEqual(["channelIds"]);
      expect(await badFields(await send(alice.session, "PUT", `/api/v1/tracked-routes/${route}/channels`, {}))).toEqual(["channelIds"]);
      expect((await (await send(alice.session, "GET", `/api/v1/tracked-routes/${route}/channels`)).json()).channels.map((c: { enabled: boolean }) => c.enabled)).toEqual([false, true]);
    });

    it("preferences: the defaults, then the fields given change and the others stay; bad values per field", async () => {
      const alice = await traveller();
      const defaults = await expectAnswer<{ preferences: unknown }>(await send(alice.session, "GET", "/api/v1/notification-preferences"), 200, "NotificationPreferencesAnswer");
      expect(defaults.preferences).toEqual({ mode: "instant", timeZone: "UTC", quietHours: null, dailyCap: 20, digestHour: 8 });
      const patch = { mode: "digest", timeZone: "Europe/London", quietHours: { start: 22 * 60, end: 7 * 60 } };
      const changed = await expectAnswer<{ preferences: unknown }>(await send(alice.session, "PATCH", "/api/v1/notification-preferences", patch), 200, "NotificationPreferencesAnswer");
      expect(changed.preferences).toEqual({ ...patch, dailyCap: 20, digestHour: 8 });
      const cleared = await expectAnswer<{ preferences: unknown }>(await send(alice.session, "PATCH", "/api/v1/notification-preferences", { quietHours: null, dailyCap: 5 }), 200, "NotificationPreferencesAnswer");
      expect(cleared.preferences).toEqual({ ...patch, quietHours: null, dailyCap: 5, digestHour: 8 });
      expect(await badFields(await send(alice.session, "PATCH", "/api/v1/notification-preferences", { timeZone: "Mars/Olympus", dailyCap: 0, mode: "loud" }))).toEqual(["dailyCap", "mode", "timeZone"]);
      expect((await (await send(alice.session, "GET", "/api/v1/notification-preferences")).json()).preferences).toEqual(cleared.preferences);
    });

    it("notifications: a page at a time with the unread count; one alone (not marked read); marked read by id or all", async () => {
      const alice = await traveller();
      const route = await alice.track();
      const other = await alice.track(41);
      const [newest, middle, oldest] = [await notify(alice.id, route, 1), await notify(alice.id, other, 2), await notify(alice.id, route, 3)];
      const { channel } = (await (await send(alice.session, "GET", `/api/v1/tracked-routes/${route}/channels`)).json()).channels[0] as { channel: { id: string } };
      await ctx().db.insert(notificationDelivery).values({ notificationId: newest, channelId: channel.id, status: "sent", attempts: 1, lastStatusCode: 250, sentAt: new Date() });
      const stranger = await traveller();
      const theirs = await notify(stranger.id, await stranger.track(), 1);

      type Page = { notifications: { id: string; read: boolean }[]; nextCursor: string | null; unread: number };
      const first = await expectAnswer<Page>(await send(alice.session, "GET", "/api/v1/notifications?limit=2"), 200, "NotificationPage");
      expect([first.notifications.map((n) => n.id), first.nextCursor, first.unread]).toEqual([[newest, middle], middle, 3]);
      const second = await expectAnswer<Page>(await send(alice.session, "GET", `/api/v1/notifications?limit=2&cursor=${first.nextCursor}`), 200, "NotificationPage");
      expect([second.notifications.map((n) => n.id), second.nextCursor]).toEqual([[oldest], null]);
      const ofRoute = await expectAnswer<Page>(await send(alice.session, "GET", `/api/v1/notifications?trackedRouteId=${route}&unreadOnly=true`), 200, "NotificationPage");
      expect(ofRoute.notifications.map((n) => n.id)).toEqual([newest, oldest]);

      const alone = await expectAnswer<{ notification: unknown }>(await send(alice.session, "GET", `/api/v1/notifications/${newest}`), 200, "NotificationAnswer");
      expect(alone.notification).toMatchObject({
        id: newest,
        kind: "drop",
        reasons: ["drop", "new_low"],
        price: { amount: 312.5, currency: "GBP", simulated: true },
        route: { originCode: "LHR", destinationCode: "JFK" },
        read: false,
        deliveries: [{ channelId: channel.id, kind: "email", status: "sent", attempts: 1, lastStatusCode: 250 }],
      });
      expect((await send(alice.session, "GET", `/api/v1/notifications/${theirs}`)).status).toBe(404);

      const one = await expectAnswer<unknown>(await send(alice.session, "POST", "/api/v1/notifications/read", { ids: [newest, theirs] }), 200, "MarkNotificationsReadResult");
      expect(one).toEqual({ marked: 1, unread: 2 });
      const unreadOnly = await expectAnswer<Page>(await send(alice.session, "GET", "/api/v1/notifications?unreadOnly=true"), 200, "NotificationPage");
      expect(unreadOnly.notifications.map((n) => n.id)).toEqual([middle, oldest]);
      expect(await expectAnswer<unknown>(await send(alice.session, "POST", "/api/v1/notifications/read", { ids: "all" }), 200, "MarkNotificationsReadResult")).toEqual({ marked: 2, unread: 0 });
      // The stranger's stays unread.
      expect((await (await send(stranger.session, "GET", "/api/v1/notifications")).json()).unread).toBe(1);
      const [row] = await ctx().db.select().from(notification).where(eq(notification.id, theirs));
      expect(row!.readAt).toBeNull();
    });

    it("notifications: bad parameters and bodies are a 400 per field", async () => {
      const alice = await traveller();
      const list = async (query: string) => badFields(await send(alice.session, "GET", `/api/v1/notifications?${query}`));
      expect(await list("limit=0")).toEqual(["limit"]);
      expect(await list("limit=101&unreadOnly=yes")).toEqual(["limit", "unreadOnly"]);
      expect(await list("limit=ten")).toEqual(["limit"]);
      expect(await list("limit=1&limit=2")).toEqual(["limit"]);
      expect(await list("cursor=nope&trackedRouteId=7")).toEqual(["cursor", "trackedRouteId"]);
      expect(await list(`cursor=${randomId()}`)).toEqual(["cursor"]);
      expect(await list("page=2")).toEqual(["page"]);
      expect((await send(alice.session, "GET", `/api/v1/notifications?trackedRouteId=${randomId()}`)).status).toBe(404);
      expect(await badFields(await send(alice.session, "GET", "/api/v1/notifications/nope"))).toEqual(["id"]);
      const read = async (body: unknown) => badFields(await send(alice.session, "POST", "/api/v1/notifications/read", body));
      expect(await read({ ids: [] })).toEqual(["ids"]);
      expect(await read({ ids: "some" })).toEqual(["ids"]);
      expect(await read({ ids: ["nope"] })).toEqual(["ids"]);
      expect(await read("[")).toEqual(["body"]);
    });

    it("another user's route, rule, channel and notification are 404, as if absent; nothing of theirs changes", async () => {
      const owner = await traveller();
      const route = await owner.track();
      const { alertRule: rule } = (await (await send(owner.session, "POST", `/api/v1/tracked-routes/${route}/alert-rules`, { kind: "insight_low" })).json()) as { alertRule: { id: string } };
      const { channel } = (await (await send(owner.session, "POST", "/api/v1/notification-channels", { kind: "webhook", url: "https://example.com/owner" })).json()) as { channel: { id: string } };
      const note = await notify(owner.id, route, 1);
      const stranger = await traveller();
      for (const [method, path, body] of [
        ["GET", `/api/v1/tracked-routes/${route}/alert-rules`],
        ["POST", `/api/v1/tracked-routes/${route}/alert-rules`, { kind: "insight_low" }],
        ["PATCH", `/api/v1/alert-rules/${rule.id}`, { enabled: false }],
        ["DELETE", `/api/v1/alert-rules/${rule.id}`],
        ["PATCH", `/api/v1/notification-channels/${channel.id}`, { enabled: false }],
        ["DELETE", `/api/v1/notification-channels/${channel.id}`],
        ["POST", `/api/v1/notification-channels/${channel.id}/test`],
        ["GET", `/api/v1/notification-channels/${channel.id}/attempts`],
        ["GET", `/api/v1/tracked-routes/${route}/channels`],
        ["PUT", `/api/v1/tracked-routes/${route}/channels`, { channelIds: [] }],
        ["GET", `/api/v1/notifications/${note}`],
        ["GET", `/api/v1/notifications?trackedRouteId=${route}`],
      ] as [string, string, unknown?][]) {
        const response = await send(stranger.session, method, path, body);
        const problem = (await response.json()) as { status: number; detail: string };
        expect([method, path, response.status], problem.detail).toEqual([method, path, 404]);
        expect(schemaErrors("Problem", problem)).toEqual([]);
      }
      expect(await (await send(stranger.session, "POST", "/api/v1/notifications/read", { ids: [note] })).json()).toEqual({ marked: 0, unread: 0 });

      const rules = (await (await send(owner.session, "GET", `/api/v1/tracked-routes/${route}/alert-rules`)).json()).alertRules as { id: string; enabled: boolean }[];
      expect(rules.find((r) => r.id === rule.id)).toMatchObject({ enabled: true });
      expect((await (await send(owner.session, "GET", "/api/v1/notification-channels")).json()).channels).toContainEqual(expect.objectContaining({ id: channel.id, enabled: true }));
      expect((await (await send(owner.session, "GET", `/api/v1/tracked-routes/${route}/channels`)).json()).channels.every((c: { enabled: boolean }) => c.enabled)).toBe(true);
      expect((await (await send(owner.session, "GET", "/api/v1/notifications")).json()).unread).toBe(1);
      expect(await (await send(owner.session, "GET", `/api/v1/notification-channels/${channel.id}/attempts`)).json()).toEqual({ attempts: [] });
    });

    it("who may call: anonymous 401, a key without the scope 403, alerts:read reads only, alerts:write changes; a session's cross-site change 403", async () => {
      const alice = await traveller();
      const id = randomId();
      const endpoints: [string, string, unknown?][] = [
        ["GET", `/api/v1/tracked-routes/${id}/alert-rules`],
        ["POST", `/api/v1/tracked-routes/${id}/alert-rules`, { kind: "insight_low" }],
        ["PATCH", `/api/v1/alert-rules/${id}`, { enabled: false }],
        ["DELETE", `/api/v1/alert-rules/${id}`],
        ["GET", "/api/v1/notification-channels"],
        ["POST", "/api/v1/notification-channels", { kind: "email" }],
        ["PATCH", `/api/v1/notification-channels/${id}`, { enabled: false }],
        ["DELETE", `/api/v1/notification-channels/${id}`],
        ["POST", `/api/v1/notification-channels/${id}/test`],
        ["GET", `/api/v1/notification-channels/${id}/attempts`],
        ["GET", `/api/v1/tracked-routes/${id}/channels`],
        ["PUT", `/api/v1/tracked-routes/${id}/channels`, { channelIds: [] }],
        ["GET", "/api/v1/notification-preferences"],
        ["PATCH", "/api/v1/notification-preferences", { dailyCap: 3 }],
        ["GET", "/api/v1/notifications"],
        ["GET", `/api/v1/notifications/${id}`],
        ["POST", "/api/v1/notifications/read", { ids: "all" }],
      ];
      expect(endpoints.map(([method, path]) => `${method} ${path.replace(id, "{id}")}`).sort()).toEqual(
        Object.entries(openApiDocument().paths)
          .filter(([path]) => ROUTES.some(([, pattern]) => pattern.test(path)))
          .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`))
          .sort(),
      );
      const tracking = await alice.key("tracking:read", "tracking:write", "search");
      const reader = await alice.key("alerts:read");
      const writer = await alice.key("alerts:write");
      for (const [method, path, body] of endpoints) {
        const writes = method !== "GET";
        const where = `${method} ${path}`;
        const anonymous = await send(null, method, path, body);
        expect([where, anonymous.status, anonymous.headers.get("www-authenticate")]).toEqual([where, 401, expect.stringMatching(/^Bearer/)]);
        expect([where, (await send(tracking, method, path, body)).status]).toEqual([where, 403]);
        expect([where, (await send({ key: "ft_" + "x".repeat(43) }, method, path, body)).status]).toEqual([where, 401]);
        // Past the door: 404 for the made-up id, else done.
        const allowed = writes ? writer : reader;
        expect([where, (await send(allowed, method, path, body)).status]).toEqual([where, expect.toBeOneOf([200, 201, 404])]);
        expect([where, (await send(writes ? reader : writer, method, path, body)).status]).toEqual([where, 403]);
        if (writes) {
          for (const crossSite of [{ "sec-fetch-site": "cross-site" }, { origin: "https://evil.example" }] as Record<string, string>[]) {
            expect([where, (await send(alice.session, method, path, body, crossSite)).status]).toEqual([where, 403]);
          }
          expect([where, (await send(alice.session, method, path, body, { origin: "http://localhost:3000", "sec-fetch-site": "same-origin" })).status]).not.toEqual([where, 403]);
        } else {
          expect([where, (await send(alice.session, method, path, body, { "sec-fetch-site": "cross-site" })).status]).not.toEqual([where, 403]);
        }
      }
      // What the writer key changed, the reader key reads.
      expect((await (await send(reader, "GET", "/api/v1/notification-preferences")).json()).preferences.dailyCap).toBe(3);
    });
  },
  { seed: true },
);
