import crypto from "node:crypto";
import { expect, it } from "vitest";
import { authenticateApiKey } from "@/db/queries/api-keys";
import { auditEvents } from "@/db/queries/audit";
import { ensureUser, userById } from "@/db/queries/users";
import { sessionId } from "@/db/queries/sessions";
import { accountsAdapter, sessionTokenHash } from "@/server/auth/adapter";
import type { Principal } from "@/server/auth/principal";
import type { AppContext } from "@/server/context";
import { addDays } from "@/server/core/time";
import { handleCreateApiKey, handleListApiKeys, handleRevokeApiKey } from "@/server/http/api-keys-endpoint";
import { handleCreateTracked, handleDeleteTracked, handleGetTracked, handleListTracked, handleUpdateTracked } from "@/server/http/tracked-routes-endpoint";
import {
  handleChannelAttempts,
  handleCreateChannel,
  handleCreateRule,
  handleDeleteChannel,
  handleDeleteRule,
  handleGetNotification,
  handleGetPreferences,
  handleListChannels,
  handleListNotifications,
  handleListRules,
  handleMarkRead,
  handleRouteChannels,
  handleSetRouteChannels,
  handleTestChannel,
  handleUpdateChannel,
  handleUpdatePreferences,
  handleUpdateRule,
} from "@/server/http/alerts-endpoint";
import {
  handleAdminOverview,
  handleDiscardIngestion,
  handleGetIngestion,
  handleListIngestions,
  handleListProviders,
  handlePauseProvider,
  handleResumeProvider,
  handleRetryIngestion,
} from "@/server/http/admin-endpoint";
import { notification } from "@/db/schema";
import { adminProcedure, createTRPCRouter, createCallerFactory } from "@/server/trpc/init";
import { adminRouter } from "@/server/trpc/routers/admin";
import { createCaller } from "@/server/trpc/root";
import { describeEachEngine } from "@/test/engines";
import { schemaErrors } from "@/test/openapi";
import { graphqlClient } from "@/test/graphql";
import { procedureContext } from "@/test/trpc";

/**
 * The ownership matrix: every resource a user owns, on every surface that serves it. Another
 * user can neither read, change nor delete it; anonymous calls get 401; admin-only procedures
 * refuse users. Each new resource, and each new surface of one, adds a row here.
 * The account itself (profile, linked sign-in methods, export, deletion) takes no id: every
 * account procedure acts on the caller's own (a test below; server/services/accounts/account.test.ts). Linked sign-in methods (auth_account)
 * are only read, on the account page. A session cookie resolves only to its own user
 * (server/auth/principal.test.ts). Tracked routes: also read alone, edited and paused by another
 * user (404) and anonymous callers (401); API keys without the tracking scopes are refused (a
 * test below). Alert rules, notification channels (also tested, logged, renamed by another user:
 * 404) and notifications (read, marked read), preferences and the route's channel choice: rows
 * and a test below; e2e/alerts.spec.ts checks that another user's notification page is a 404 and
 * their lists show none of it. Pages: e2e/sign-in.spec.ts checks that another user's account
 * page and export show none of the owner's sessions or keys. The admin console: every tRPC admin.*
 * procedure and every REST /api/v1/admin/... endpoint refuse users (403) and anonymous callers
 * (401), as a group (a test below); its keys need the `admin` scope and an owner who is an admin
 * still (server/http/admin-endpoint.test.ts). GraphQL (/api/graphql) serves tracked routes (a row)
 * and notifications (the notifications test); it has no admin fields. Its scopes and cross-site
 * refusals: server/graphql/access.test.ts.
 */

/** Who calls: a principal for in-process tRPC calls, the same user's session cookie for HTTP. */
interface Actor {
  principal: Principal | null;
  cookie: string | null;
}

/** A refusal, in tRPC's words whatever the surface. */
const STATUS_CODES: Record<number, string> = { 400: "BAD_REQUEST", 401: "UNAUTHORIZED", 403: "FORBIDDEN", 404: "NOT_FOUND" };
const GRAPHQL_CODES: Record<string, string> = { BAD_USER_INPUT: "BAD_REQUEST", UNAUTHENTICATED: "UNAUTHORIZED", FORBIDDEN: "FORBIDDEN", NOT_FOUND: "NOT_FOUND" };

interface OwnedResource {
  name: string;
  surface: "tRPC" | "REST" | "GraphQL";
  create(actor: Actor): Promise<string>;
  /** The ids `actor` can see. */
  list(actor: Actor): Promise<string[]>;
  /** Changes or deletes it (throws { code } when refused). */
  mutate(actor: Actor, id: string): Promise<unknown>;
  /** Whether it is still intact for its owner. */
  intact(actor: Actor, id: string): Promise<boolean>;
  /** Made by signing in, not through the surface: there is no creation to refuse anonymous callers. */
  madeBySigningIn?: true;
  /** More that another user (404) and anonymous callers (401) are refused: reading it alone, editing, pausing. */
  refusedToOthers?: Record<string, (actor: Actor, id: string) => Promise<unknown>>;
}

describeEachEngine("ownership", ({ app }) => {
  const context = procedureContext(app);
  const trpc = (actor: Actor) => createCaller(context({ principal: actor.principal }));
  /** The REST handlers by method and path, as the route files wire them. */
  type Handler = (request: Request, ctx: AppContext, id: string) => Promise<Response>;
  const ID = "([^/]+)";
  const ROUTES: [string, RegExp, Handler][] = [
    ["GET", /^\/api\/v1\/api-keys$/, handleListApiKeys],
    ["POST", /^\/api\/v1\/api-keys$/, handleCreateApiKey],
    ["DELETE", new RegExp(`^/api/v1/api-keys/${ID}$`), handleRevokeApiKey],
    ["GET", /^\/api\/v1\/tracked-routes$/, handleListTracked],
    ["POST", /^\/api\/v1\/tracked-routes$/, handleCreateTracked],
    ["GET", new RegExp(`^/api/v1/tracked-routes/${ID}$`), handleGetTracked],
    ["PATCH", new RegExp(`^/api/v1/tracked-routes/${ID}$`), handleUpdateTracked],
    ["DELETE", new RegExp(`^/api/v1/tracked-routes/${ID}$`), handleDeleteTracked],
    ["GET", new RegExp(`^/api/v1/tracked-routes/${ID}/alert-rules$`), handleListRules],
    ["POST", new RegExp(`^/api/v1/tracked-routes/${ID}/alert-rules$`), handleCreateRule],
    ["GET", new RegExp(`^/api/v1/tracked-routes/${ID}/channels$`), handleRouteChannels],
    ["PUT", new RegExp(`^/api/v1/tracked-routes/${ID}/channels$`), handleSetRouteChannels],
    ["PATCH", new RegExp(`^/api/v1/alert-rules/${ID}$`), handleUpdateRule],
    ["DELETE", new RegExp(`^/api/v1/alert-rules/${ID}$`), handleDeleteRule],
    ["GET", /^\/api\/v1\/notification-channels$/, handleListChannels],
    ["POST", /^\/api\/v1\/notification-channels$/, handleCreateChannel],
    ["PATCH", new RegExp(`^/api/v1/notification-channels/${ID}$`), handleUpdateChannel],
    ["DELETE", new RegExp(`^/api/v1/notification-channels/${ID}$`), handleDeleteChannel],
    ["POST", new RegExp(`^/api/v1/notification-channels/${ID}/test$`), handleTestChannel],
    ["GET", new RegExp(`^/api/v1/notification-channels/${ID}/attempts$`), handleChannelAttempts],
    ["GET", /^\/api\/v1\/notification-preferences$/, handleGetPreferences],
    ["PATCH", /^\/api\/v1\/notification-preferences$/, handleUpdatePreferences],
    ["GET", /^\/api\/v1\/notifications$/, handleListNotifications],
    ["POST", /^\/api\/v1\/notifications\/read$/, handleMarkRead],
    ["GET", new RegExp(`^/api/v1/notifications/${ID}$`), handleGetNotification],
    ["GET", /^\/api\/v1\/admin\/overview$/, handleAdminOverview],
    ["GET", /^\/api\/v1\/admin\/ingestions$/, handleListIngestions],
    ["GET", new RegExp(`^/api/v1/admin/ingestions/${ID}$`), handleGetIngestion],
    ["POST", new RegExp(`^/api/v1/admin/ingestions/${ID}/retry$`), handleRetryIngestion],
    ["POST", new RegExp(`^/api/v1/admin/ingestions/${ID}/discard$`), handleDiscardIngestion],
    ["GET", /^\/api\/v1\/admin\/providers$/, handleListProviders],
    ["POST", new RegExp(`^/api/v1/admin/providers/${ID}/pause$`), handlePauseProvider],
    ["POST", new RegExp(`^/api/v1/admin/providers/${ID}/resume$`), handleResumeProvider],
  ];
  const handler = (method: string, path: string): ((request: Request, ctx: AppContext) => Promise<Response>) => {
    const pathname = path.split("?")[0]!;
    for (const [m, pattern, handle] of ROUTES) {
      const match = m === method ? pattern.exec(pathname) : null;
      if (match) return (request, ctx) => handle(request, ctx, match[1]!);
    }
    throw new Error(`no handler for ${method} ${path}`);
  };
  const rest = async (actor: Actor, method: string, path: string, body?: unknown): Promise<Response> => {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (actor.cookie) headers.cookie = actor.cookie;
    const request = new Request(`http://localhost:3000${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const response = await handler(method, path)(request, app());
    if (response.status >= 400) throw Object.assign(new Error(await response.text()), { code: STATUS_CODES[response.status] ?? String(response.status) });
    return response;
  };
  const restJson = async <T>(actor: Actor, method: string, path: string, body?: unknown): Promise<T> => (await (await rest(actor, method, path, body)).json()) as T;
  /** /api/graphql in process with the actor's cookie; a refusal throws { code } in tRPC's words. */
  const gqlClient = graphqlClient(app);
  const graphql = async <T>(actor: Actor, query: string, variables: Record<string, unknown> = {}): Promise<T> => {
    const answer = await gqlClient<T>(query, { variables, headers: actor.cookie ? { cookie: actor.cookie, host: "localhost:3000", "sec-fetch-site": "same-origin" } : {} });
    const code = answer.errors[0]?.extensions?.code;
    if (code) throw Object.assign(new Error(answer.errors[0]!.message), { code: GRAPHQL_CODES[code] ?? code });
    return answer.data!;
  };
  const departureDate = addDays(new Date().toISOString().slice(0, 10), 45);
  const tracked = { kind: "exact" as const, originCode: "LHR", destinationCode: "JFK", departureDate };

  const RESOURCES: OwnedResource[] = [
    {
      name: "API key",
      surface: "tRPC",
      create: async (actor) => (await trpc(actor).apiKey.create({ name: "matrix", scopes: ["search"] })).summary.id,
      list: async (actor) => (await trpc(actor).apiKey.list()).map((k) => k.id),
      mutate: (actor, id) => trpc(actor).apiKey.revoke({ id }),
      intact: async (actor, id) => (await trpc(actor).apiKey.list()).some((k) => k.id === id && k.revokedAt === null),
    },
    {
      name: "API key",
      surface: "REST",
      create: async (actor) => ((await (await rest(actor, "POST", "/api/v1/api-keys", { name: "matrix", scopes: ["history"] })).json()) as { apiKey: { id: string } }).apiKey.id,
      list: async (actor) => ((await (await rest(actor, "GET", "/api/v1/api-keys")).json()) as { apiKeys: { id: string }[] }).apiKeys.map((k) => k.id),
      mutate: (actor, id) => rest(actor, "DELETE", `/api/v1/api-keys/${id}`),
      intact: async (actor, id) =>
        ((await (await rest(actor, "GET", "/api/v1/api-keys")).json()) as { apiKeys: { id: string; revokedAt: string | null }[] }).apiKeys.some((k) => k.id === id && k.revokedAt === null),
    },
    {
      name: "session",
      surface: "tRPC",
      madeBySigningIn: true,
      create: async (actor) => {
        const token = crypto.randomBytes(32).toString("hex");
        await accountsAdapter(app().db).createSession!({ sessionToken: token, userId: actor.principal!.userId, expires: new Date(Date.now() + 3_600_000) });
        return sessionId(sessionTokenHash(token));
      },
      list: async (actor) => (await trpc(actor).account.sessions()).map((s) => s.id),
      mutate: (actor, id) => trpc(actor).account.endSession({ id }),
      intact: async (actor, id) => (await trpc(actor).account.sessions()).some((s) => s.id === id),
    },
    {
      name: "tracked route",
      surface: "tRPC",
      create: async (actor) => (await trpc(actor).tracking.create(tracked)).id,
      list: async (actor) => (await trpc(actor).tracking.list()).map((r) => r.id),
      mutate: (actor, id) => trpc(actor).tracking.delete({ id }),
      intact: async (actor, id) => (await trpc(actor).tracking.list()).some((r) => r.id === id && r.status === "active" && r.departureDate === departureDate),
      refusedToOthers: {
        read: (actor, id) => trpc(actor).tracking.get({ id }),
        edit: (actor, id) => trpc(actor).tracking.update({ id, departureDate: addDays(departureDate, 1) }),
        pause: (actor, id) => trpc(actor).tracking.update({ id, status: "paused" }),
      },
    },
    {
      name: "tracked route",
      surface: "REST",
      create: async (actor) => (await restJson<{ trackedRoute: { id: string } }>(actor, "POST", "/api/v1/tracked-routes", tracked)).trackedRoute.id,
      list: async (actor) => (await restJson<{ trackedRoutes: { id: string }[] }>(actor, "GET", "/api/v1/tracked-routes")).trackedRoutes.map((r) => r.id),
      mutate: (actor, id) => rest(actor, "DELETE", `/api/v1/tracked-routes/${id}`),
      intact: async (actor, id) =>
        (await restJson<{ trackedRoute: { status: string; departureDate: string } }>(actor, "GET", `/api/v1/tracked-routes/${id}`).then(
          (r) => r.trackedRoute.status === "active" && r.trackedRoute.departureDate === departureDate,
          () => false,
        )),
      refusedToOthers: {
        read: (actor, id) => rest(actor, "GET", `/api/v1/tracked-routes/${id}`),
        edit: (actor, id) => rest(actor, "PATCH", `/api/v1/tracked-routes/${id}`, { departureDate: addDays(departureDate, 1) }),
        pause: (actor, id) => rest(actor, "PATCH", `/api/v1/tracked-routes/${id}`, { status: "paused" }),
      },
    },
    {
      name: "tracked route",
      surface: "GraphQL",
      create: async (actor) =>
        (await graphql<{ trackRoute: { id: string } }>(actor, "mutation($input: TrackRouteInput!) { trackRoute(input: $input) { id } }", { input: { ...tracked, kind: "EXACT" } })).trackRoute.id,
      list: async (actor) => (await graphql<{ trackedRoutes: { id: string }[] }>(actor, "{ trackedRoutes { id } }")).trackedRoutes.map((r) => r.id),
      mutate: (actor, id) => graphql(actor, "mutation($id: ID!) { untrackRoute(id: $id) }", { id }),
      intact: async (actor, id) =>
        (await graphql<{ trackedRoutes: { id: string; status: string; departureDate: string }[] }>(actor, "{ trackedRoutes { id status departureDate } }")).trackedRoutes.some(
          (r) => r.id === id && r.status === "ACTIVE" && r.departureDate === departureDate,
        ),
      refusedToOthers: {
        read: (actor, id) => graphql(actor, "query($id: ID!) { trackedRoute(id: $id) { id } }", { id }),
        edit: (actor, id) => graphql(actor, "mutation($id: ID!, $date: Date) { updateTrackedRoute(id: $id, input: { departureDate: $date }) { id } }", { id, date: addDays(departureDate, 1) }),
        pause: (actor, id) => graphql(actor, "mutation($id: ID!) { updateTrackedRoute(id: $id, input: { status: PAUSED }) { id } }", { id }),
      },
    },
    {
      name: "alert rule",
      surface: "tRPC",
      create: async (actor) => {
        const route = await trpc(actor).tracking.create(tracked);
        return (await trpc(actor).alerts.addRule({ trackedRouteId: route.id, kind: "below_target", targetAmount: 300 })).id;
      },
      list: async (actor) => (await Promise.all((await trpc(actor).tracking.list()).map((r) => trpc(actor).alerts.rules({ trackedRouteId: r.id })))).flat().map((r) => r.id),
      mutate: (actor, id) => trpc(actor).alerts.deleteRule({ id }),
      intact: async (actor, id) =>
        (await Promise.all((await trpc(actor).tracking.list()).map((r) => trpc(actor).alerts.rules({ trackedRouteId: r.id })))).flat().some((r) => r.id === id && r.enabled && r.target?.amount === 300),
      refusedToOthers: {
        disable: (actor, id) => trpc(actor).alerts.updateRule({ id, enabled: false }),
        retarget: (actor, id) => trpc(actor).alerts.updateRule({ id, targetAmount: 1 }),
      },
    },
    {
      name: "alert rule",
      surface: "REST",
      create: async (actor) => {
        const route = (await restJson<{ trackedRoute: { id: string } }>(actor, "POST", "/api/v1/tracked-routes", tracked)).trackedRoute;
        return (await restJson<{ alertRule: { id: string } }>(actor, "POST", `/api/v1/tracked-routes/${route.id}/alert-rules`, { kind: "below_target", targetAmount: 300 })).alertRule.id;
      },
      list: async (actor) => {
        const routes = (await restJson<{ trackedRoutes: { id: string }[] }>(actor, "GET", "/api/v1/tracked-routes")).trackedRoutes;
        const rules = await Promise.all(routes.map((r) => restJson<{ alertRules: { id: string }[] }>(actor, "GET", `/api/v1/tracked-routes/${r.id}/alert-rules`)));
        return rules.flatMap((r) => r.alertRules.map((rule) => rule.id));
      },
      mutate: (actor, id) => rest(actor, "DELETE", `/api/v1/alert-rules/${id}`),
      intact: async (actor, id) => {
        const routes = (await restJson<{ trackedRoutes: { id: string }[] }>(actor, "GET", "/api/v1/tracked-routes")).trackedRoutes;
        const rules = await Promise.all(routes.map((r) => restJson<{ alertRules: { id: string; enabled: boolean }[] }>(actor, "GET", `/api/v1/tracked-routes/${r.id}/alert-rules`)));
        return rules.some((r) => r.alertRules.some((rule) => rule.id === id && rule.enabled));
      },
      refusedToOthers: {
        disable: (actor, id) => rest(actor, "PATCH", `/api/v1/alert-rules/${id}`, { enabled: false }),
      },
    },
    {
      name: "notification channel",
      surface: "tRPC",
      create: async (actor) => (await trpc(actor).alerts.addChannel({ kind: "webhook", url: `https://hooks.example.com/matrix/${crypto.randomUUID()}` })).channel.id,
      list: async (actor) => (await trpc(actor).alerts.channels()).map((c) => c.id),
      mutate: (actor, id) => trpc(actor).alerts.deleteChannel({ id }),
      intact: async (actor, id) => (await trpc(actor).alerts.channels()).some((c) => c.id === id && c.enabled && c.name === "Webhook"),
      refusedToOthers: {
        disable: (actor, id) => trpc(actor).alerts.updateChannel({ id, enabled: false }),
        rename: (actor, id) => trpc(actor).alerts.updateChannel({ id, name: "mine now" }),
        test: (actor, id) => trpc(actor).alerts.testChannel({ id }),
        log: (actor, id) => trpc(actor).alerts.channelLog({ id }),
      },
    },
    {
      name: "notification channel",
      surface: "REST",
      create: async (actor) =>
        (await restJson<{ channel: { id: string } }>(actor, "POST", "/api/v1/notification-channels", { kind: "ntfy", url: `https://ntfy.example.com/matrix-${crypto.randomUUID()}` })).channel.id,
      list: async (actor) => (await restJson<{ channels: { id: string }[] }>(actor, "GET", "/api/v1/notification-channels")).channels.map((c) => c.id),
      mutate: (actor, id) => rest(actor, "DELETE", `/api/v1/notification-channels/${id}`),
      intact: async (actor, id) => (await restJson<{ channels: { id: string; enabled: boolean }[] }>(actor, "GET", "/api/v1/notification-channels")).channels.some((c) => c.id === id && c.enabled),
      refusedToOthers: {
        disable: (actor, id) => rest(actor, "PATCH", `/api/v1/notification-channels/${id}`, { enabled: false }),
        test: (actor, id) => rest(actor, "POST", `/api/v1/notification-channels/${id}/test`),
        log: (actor, id) => rest(actor, "GET", `/api/v1/notification-channels/${id}/attempts`),
      },
    },
  ];

  let sequence = 0;
  const user = async (role: "user" | "admin" = "user"): Promise<Actor> => {
    const row = await ensureUser(app().db, `owner-${Date.now()}-${sequence++}@example.test`);
    const token = crypto.randomBytes(32).toString("hex");
    await accountsAdapter(app().db).createSession!({ sessionToken: token, userId: row.id, expires: new Date(Date.now() + 3_600_000) });
    if (role === "admin") await app().db.execute(`UPDATE app_user SET role = 'admin' WHERE id = '${row.id}'`);
    return { principal: { via: "session", userId: row.id, role, sessionId: sessionId(sessionTokenHash(token)) }, cookie: `authjs.session-token=${token}` };
  };
  const anonymous: Actor = { principal: null, cookie: null };

  for (const resource of RESOURCES) {
    it(`${resource.name} on ${resource.surface}: another user can neither read, change nor delete it; anonymous gets 401`, async () => {
      const owner = await user();
      const stranger = await user();
      const id = await resource.create(owner);
      expect(await resource.list(owner)).toContain(id);
      expect(await resource.list(stranger)).not.toContain(id);
      await expect(resource.mutate(stranger, id)).rejects.toMatchObject({ code: "NOT_FOUND" });
      for (const refused of Object.values(resource.refusedToOthers ?? {})) {
        await expect(refused(stranger, id)).rejects.toMatchObject({ code: "NOT_FOUND" });
        await expect(refused(anonymous, id)).rejects.toMatchObject({ code: "UNAUTHORIZED" });
      }
      expect(await resource.intact(owner, id)).toBe(true);
      await expect(resource.list(anonymous)).rejects.toMatchObject({ code: "UNAUTHORIZED" });
      await expect(resource.mutate(anonymous, id)).rejects.toMatchObject({ code: "UNAUTHORIZED" });
      if (!resource.madeBySigningIn) await expect(resource.create(anonymous)).rejects.toMatchObject({ code: "UNAUTHORIZED" });
      expect(await resource.intact(owner, id)).toBe(true);
      await resource.mutate(owner, id);
      expect(await resource.intact(owner, id)).toBe(false);
    });
  }

  it("API keys are managed with a session only: a key can neither list, make nor revoke keys, on tRPC or REST", async () => {
    const owner = await user();
    const { key, summary } = await trpc(owner).apiKey.create({ name: "robot", scopes: ["search", "history"], expiresInDays: 30 });
    expect(summary.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    const audited = await auditEvents(app().db, { actorId: owner.principal!.userId });
    expect(audited.map((e) => [e.action, e.detail])).toEqual([["api_key_created", { keyId: summary.id, name: "robot", scopes: ["search", "history"] }]]);
    expect(JSON.stringify(audited)).not.toContain(key);
    const viaKey = (await authenticateApiKey(app().db, key))!;
    const keyActor: Actor = { principal: { via: "key", userId: viaKey.userId, role: viaKey.role, keyId: viaKey.keyId, scopes: viaKey.scopes }, cookie: null };
    await expect(trpc(keyActor).apiKey.list()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(trpc(keyActor).apiKey.revoke({ id: summary.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(trpc(keyActor).apiKey.create({ name: "child", scopes: ["search"] })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const bearer = new Request("http://localhost:3000/api/v1/api-keys", { headers: { authorization: `Bearer ${key}` } });
    expect((await handleListApiKeys(bearer, app())).status).toBe(403);
    const anonymousList = await handleListApiKeys(new Request("http://localhost:3000/api/v1/api-keys"), app());
    expect(anonymousList.status).toBe(401);
    expect(anonymousList.headers.get("www-authenticate")).toMatch(/^Bearer/);
  });

  it("refuses bad input per field and cross-site mutations, on tRPC and REST", async () => {
    const owner = await user();
    await expect(trpc(owner).apiKey.create({ name: "  ", scopes: [] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(trpc(owner).apiKey.create({ name: "x\u0000", scopes: ["search"] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(trpc(owner).apiKey.create({ name: "dup", scopes: ["search", "search"] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(trpc(owner).apiKey.revoke({ id: "not-a-uuid" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const post = (body: string, headers: Record<string, string> = {}) =>
      handleCreateApiKey(new Request("http://localhost:3000/api/v1/api-keys", { method: "POST", headers: { cookie: owner.cookie!, "content-type": "application/json", ...headers }, body }), app());
    const bad = await post(JSON.stringify({ name: "", scopes: ["everything"] }));
    expect(bad.status).toBe(400);
    expect(Object.keys((await bad.json()).errors).sort()).toEqual(["name", "scopes"]);
    expect((await post("not json")).status).toBe(400);
    expect((await post(JSON.stringify({ name: "x", scopes: ["search"] }), { "sec-fetch-site": "cross-site" })).status).toBe(403);
    expect((await post(JSON.stringify({ name: "x", scopes: ["search"] }), { origin: "https://evil.example" })).status).toBe(403);
    const made = await post(JSON.stringify({ name: "ok", scopes: ["search"] }), { origin: "http://localhost:3000", "sec-fetch-site": "same-origin" });
    expect(made.status).toBe(201);
    // `next start` on every address hands the handler a URL at 0.0.0.0; the browser's Host is what counts.
    const anyAddress = await handleCreateApiKey(
      new Request("http://0.0.0.0:3000/api/v1/api-keys", {
        method: "POST",
        headers: { cookie: owner.cookie!, "content-type": "application/json", host: "localhost:3000", origin: "http://localhost:3000", "sec-fetch-site": "same-origin" },
        body: JSON.stringify({ name: "any address", scopes: ["search"] }),
      }),
      app(),
    );
    expect(anyAddress.status).toBe(201);
    expect((await made.json()).key).toMatch(/^ft_/);
    expect(await trpc(owner).apiKey.list()).toHaveLength(2);
  });

  it("what the account procedures read without an id (profile, linked methods, sessions, export) is the caller's own only", async () => {
    const owner = await user();
    const stranger = await user();
    const { key, summary } = await trpc(owner).apiKey.create({ name: "owner's key", scopes: ["search"] });
    await app().db.execute(
      `INSERT INTO auth_account (user_id, type, provider, provider_account_id) VALUES ('${owner.principal!.userId}', 'oauth', 'github', 'gh-owner-4242')`,
    );
    const ownerSessions = (await trpc(owner).account.sessions()).map((s) => s.id);
    expect((await trpc(owner).account.me()).signInMethods).toContain("github");
    const seen = JSON.stringify([await trpc(stranger).account.me(), await trpc(stranger).account.sessions(), await trpc(stranger).account.export()]);
    for (const owned of [owner.principal!.userId, summary.id, "owner's key", key.slice(0, 11), "gh-owner-4242", "github", ...ownerSessions]) expect(seen).not.toContain(owned);
    await expect(trpc(anonymous).account.export()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("tracked routes with an API key: tracking:read reads, tracking:write changes, other keys are refused (403), on tRPC and REST", async () => {
    const owner = await user();
    const keyActor = async (scopes: ("search" | "tracking:read" | "tracking:write")[]) => {
      const { key } = await trpc(owner).apiKey.create({ name: scopes.join("+"), scopes });
      const found = (await authenticateApiKey(app().db, key))!;
      return { actor: { principal: { via: "key", userId: found.userId, role: found.role, keyId: found.keyId, scopes: found.scopes }, cookie: null } as Actor, key };
    };
    const searchOnly = await keyActor(["search"]);
    const reader = await keyActor(["tracking:read"]);
    const writer = await keyActor(["tracking:write"]);
    await expect(trpc(searchOnly.actor).tracking.list()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(trpc(reader.actor).tracking.create(tracked)).rejects.toMatchObject({ code: "FORBIDDEN" });
    const made = await trpc(writer.actor).tracking.create(tracked);
    expect((await trpc(reader.actor).tracking.list()).map((r) => r.id)).toEqual([made.id]);
    const bearer = (key: string, method: string, path: string, body?: unknown) =>
      handler(method, path)(
        new Request(`http://localhost:3000${path}`, { method, headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) }),
        app(),
      );
    expect((await bearer(searchOnly.key, "GET", "/api/v1/tracked-routes")).status).toBe(403);
    expect((await bearer(reader.key, "GET", `/api/v1/tracked-routes/${made.id}`)).status).toBe(200);
    expect((await bearer(reader.key, "PATCH", `/api/v1/tracked-routes/${made.id}`, { status: "paused" })).status).toBe(403);
    const paused = await bearer(writer.key, "PATCH", `/api/v1/tracked-routes/${made.id}`, { status: "paused" });
    expect(paused.status).toBe(200);
    const pausedBody = (await paused.json()) as { trackedRoute: { state: string } };
    expect(pausedBody.trackedRoute.state).toBe("paused");
    // Answers in the OpenAPI document's shapes.
    expect(schemaErrors("TrackedRouteAnswer", pausedBody)).toEqual([]);
    expect(schemaErrors("TrackedRouteList", await (await bearer(reader.key, "GET", "/api/v1/tracked-routes")).json())).toEqual([]);
    const created = await bearer(writer.key, "POST", "/api/v1/tracked-routes", { ...tracked, kind: "flexible", departureDate: undefined, departFrom: departureDate, departTo: addDays(departureDate, 3) });
    expect(created.status).toBe(201);
    expect(created.headers.get("location")).toMatch(/^\/api\/v1\/tracked-routes\/[0-9a-f-]{36}$/);
    const bad = await bearer(writer.key, "POST", "/api/v1/tracked-routes", { kind: "flexible", originCode: "LHR", destinationCode: "LHR", departFrom: "yesterday" });
    expect(bad.status).toBe(400);
    expect(Object.keys(((await bad.json()) as { errors: Record<string, string[]> }).errors).sort()).toEqual(["departFrom", "departTo", "destinationCode"]);
    expect((await bearer(writer.key, "DELETE", "/api/v1/tracked-routes/not-an-id")).status).toBe(400);
    expect(await trpc(owner).tracking.list()).toHaveLength(2);
  });

  it("notifications, preferences and a route's channels: another user can neither read nor change them, nor point a route at another's channel; anonymous gets 401; on tRPC and REST", async () => {
    const owner = await user();
    const stranger = await user();
    const route = await trpc(owner).tracking.create(tracked);
    const [rule] = await trpc(owner).alerts.rules({ trackedRouteId: route.id });
    const [made] = await app()
      .db.insert(notification)
      .values({ userId: owner.principal!.userId, trackedRouteId: route.id, ruleId: rule!.id, observedAt: new Date(), kind: "drop", reasons: [], priceMinor: 30_000, currency: "GBP" })
      .returning();
    const id = made!.id;
    // tRPC
    expect((await trpc(stranger).alerts.notifications({})).items).toEqual([]);
    await expect(trpc(stranger).alerts.notification({ id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(trpc(stranger).alerts.notifications({ trackedRouteId: route.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await trpc(stranger).alerts.markRead({ ids: [id] })).toEqual({ marked: 0, unread: 0 });
    await expect(trpc(stranger).alerts.routeChannels({ trackedRouteId: route.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(trpc(stranger).alerts.setRouteChannels({ trackedRouteId: route.id, channelIds: [] })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const strangersChannel = (await trpc(stranger).alerts.addChannel({ kind: "webhook", url: "https://hooks.example.com/stranger" })).channel.id;
    await expect(trpc(owner).alerts.setRouteChannels({ trackedRouteId: route.id, channelIds: [strangersChannel] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    for (const call of [() => trpc(anonymous).alerts.notifications({}), () => trpc(anonymous).alerts.notification({ id }), () => trpc(anonymous).alerts.markRead({ ids: "all" }), () => trpc(anonymous).alerts.unread()]) {
      await expect(call()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    }
    // REST
    expect((await restJson<{ notifications: unknown[] }>(stranger, "GET", "/api/v1/notifications")).notifications).toEqual([]);
    await expect(rest(stranger, "GET", `/api/v1/notifications/${id}`)).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await restJson(stranger, "POST", "/api/v1/notifications/read", { ids: "all" })).toEqual({ marked: 0, unread: 0 });
    await expect(rest(stranger, "PUT", `/api/v1/tracked-routes/${route.id}/channels`, { channelIds: [] })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(rest(anonymous, "GET", "/api/v1/notifications")).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(rest(anonymous, "GET", `/api/v1/notifications/${id}`)).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    // GraphQL
    const NOTIFICATIONS = "query($route: ID) { notifications(trackedRouteId: $route) { unreadCount edges { node { id } } } }";
    expect(await graphql(stranger, NOTIFICATIONS)).toEqual({ notifications: { unreadCount: 0, edges: [] } });
    await expect(graphql(stranger, NOTIFICATIONS, { route: route.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(graphql(anonymous, NOTIFICATIONS)).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    expect(await graphql(owner, NOTIFICATIONS, { route: route.id })).toEqual({ notifications: { unreadCount: 1, edges: [{ node: { id } }] } });
    // Preferences take no id: each caller reads and changes their own only.
    await trpc(owner).alerts.setPreferences({ mode: "digest", dailyCap: 3 });
    expect(await trpc(stranger).alerts.preferences()).toMatchObject({ mode: "instant", dailyCap: 20 });
    await restJson(stranger, "PATCH", "/api/v1/notification-preferences", { dailyCap: 50 });
    expect(await trpc(owner).alerts.preferences()).toMatchObject({ mode: "digest", dailyCap: 3 });
    await expect(trpc(anonymous).alerts.preferences()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(rest(anonymous, "PATCH", "/api/v1/notification-preferences", { dailyCap: 1 })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    // The owner's is intact and still unread.
    const mine = await trpc(owner).alerts.notifications({});
    expect(mine.items.map((n) => [n.id, n.read])).toEqual([[id, false]]);
    expect((await restJson<{ notification: { id: string } }>(owner, "GET", `/api/v1/notifications/${id}`)).notification.id).toBe(id);
    expect(await trpc(owner).alerts.markRead({ ids: [id] })).toEqual({ marked: 1, unread: 0 });
  });

  it("admin-only procedures refuse users (403) and anonymous calls (401)", async () => {
    const router = createTRPCRouter({ secret: adminProcedure.query(({ ctx }) => ctx.principal.userId) });
    const call = (actor: Actor) => createCallerFactory(router)(context({ principal: actor.principal }));
    const admin = await user("admin");
    expect(await call(admin).secret()).toBe(admin.principal!.userId);
    await expect(call(await user()).secret()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(call(anonymous).secret()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    // The admin console's procedures, as a group: every one of them, with valid input.
    const id = crypto.randomUUID();
    const ADMIN_PROCEDURES: Record<string, (actor: Actor) => Promise<unknown>> = {
      "admin.overview": (actor) => trpc(actor).admin.overview(),
      "admin.schedulerPause": (actor) => trpc(actor).admin.schedulerPause(),
      "admin.setSchedulerPaused": (actor) => trpc(actor).admin.setSchedulerPaused({ paused: true, reason: "matrix" }),
      "admin.runs": (actor) => trpc(actor).admin.runs({}),
      "admin.run": (actor) => trpc(actor).admin.run({ id: 1 }),
      "admin.failures": (actor) => trpc(actor).admin.failures({}),
      "admin.retryDead": (actor) => trpc(actor).admin.retryDead({ runIds: [1] }),
      "admin.discardDead": (actor) => trpc(actor).admin.discardDead({ group: { provider: "skyway", kind: "error" } }),
      "admin.providers": (actor) => trpc(actor).admin.providers(),
      "admin.providerHealth": (actor) => trpc(actor).admin.providerHealth(),
      "admin.setProviderPaused": (actor) => trpc(actor).admin.setProviderPaused({ provider: "skyway", paused: true }),
      "admin.freshness": (actor) => trpc(actor).admin.freshness({ overdueOnly: true }),
      "admin.refreshNow": (actor) => trpc(actor).admin.refreshNow({ queryIds: [1] }),
      "admin.deliveries": (actor) => trpc(actor).admin.deliveries(),
      "admin.retryDelivery": (actor) => trpc(actor).admin.retryDelivery({ deliveryId: id }),
      "admin.users": (actor) => trpc(actor).admin.users({}),
      "admin.setUserRole": (actor) => trpc(actor).admin.setUserRole({ userId: actor.principal?.userId ?? id, role: "admin" }),
      "admin.setUserDisabled": (actor) => trpc(actor).admin.setUserDisabled({ userId: id, disabled: true }),
      "admin.audit": (actor) => trpc(actor).admin.audit({}),
    };
    expect(Object.keys(ADMIN_PROCEDURES).sort()).toEqual(Object.keys(adminRouter._def.procedures).map((name) => `admin.${name}`).sort());
    // And the REST endpoints (/api/v1/admin/...), with made-up ids: refused before they are looked at.
    const ADMIN_ENDPOINTS: [string, string][] = [
      ["GET", "/api/v1/admin/overview"],
      ["GET", "/api/v1/admin/ingestions?state=dead"],
      ["GET", "/api/v1/admin/ingestions/1"],
      ["POST", "/api/v1/admin/ingestions/1/retry"],
      ["POST", "/api/v1/admin/ingestions/1/discard"],
      ["GET", "/api/v1/admin/providers"],
      ["POST", "/api/v1/admin/providers/skyway/pause"],
      ["POST", "/api/v1/admin/providers/skyway/resume"],
    ];
    const someone = await user();
    for (const [name, procedure] of Object.entries(ADMIN_PROCEDURES)) {
      await expect(procedure(someone), name).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(procedure(anonymous), name).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    }
    for (const [method, path] of ADMIN_ENDPOINTS) {
      await expect(rest(someone, method, path), `${method} ${path}`).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(rest(anonymous, method, path), `${method} ${path}`).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    }
    // Nothing they tried happened: the user is no admin, the scheduler and the providers run.
    expect((await trpc(admin).admin.providers()).every((p) => p.paused === null)).toBe(true);
    expect(await trpc(admin).admin.schedulerPause()).toBeNull();
    expect((await restJson<{ providers: { paused: unknown }[] }>(admin, "GET", "/api/v1/admin/providers")).providers.every((p) => p.paused === null)).toBe(true);
    expect((await userById(app().db, someone.principal!.userId))!.role).toBe("user");
  });
}, { seed: true });
