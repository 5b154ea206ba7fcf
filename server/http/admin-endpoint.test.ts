import crypto from "node:crypto";
import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { createApiKey, listApiKeys } from "@/db/queries/api-keys";
import { auditEvents } from "@/db/queries/audit";
import { upsertFlightQuery } from "@/db/queries/snapshots";
import { ensureUser, setRole } from "@/db/queries/users";
import { ingestionRun, type RunProviderReport } from "@/db/schema";
import { accountsAdapter, sessionTokenHash } from "@/server/auth/adapter";
import { sessionId } from "@/db/queries/sessions";
import type { Principal } from "@/server/auth/principal";
import { API_KEY_SCOPES, type ApiKeyScope } from "@/server/core/api-keys";
import { runsInput } from "@/server/core/admin-input";
import type { AppContext } from "@/server/context";
import { createBoss, prepareQueues } from "@/server/jobs/queue";
import { ADMIN_SCOPE_REFUSAL } from "@/server/services/accounts/api-keys";
import { createCaller } from "@/server/trpc/root";
import { describeEachEngine } from "@/test/engines";
import { uniqueQuery } from "@/test/fixtures";
import { schemaErrors } from "@/test/openapi";
import { procedureContext } from "@/test/trpc";
import * as admin from "./admin-endpoint";
import { handleCreateApiKey } from "./api-keys-endpoint";
import { openApiDocument } from "./openapi";

/**
 * REST for the admin console against a real database: every endpoint's answer in the OpenAPI
 * document's shape, the runs' filters and cursor, bad input refused per field (never a 500), and
 * who may call: a signed-in admin, an admin's key with the `admin` scope while its owner is an
 * admin; a user 403, anonymous 401, a key without the scope 403.
 */

type Handler = (request: Request, ctx: AppContext, ...ids: string[]) => Promise<Response>;

/** The handlers by method and path, as the route files under app/api/v1/admin wire them. */
const ROUTES: [string, RegExp, Handler][] = [
  ["GET", /^\/api\/v1\/admin\/overview$/, admin.handleAdminOverview],
  ["GET", /^\/api\/v1\/admin\/ingestions$/, admin.handleListIngestions],
  ["GET", /^\/api\/v1\/admin\/ingestions\/([^/]+)$/, admin.handleGetIngestion],
  ["POST", /^\/api\/v1\/admin\/ingestions\/([^/]+)\/retry$/, admin.handleRetryIngestion],
  ["POST", /^\/api\/v1\/admin\/ingestions\/([^/]+)\/discard$/, admin.handleDiscardIngestion],
  ["GET", /^\/api\/v1\/admin\/providers$/, admin.handleListProviders],
  ["POST", /^\/api\/v1\/admin\/providers\/([^/]+)\/pause$/, admin.handlePauseProvider],
  ["POST", /^\/api\/v1\/admin\/providers\/([^/]+)\/resume$/, admin.handleResumeProvider],
];

/** The route files, by the document's path. */
const ROUTE_FILES: Record<string, () => Promise<Record<string, unknown>>> = {
  "/api/v1/admin/overview": () => import("@/app/api/v1/admin/overview/route"),
  "/api/v1/admin/ingestions": () => import("@/app/api/v1/admin/ingestions/route"),
  "/api/v1/admin/ingestions/{id}": () => import("@/app/api/v1/admin/ingestions/[id]/route"),
  "/api/v1/admin/ingestions/{id}/retry": () => import("@/app/api/v1/admin/ingestions/[id]/retry/route"),
  "/api/v1/admin/ingestions/{id}/discard": () => import("@/app/api/v1/admin/ingestions/[id]/discard/route"),
  "/api/v1/admin/providers": () => import("@/app/api/v1/admin/providers/route"),
  "/api/v1/admin/providers/{id}/pause": () => import("@/app/api/v1/admin/providers/[id]/pause/route"),
  "/api/v1/admin/providers/{id}/resume": () => import("@/app/api/v1/admin/providers/[id]/resume/route"),
};

const adminPaths = () => Object.entries(openApiDocument().paths as Record<string, Record<string, unknown>>).filter(([path]) => path.startsWith("/api/v1/admin/"));

it("each admin route file serves its path's methods in the document, and refuses the others with 405 and Allow", async () => {
  expect(Object.keys(ROUTE_FILES).sort()).toEqual(adminPaths().map(([path]) => path).sort());
  for (const [path, load] of Object.entries(ROUTE_FILES)) {
    const served = Object.keys(Object.fromEntries(adminPaths())[path] ?? {}).map((m) => m.toUpperCase());
    const route = await load();
    for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"]) {
      expect(typeof route[method], `${method} ${path}`).toBe("function");
      if (served.includes(method)) continue;
      const refused = await (route[method] as (request: Request) => Promise<Response>)(new Request(`http://localhost:3000${path.replace("{id}", "1")}`, { method }));
      expect([method, path, refused.status]).toEqual([method, path, 405]);
    }
  }
});

it("documents the runs' query parameters as exactly runsInput's fields, and the admin scope", () => {
  const operation = openApiDocument().paths["/api/v1/admin/ingestions"].get;
  expect(operation.parameters.map((p) => p.name)).toEqual(Object.keys(runsInput.shape));
  expect(API_KEY_SCOPES).toContain("admin");
  for (const [path, operations] of adminPaths()) {
    for (const [method, op] of Object.entries(operations as Record<string, { security: unknown; tags: string[]; responses: Record<string, unknown> }>)) {
      expect([method, path, op.security]).toEqual([method, path, [{ apiKey: ["admin"] }, { session: [] }]]);
      expect([method, path, op.tags]).toEqual([method, path, ["Admin"]]);
      expect([method, path, Object.keys(op.responses)]).toEqual([method, path, expect.arrayContaining(["200", "401", "403"])]);
    }
  }
});

/** Who calls: a session cookie, an API key, or nobody. */
type Caller = { cookie: string } | { key: string } | null;

let sequence = 0;
/** An airport code no other test of the file uses (flight_query wants three capitals). */
function place(): string {
  const n = sequence++;
  return `Z${String.fromCharCode(65 + (Math.floor(n / 26) % 26))}${String.fromCharCode(65 + (n % 26))}`;
}
const M = 60_000;
const report = (provider: string, status: string, error?: string): RunProviderReport => ({ provider, status, offers: status === "ok" ? 3 : 0, latencyMs: 140, ...(error ? { error } : {}) });

describeEachEngine("admin REST", ({ app }) => {
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

  /** A user (or admin) with a session, and keys made straight in the database (no creation rule in the way). */
  async function person(role: "user" | "admin" = "user") {
    const user = await ensureUser(ctx().db, `admin-rest-${role}-${Date.now()}-${sequence++}@example.test`);
    if (role === "admin") await setRole(ctx().db, user.id, "admin");
    const token = crypto.randomBytes(32).toString("hex");
    await accountsAdapter(ctx().db).createSession!({ sessionToken: token, userId: user.id, expires: new Date(Date.now() + 3_600_000) });
    const key = async (...scopes: ApiKeyScope[]) => ({ key: (await createApiKey(ctx().db, user.id, { name: scopes.join("+"), scopes })).key });
    const principal: Principal = { via: "session", userId: user.id, role, sessionId: sessionId(sessionTokenHash(token)) };
    return { id: user.id, session: { cookie: `authjs.session-token=${token}` }, key, trpc: createCaller(procedureContext(app)({ principal })) };
  }

  /** Runs of a query of its own (origin and destination no other test uses), at `t` plus minutes. */
  async function runsOf(runs: (Partial<typeof ingestionRun.$inferInsert> & { minutes: number })[], t = new Date(Date.UTC(2021, 5, 1, 8))) {
    const [origin, destination] = [place(), place()];
    const queryId = await upsertFlightQuery(ctx().db, uniqueQuery({ origin, destination }), t);
    const rows = await ctx()
      .db.insert(ingestionRun)
      .values(runs.map(({ minutes, ...r }) => ({ jobId: crypto.randomUUID(), attempt: 1, status: "succeeded" as const, queryId, startedAt: new Date(t.getTime() + minutes * M), ...r })))
      .returning({ id: ingestionRun.id });
    return { origin, destination, queryId, ids: rows.map((r) => Number(r.id)) };
  }

  it("the overview and the providers, to an admin's session and to an admin's key with the admin scope, in the document's shapes", async () => {
    const boss = await person("admin");
    for (const who of [boss.session, await boss.key("admin")]) {
      const overview = await expectAnswer<{ providers: { id: string }[]; runs: { lastDay: { started: number } }; snapshotsPerHour: unknown[] }>(
        await send(who, "GET", "/api/v1/admin/overview"),
        200,
        "AdminOverview",
      );
      expect(overview.providers.map((p) => p.id)).toEqual(["skyway", "farefinder"]);
      expect(overview.snapshotsPerHour).toHaveLength(24);
      const { providers } = await expectAnswer<{ providers: { id: string; paused: unknown }[] }>(await send(who, "GET", "/api/v1/admin/providers"), 200, "ProviderHealthList");
      expect(providers.map((p) => [p.id, p.paused])).toEqual([
        ["skyway", null],
        ["farefinder", null],
      ]);
    }
    // With runs written this hour, the counts move (the overview reads them, not process memory).
    const now = new Date();
    await runsOf([{ minutes: -5, status: "failed", attempt: 2, resolution: "dead", error: "every provider failed" }, { minutes: -3 }], new Date(now.getTime()));
    const after = await expectAnswer<{ runs: { lastHour: { started: number; deadLettered: number } } }>(await send(boss.session, "GET", "/api/v1/admin/overview"), 200, "AdminOverview");
    expect(after.runs.lastHour.started).toBeGreaterThanOrEqual(2);
    expect(after.runs.lastHour.deadLettered).toBeGreaterThanOrEqual(1);
  });

  it("ingestions: runs newest first with their status, filtered by state, provider, route and time, paged by cursor; a run's detail; 404 for none", async () => {
    const boss = await person("admin");
    const t = new Date(Date.UTC(2021, 6, 1, 8));
    const a = await runsOf(
      [
        { minutes: 1, providers: [report("skyway", "ok"), report("farefinder", "ok")], offers: 6, snapshotsWritten: 6 },
        { minutes: 2, status: "failed", providers: [report("skyway", "error", "HTTP 500"), report("farefinder", "ok")], error: "skyway failed" },
        { minutes: 3, status: "running" },
        { minutes: 4, status: "failed", attempt: 3, resolution: "dead", providers: [report("skyway", "timeout"), report("farefinder", "timeout")] },
        { minutes: 5, providers: [report("skyway", "ok")] },
      ],
      t,
    );
    const [a1, a2, a3, a4, a5] = a.ids;
    const list = async (query: string) => {
      const page = await expectAnswer<{ ingestions: { id: number; status: string }[]; nextCursor: string | null }>(
        await send(boss.session, "GET", `/api/v1/admin/ingestions?${query}`),
        200,
        "IngestionRunPage",
      );
      return page;
    };
    const ids = async (query: string) => (await list(`origin=${a.origin}&${query}`)).ingestions.map((r) => r.id);

    const all = await list(`origin=${a.origin}`);
    expect(all.ingestions.map((r) => [r.id, r.status])).toEqual([
      [a5, "succeeded"],
      [a4, "failed"],
      [a3, "running"],
      [a2, "failed"],
      [a1, "succeeded"],
    ]);
    expect(all.nextCursor).toBeNull();
    expect(await ids("state=succeeded")).toEqual([a5, a1]);
    expect(await ids("state=failed")).toEqual([a4, a2]);
    expect(await ids("state=running")).toEqual([a3]);
    expect(await ids("state=dead")).toEqual([a4]);
    expect(await ids("provider=skyway&providerStatus=error")).toEqual([a2]);
    expect(await ids("provider=skyway&providerStatus=failed")).toEqual([a4, a2]);
    expect(await ids("provider=farefinder&providerStatus=ok")).toEqual([a2, a1]);
    expect(await ids(`destination=${a.destination}&from=${new Date(t.getTime() + 2 * M).toISOString()}&to=${new Date(t.getTime() + 4 * M).toISOString()}`)).toEqual([a3, a2]);
    // Lower case codes are codes all the same; another route's runs are not these.
    expect(await ids(`destination=${a.destination.toLowerCase()}&state=running`)).toEqual([a3]);
    expect((await list(`destination=${a.destination}&origin=${place()}`)).ingestions).toEqual([]);

    // Cursor paging: two at a time, every run once, in order.
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await list(`origin=${a.origin}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      expect(page.ingestions.length).toBeLessThanOrEqual(2);
      seen.push(...page.ingestions.map((r) => r.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen).toEqual([a5, a4, a3, a2, a1]);
    expect(pages).toBe(3);

    // One run: its job's attempts, the payload as the run recorded it (no queue job holds it).
    const jobId = crypto.randomUUID();
    const b = await runsOf([
      { minutes: 1, jobId, attempt: 1, status: "failed", error: "timeout" },
      { minutes: 2, jobId, attempt: 2, status: "succeeded", dueAt: new Date(Date.UTC(2021, 5, 1, 8)) },
    ]);
    const detail = await expectAnswer<{ run: { id: number; attempt: number; lagMs: number }; attempts: { id: number }[]; payload: Record<string, unknown>; payloadFromQueue: boolean; retryRuns: unknown[] }>(
      await send(boss.session, "GET", `/api/v1/admin/ingestions/${b.ids[1]}`),
      200,
      "IngestionRunDetail",
    );
    expect(detail.run).toMatchObject({ id: b.ids[1], attempt: 2, lagMs: 2 * M });
    expect(detail.attempts.map((r) => r.id)).toEqual(b.ids);
    expect(detail.payload).toMatchObject({ queryId: b.queryId });
    expect([detail.payloadFromQueue, detail.retryRuns]).toEqual([false, []]);
    const missing = await send(boss.session, "GET", "/api/v1/admin/ingestions/987654321");
    expect(missing.status).toBe(404);
    expect(schemaErrors("Problem", await missing.json())).toEqual([]);
  });

  it("bad input is a 400 with a message per field, never a 500", async () => {
    const boss = await person("admin");
    const get = (query: string) => send(boss.session, "GET", `/api/v1/admin/ingestions?${query}`);
    expect(await badFields(await get("state=sometimes"))).toEqual(["state"]);
    expect(await badFields(await get("cursor=not-a-cursor"))).toEqual(["cursor"]);
    // A cursor's shape with a date the calendar lacks, and one of another list (UUID ids): not ours either.
    const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    expect(await badFields(await get(`cursor=${cursorOf(["2021-02-30T00:00:00.000000Z", "1"])}`))).toEqual(["cursor"]);
    expect(await badFields(await get(`cursor=${cursorOf(["2021-02-03T00:00:00.000000Z", crypto.randomUUID()])}`))).toEqual(["cursor"]);
    expect(await badFields(await get("from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z"))).toEqual(["to"]);
    expect(await badFields(await get("from=yesterday"))).toEqual(["from"]);
    // Instants JavaScript takes but PostgreSQL does not (it was a 500).
    expect(await badFields(await get("from=%2B200000-01-01T00:00:00Z&to=-000001-01-01T00:00:00Z"))).toEqual(["from", "to"]);
    expect(await badFields(await get("limit=0"))).toEqual(["limit"]);
    expect(await badFields(await get("limit=201&origin=12"))).toEqual(["limit", "origin"]);
    expect(await badFields(await get("providerStatus=error"))).toEqual(["providerStatus"]);
    expect(await badFields(await get("provider=Sky%20Way"))).toEqual(["provider"]);
    expect(await badFields(await get("state=dead&state=failed&colour=red"))).toEqual(["colour", "state"]);
    for (const id of ["abc", "0", "-1", "1.5", "0x10", "1e3", "12345678901234567", "9007199254740993"]) {
      for (const [method, path] of [
        ["GET", `/api/v1/admin/ingestions/${id}`],
        ["POST", `/api/v1/admin/ingestions/${id}/retry`],
        ["POST", `/api/v1/admin/ingestions/${id}/discard`],
      ] as const) {
        expect([method, path, await badFields(await send(boss.session, method, path))]).toEqual([method, path, ["id"]]);
      }
    }
    for (const id of ["Sky%20Way", "x".repeat(41), "SKYWAY"]) {
      expect(await badFields(await send(boss.session, "POST", `/api/v1/admin/providers/${id}/pause`))).toEqual(["id"]);
      expect(await badFields(await send(boss.session, "POST", `/api/v1/admin/providers/${id}/resume`))).toEqual(["id"]);
    }
    const pause = (body: unknown) => send(boss.session, "POST", "/api/v1/admin/providers/skyway/pause", body);
    expect(await badFields(await pause("{not json"))).toEqual(["body"]);
    expect(await badFields(await pause({ reason: "x".repeat(201) }))).toEqual(["reason"]);
    expect(await badFields(await pause({ reason: 42 }))).toEqual(["reason"]);
    expect(await badFields(await pause({ paused: false }))).toEqual(["request"]);
    expect(await badFields(await pause("null"))).toEqual(["request"]);
    // Nothing was paused.
    const { providers } = (await (await send(boss.session, "GET", "/api/v1/admin/providers")).json()) as { providers: { paused: unknown }[] };
    expect(providers.every((p) => p.paused === null)).toBe(true);
    expect((await send(boss.session, "POST", "/api/v1/admin/providers/duffel/pause")).status).toBe(404);
    expect((await send(boss.session, "POST", "/api/v1/admin/ingestions/987654321/retry")).status).toBe(404);
  });

  it("a dead-lettered run is retried (once, however often asked) or discarded through REST; audited; 503 before the queue exists", async () => {
    const boss = await person("admin");
    const run = await runsOf([
      { minutes: 1, status: "failed", attempt: 1, error: "every provider failed" },
      { minutes: 2, status: "failed", attempt: 2, resolution: "dead", error: "every provider failed" },
    ]);
    const other = await runsOf([{ minutes: 1, status: "failed", attempt: 2, resolution: "dead", error: "every provider failed" }]);
    const dead = run.ids[1]!;
    const unavailable = await send(boss.session, "POST", `/api/v1/admin/ingestions/${dead}/retry`);
    expect(unavailable.status).toBe(503);
    expect(schemaErrors("Problem", await unavailable.json())).toEqual([]);
    const queue = createBoss(ctx().database, ctx().config);
    await queue.start();
    try {
      await prepareQueues(queue, ctx().config);
      const retried = await expectAnswer<unknown>(await send(boss.session, "POST", `/api/v1/admin/ingestions/${dead}/retry`, undefined, { origin: "http://localhost:3000", "sec-fetch-site": "same-origin" }), 200, "DeadLetterActionResult");
      expect(retried).toEqual({ resolved: 1, enqueued: 1, runIds: [dead] });
      expect(await expectAnswer(await send(boss.session, "POST", `/api/v1/admin/ingestions/${dead}/retry`), 200, "DeadLetterActionResult")).toEqual({ resolved: 0, enqueued: 0, runIds: [] });
      // Not a dead-lettered run: nothing to resolve.
      expect(await (await send(boss.session, "POST", `/api/v1/admin/ingestions/${run.ids[0]}/discard`)).json()).toEqual({ resolved: 0, enqueued: 0, runIds: [] });
      const detail = (await (await send(boss.session, "GET", `/api/v1/admin/ingestions/${dead}`)).json()) as { run: { resolution: string; retryJobId: string | null } };
      expect(detail.run.resolution).toBe("retried");
      expect(detail.run.retryJobId).toMatch(/^[0-9a-f-]{36}$/);

      const key = await boss.key("admin");
      expect(await expectAnswer(await send(key, "POST", `/api/v1/admin/ingestions/${other.ids[0]}/discard`), 200, "DeadLetterActionResult")).toEqual({
        resolved: 1,
        enqueued: 0,
        runIds: [other.ids[0]],
      });
      const [discarded] = await ctx().db.select().from(ingestionRun).where(eq(ingestionRun.id, other.ids[0]!));
      expect([discarded!.resolution, discarded!.resolvedBy]).toEqual(["discarded", boss.id]);
      const audited = await auditEvents(ctx().db, { actorId: boss.id });
      expect(audited.map((e) => [e.action, e.detail.runs])).toEqual([
        ["ingestion_discarded", [other.ids[0]]],
        ["ingestion_retried", [dead]],
      ]);
    } finally {
      await queue.stop({ graceful: false, wait: true });
    }
  });

  it("pausing and resuming a provider through REST (a body or none), audited, seen by tRPC too", async () => {
    const boss = await person("admin");
    const paused = await expectAnswer<{ provider: { id: string; paused: { reason: string | null; pausedBy: string } | null } }>(
      await send(boss.session, "POST", "/api/v1/admin/providers/farefinder/pause", { reason: "maintenance at FareFinder" }, { origin: "http://localhost:3000" }),
      200,
      "ProviderControlAnswer",
    );
    expect(paused.provider).toMatchObject({ id: "farefinder", paused: { reason: "maintenance at FareFinder", pausedBy: boss.id } });
    const listed = (await (await send(boss.session, "GET", "/api/v1/admin/providers")).json()) as { providers: { id: string; paused: unknown }[] };
    expect(listed.providers.map((p) => [p.id, p.paused !== null])).toEqual([
      ["skyway", false],
      ["farefinder", true],
    ]);
    // The tRPC view is the same pause (one store, every instance).
    expect((await boss.trpc.admin.providers()).find((p) => p.id === "farefinder")!.paused).toMatchObject({ reason: "maintenance at FareFinder" });
    const resumed = await expectAnswer<{ provider: { paused: unknown } }>(await send(boss.session, "POST", "/api/v1/admin/providers/farefinder/resume"), 200, "ProviderControlAnswer");
    expect(resumed.provider.paused).toBeNull();
    // With a key and no body at all.
    const key = await boss.key("admin");
    expect((await expectAnswer<{ provider: { paused: { reason: unknown } } }>(await send(key, "POST", "/api/v1/admin/providers/skyway/pause"), 200, "ProviderControlAnswer")).provider.paused.reason).toBeNull();
    expect((await send(key, "POST", "/api/v1/admin/providers/skyway/resume")).status).toBe(200);
    const audited = await auditEvents(ctx().db, { actorId: boss.id });
    expect(audited.map((e) => [e.action, e.detail])).toEqual([
      ["provider_resumed", { provider: "skyway" }],
      ["provider_paused", { provider: "skyway" }],
      ["provider_resumed", { provider: "farefinder" }],
      ["provider_paused", { provider: "farefinder", reason: "maintenance at FareFinder" }],
    ]);
    const after = (await (await send(boss.session, "GET", "/api/v1/admin/providers")).json()) as { providers: { paused: unknown }[] };
    expect(after.providers.every((p) => p.paused === null)).toBe(true);
  });

  it("the admin scope: refused at creation to a user (400 on scopes, REST and tRPC), made by an admin, refused once its owner is demoted (403), and never enough without the role", async () => {
    const someone = await person("user");
    const create = (who: { cookie: string }, scopes: string[]) =>
      handleCreateApiKey(
        new Request("http://localhost:3000/api/v1/api-keys", { method: "POST", headers: { cookie: who.cookie, "content-type": "application/json" }, body: JSON.stringify({ name: "console", scopes }) }),
        ctx(),
      );
    const refused = await create(someone.session, ["search", "admin"]);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { errors: unknown }).errors).toEqual({ scopes: [ADMIN_SCOPE_REFUSAL] });
    await expect(someone.trpc.apiKey.create({ name: "console", scopes: ["admin"] })).rejects.toMatchObject({ code: "BAD_REQUEST", cause: { fields: { scopes: [ADMIN_SCOPE_REFUSAL] } } });
    expect(await listApiKeys(ctx().db, someone.id)).toEqual([]);

    const boss = await person("admin");
    const made = await create(boss.session, ["admin"]);
    const { key } = (await made.json()) as { key: string; apiKey: { scopes: string[] } };
    expect(made.status).toBe(201);
    expect((await boss.trpc.apiKey.create({ name: "console too", scopes: ["admin", "search"] })).summary.scopes).toEqual(["admin", "search"]);
    expect((await send({ key }, "GET", "/api/v1/admin/overview")).status).toBe(200);
    // Demoted: the same key is refused from the next request on; promoted again, it works again.
    await setRole(ctx().db, boss.id, "user");
    const demoted = await send({ key }, "GET", "/api/v1/admin/ingestions");
    expect(demoted.status).toBe(403);
    expect(((await demoted.json()) as { detail: string }).detail).toMatch(/Only admins/);
    expect((await send({ key }, "POST", "/api/v1/admin/providers/skyway/pause")).status).toBe(403);
    await setRole(ctx().db, boss.id, "admin");
    expect((await send({ key }, "GET", "/api/v1/admin/ingestions")).status).toBe(200);

    // An admin's key without the scope: refused on REST, and on tRPC admin.* over HTTP (the key's principal).
    const { key: plain } = await boss.key("search", "tracking:read", "tracking:write", "alerts:read", "alerts:write", "history");
    const noScope = await send({ key: plain }, "GET", "/api/v1/admin/overview");
    expect(noScope.status).toBe(403);
    expect(((await noScope.json()) as { detail: string }).detail).toMatch(/lacks the scope admin/);
    const viaKey = (scopes: string[]): Principal => ({ via: "key", userId: boss.id, role: "admin", keyId: crypto.randomUUID(), scopes });
    await expect(createCaller(procedureContext(app)({ principal: viaKey(["search"]) })).admin.providers()).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await createCaller(procedureContext(app)({ principal: viaKey(["admin"]) })).admin.providers()).toHaveLength(2);
  });

  it("who may call: anonymous 401, a user 403 (with a session, a key of every other scope, or an admin-scoped key it should never have had), a bad key 401; a session's cross-site change 403", async () => {
    const someone = await person("user");
    const boss = await person("admin");
    const endpoints: [string, string][] = [
      ["GET", "/api/v1/admin/overview"],
      ["GET", "/api/v1/admin/ingestions"],
      ["GET", "/api/v1/admin/ingestions/987654321"],
      ["POST", "/api/v1/admin/ingestions/987654321/retry"],
      ["POST", "/api/v1/admin/ingestions/987654321/discard"],
      ["GET", "/api/v1/admin/providers"],
      ["POST", "/api/v1/admin/providers/nope/pause"],
      ["POST", "/api/v1/admin/providers/nope/resume"],
    ];
    expect(endpoints.map(([method, path]) => `${method} ${path.replace("987654321", "{id}").replace("nope", "{id}")}`).sort()).toEqual(
      adminPaths()
        .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`))
        .sort(),
    );
    const userKeys = [await someone.key(...API_KEY_SCOPES.filter((s) => s !== "admin")), await someone.key("admin")];
    const adminWithoutScope = await boss.key("search", "tracking:write", "alerts:write");
    const adminKey = await boss.key("admin");
    for (const [method, path] of endpoints) {
      const where = `${method} ${path}`;
      const anonymous = await send(null, method, path);
      expect([where, anonymous.status, anonymous.headers.get("www-authenticate")]).toEqual([where, 401, expect.stringMatching(/^Bearer/)]);
      expect(schemaErrors("Problem", await anonymous.json())).toEqual([]);
      expect([where, (await send({ key: "ft_" + "x".repeat(43) }, method, path)).status]).toEqual([where, 401]);
      expect([where, (await send(someone.session, method, path)).status]).toEqual([where, 403]);
      for (const key of userKeys) expect([where, (await send(key, method, path)).status]).toEqual([where, 403]);
      expect([where, (await send(adminWithoutScope, method, path)).status]).toEqual([where, 403]);
      // Past the door: 404 for the made-up ids, else 200.
      expect([where, (await send(adminKey, method, path)).status]).toEqual([where, expect.toBeOneOf([200, 404])]);
      expect([where, (await send(boss.session, method, path)).status]).toEqual([where, expect.toBeOneOf([200, 404])]);
      if (method === "POST") {
        for (const crossSite of [{ "sec-fetch-site": "cross-site" }, { origin: "https://evil.example" }] as Record<string, string>[]) {
          expect([where, (await send(boss.session, method, path, undefined, crossSite)).status]).toEqual([where, 403]);
        }
        expect([where, (await send(boss.session, method, path, undefined, { origin: "http://localhost:3000", "sec-fetch-site": "same-origin" })).status]).toEqual([where, 404]);
        // A key is sent by programs: no Origin rule.
        expect([where, (await send(adminKey, method, path, undefined, { origin: "https://evil.example" })).status]).toEqual([where, 404]);
      } else {
        expect([where, (await send(boss.session, method, path, undefined, { "sec-fetch-site": "cross-site" })).status]).not.toEqual([where, 403]);
      }
    }
  });
});
