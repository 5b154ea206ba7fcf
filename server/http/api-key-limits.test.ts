import crypto from "node:crypto";
import superjson from "superjson";
import { afterEach, expect, it, vi } from "vitest";
import { createApiKey, revokeApiKey } from "@/db/queries/api-keys";
import { ensureUser } from "@/db/queries/users";
import { accountsAdapter } from "@/server/auth/adapter";
import type { ApiKeyScope } from "@/server/core/api-keys";
import { addDays } from "@/server/core/time";
import type { AppContext } from "@/server/context";
import { log } from "@/server/log";
import type { Limits } from "@/server/ratelimit";
import { handleTRPC } from "@/server/trpc/http";
import { createCallerFactory, createRequestContext, createTRPCRouter, publicProcedure } from "@/server/trpc/init";
import { createCaller } from "@/server/trpc/root";
import { describeEachEngine } from "@/test/engines";
import { procedureContext } from "@/test/trpc";
import { handleCreateApiKey } from "./api-keys-endpoint";
import { airportEndpointDeps, handleAirportSearch, handleFlightSearch, searchEndpointDeps } from "./search-endpoint";

/**
 * API keys on the public API, REST and tRPC alike: their own rate limit (by key, not address),
 * their scopes, revocation and expiry from the next request, and the key kept out of the logs.
 */

const today = new Date().toISOString().slice(0, 10);
const ORIGIN = "http://localhost:3000";
const ADDRESS = "203.0.113.50";

const LIMITS: Limits = {
  search: { windowSeconds: 60, requests: { address: 2, user: 3, key: 2 } },
  lookup: { windowSeconds: 60, requests: { address: 2, user: 3, key: 2 } },
  signIn: { windowSeconds: 900, requests: { email: 0, address: 0 } },
};

afterEach(() => {
  vi.restoreAllMocks();
});

let sequence = 0;

describeEachEngine(
  "API keys on the public API",
  ({ app }) => {
    /** A fresh app context, with fresh limiters, per test. */
    const limited = (): AppContext => app({ config: { limits: LIMITS } });
    const context = procedureContext(limited);

    const newUser = (ctx: AppContext) => ensureUser(ctx.db, `limits-${Date.now()}-${sequence++}@example.test`);
    const newKey = async (ctx: AppContext, scopes: ApiKeyScope[], expiresAt: Date | null = null) => {
      const owner = await newUser(ctx);
      const made = await createApiKey(ctx.db, owner.id, { name: "robot", scopes, expiresAt });
      return { key: made.key, id: made.summary.id, userId: owner.id };
    };
    const newSession = async (ctx: AppContext) => {
      const owner = await newUser(ctx);
      const token = crypto.randomBytes(32).toString("hex");
      await accountsAdapter(ctx.db).createSession!({ sessionToken: token, userId: owner.id, expires: new Date(Date.now() + 3_600_000) });
      return { userId: owner.id, cookie: `authjs.session-token=${token}` };
    };

    const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
    const from = (address = ADDRESS) => ({ "x-forwarded-for": address });

    const airports = (ctx: AppContext, headers: Record<string, string> = {}, q = "lon") =>
      handleAirportSearch(new Request(`${ORIGIN}/api/v1/airports?q=${q}`, { headers: { ...from(), ...headers } }), airportEndpointDeps(ctx));
    const flights = (ctx: AppContext, headers: Record<string, string> = {}, days = 30) =>
      handleFlightSearch(
        new Request(`${ORIGIN}/api/v1/flights/search?originCode=LHR&destinationCode=JFK&departureDate=${addDays(today, days)}`, { headers: { ...from(), ...headers } }),
        searchEndpointDeps(ctx),
      );

    /** A tRPC call over HTTP through the app's handler, its context made from the request as /api/trpc makes it. */
    const overHttp = (ctx: AppContext, request: Request) => handleTRPC(request, () => createRequestContext(ctx, request.headers));
    const trpcQuery = (ctx: AppContext, path: string, input: unknown, headers: Record<string, string> = {}) =>
      overHttp(ctx, new Request(`${ORIGIN}/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify(superjson.serialize(input)))}`, { headers: { ...from(), ...headers } }));
    const trpcMutation = (ctx: AppContext, path: string, input: unknown, headers: Record<string, string> = {}) =>
      overHttp(
        ctx,
        new Request(`${ORIGIN}/api/trpc/${path}`, {
          method: "POST",
          headers: { "content-type": "application/json", host: "localhost:3000", ...from(), ...headers },
          body: JSON.stringify(superjson.serialize(input)),
        }),
      );
    const trpcError = async (response: Response) =>
      ((await response.json()) as { error: { json: { data: { code: string; retryAfterSeconds: number | null }; message: string } } }).error.json;
    /** An in-process caller with the context /api/trpc would make for these headers. */
    const caller = async (ctx: AppContext, headers: Record<string, string>) => createCaller(await createRequestContext(ctx, new Headers({ ...from(), ...headers })));
    const lookup = { query: "par", limit: 3 };

    it("REST: a key has its own bucket (429 with Retry-After past it), apart from its address's and from other keys'", async () => {
      const ctx = limited();
      const a = await newKey(ctx, ["search"]);
      const b = await newKey(ctx, ["search"]);
      const first = await airports(ctx, bearer(a.key));
      expect(first.status).toBe(200);
      expect([first.headers.get("ratelimit-limit"), first.headers.get("ratelimit-remaining")]).toEqual(["2", "1"]);
      // A keyed answer is no shared cache's to keep.
      expect(first.headers.get("cache-control")).toBe("private, max-age=3600");
      expect((await airports(ctx, bearer(a.key))).status).toBe(200);
      const refused = await airports(ctx, bearer(a.key));
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(refused.headers.get("ratelimit-remaining")).toBe("0");
      expect(await refused.json()).toMatchObject({ status: 429, title: "Too many requests" });
      // Anonymous callers at the same address, and another key, still get through.
      const anonymous = await airports(ctx);
      expect([anonymous.status, anonymous.headers.get("ratelimit-remaining"), anonymous.headers.get("cache-control")]).toEqual([200, "1", "public, max-age=3600"]);
      expect((await airports(ctx, bearer(b.key))).status).toBe(200);
      // And the other way round: the address exhausted, a key still works from it, and from any other.
      expect((await airports(ctx)).status).toBe(200);
      expect((await airports(ctx)).status).toBe(429);
      expect((await airports(ctx, bearer(b.key))).status).toBe(200);
      expect((await airports(ctx, { ...bearer(b.key), ...from("198.51.100.99") })).status).toBe(429);
    });

    it("REST: a signed-in user has a bucket of their own too", async () => {
      const ctx = limited();
      const { cookie } = await newSession(ctx);
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await airports(ctx, { cookie })).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      expect((await airports(ctx)).status).toBe(200);
    });

    it("REST: the flight search checks the key, its scope and its limit before serving a kept answer", async () => {
      const ctx = limited();
      const anonymous = await flights(ctx, from("198.51.100.1"));
      expect(anonymous.headers.get("x-cache")).toBe("MISS");
      const scoped = await newKey(ctx, ["search"]);
      const hit = await flights(ctx, bearer(scoped.key));
      expect([hit.status, hit.headers.get("x-cache"), hit.headers.get("ratelimit-limit")]).toEqual([200, "HIT", "2"]);
      expect((await flights(ctx, bearer(scoped.key))).status).toBe(200);
      const refused = await flights(ctx, bearer(scoped.key));
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);

      const unscoped = await newKey(ctx, ["history"]);
      const forbidden = await flights(ctx, bearer(unscoped.key));
      expect(forbidden.status).toBe(403);
      expect((await forbidden.json()).detail).toBe("This API key lacks the scope search.");

      const revoked = await newKey(ctx, ["search"]);
      await revokeApiKey(ctx.db, revoked.userId, revoked.id);
      const unauthenticated = await flights(ctx, bearer(revoked.key));
      expect(unauthenticated.status).toBe(401);
      expect(unauthenticated.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect((await flights(ctx, { authorization: "Bearer not-a-key" })).status).toBe(401);
    });

    it("REST: a key without the search scope gets 403 on both endpoints; sessions and anonymous callers need none", async () => {
      const ctx = limited();
      const history = await newKey(ctx, ["history", "tracking:read"]);
      const airportsRefused = await airports(ctx, bearer(history.key));
      expect(airportsRefused.status).toBe(403);
      expect(await airportsRefused.json()).toMatchObject({ title: "Forbidden", detail: "This API key lacks the scope search." });
      expect((await flights(ctx, bearer(history.key), 33)).status).toBe(403);
      expect((await airports(ctx, { cookie: (await newSession(ctx)).cookie })).status).toBe(200);
      expect((await airports(ctx)).status).toBe(200);
    });

    it("REST: a revoked key and an expired one are refused (401) from the next request on", async () => {
      const ctx = limited();
      const revoked = await newKey(ctx, ["search"]);
      expect((await airports(ctx, bearer(revoked.key))).status).toBe(200);
      await revokeApiKey(ctx.db, revoked.userId, revoked.id);
      expect((await airports(ctx, bearer(revoked.key))).status).toBe(401);

      const expiring = await newKey(ctx, ["search"], new Date(Date.now() + 3_600_000));
      expect((await airports(ctx, bearer(expiring.key))).status).toBe(200);
      const later: AppContext = { ...ctx, clock: () => new Date(Date.now() + 7_200_000) };
      const expired = await airports(later, bearer(expiring.key));
      expect(expired.status).toBe(401);
      expect((await expired.json()).detail).toMatch(/unknown, revoked or expired/);
    });

    it("tRPC: a key has its own bucket (TOO_MANY_REQUESTS with retryAfterSeconds), apart from its address's and from other keys'", async () => {
      const ctx = limited();
      const a = await newKey(ctx, ["search"]);
      const b = await newKey(ctx, ["search"]);
      expect((await trpcQuery(ctx, "airport.search", lookup, bearer(a.key))).status).toBe(200);
      expect((await trpcQuery(ctx, "airport.search", lookup, bearer(a.key))).status).toBe(200);
      const refused = await trpcQuery(ctx, "airport.search", lookup, bearer(a.key));
      expect(refused.status).toBe(429);
      const error = await trpcError(refused);
      expect(error.data.code).toBe("TOO_MANY_REQUESTS");
      expect(error.data.retryAfterSeconds).toBeGreaterThan(0);
      expect((await trpcQuery(ctx, "airport.search", lookup)).status).toBe(200);
      expect((await trpcQuery(ctx, "airport.search", lookup, bearer(b.key))).status).toBe(200);
      // The address exhausted: the key still works from it.
      expect((await trpcQuery(ctx, "airport.search", lookup)).status).toBe(200);
      expect((await trpcQuery(ctx, "airport.search", lookup)).status).toBe(429);
      expect((await trpcQuery(ctx, "airport.search", lookup, bearer(b.key))).status).toBe(200);

      // flight.search counts in the key's search bucket the same way.
      const c = await newKey(ctx, ["search"]);
      const search = { originCode: "LHR", destinationCode: "CDG", departureDate: addDays(today, 41) };
      const keyed = await caller(ctx, bearer(c.key));
      await keyed.flight.search(search);
      await keyed.flight.search(search);
      await expect(keyed.flight.search(search)).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS", cause: { retryAfterSeconds: expect.any(Number) } });
      expect((await (await caller(ctx, {})).flight.search(search)).offers.length).toBeGreaterThan(0);
    });

    it("tRPC: flight and airport procedures need the search scope, route procedures the history scope", async () => {
      const ctx = limited();
      const history = await caller(ctx, bearer((await newKey(ctx, ["history"])).key));
      const search = await caller(ctx, bearer((await newKey(ctx, ["search"])).key));
      const flight = { originCode: "LHR", destinationCode: "AMS", departureDate: addDays(today, 12) };
      const route = { origin: "LHR", destination: "AMS" };
      const forbidden = { code: "FORBIDDEN", message: "This API key lacks the scope search." };
      await expect(history.flight.search(flight)).rejects.toMatchObject(forbidden);
      await expect(history.flight.results(flight)).rejects.toMatchObject(forbidden);
      await expect(history.airport.search(lookup)).rejects.toMatchObject(forbidden);
      const noHistory = { code: "FORBIDDEN", message: "This API key lacks the scope history." };
      await expect(search.route.info(route)).rejects.toMatchObject(noHistory);
      await expect(search.route.history({ ...route, days: 30 })).rejects.toMatchObject(noHistory);
      await expect(search.route.dateGrid(route)).rejects.toMatchObject(noHistory);
      // With the scope, a session, or nobody: served.
      expect((await search.airport.search(lookup)).length).toBeGreaterThan(0);
      expect((await history.route.info(route)).origins).toEqual(["LHR"]);
      expect((await history.route.history({ ...route, days: 30 })).points).toBeDefined();
      expect((await history.route.dateGrid(route)).cells).toBeDefined();
      for (const headers of [{ cookie: (await newSession(ctx)).cookie }, {}] as Record<string, string>[]) {
        const open = await caller(ctx, headers);
        expect((await open.airport.search(lookup)).length).toBeGreaterThan(0);
        expect((await open.route.info(route)).origins).toEqual(["LHR"]);
      }
      // Over HTTP, the same refusal is a 403.
      const overHttpRefused = await trpcQuery(ctx, "route.dateGrid", route, bearer((await newKey(ctx, ["search"])).key));
      expect(overHttpRefused.status).toBe(403);
      expect((await trpcError(overHttpRefused)).data.code).toBe("FORBIDDEN");
    });

    it("tRPC: a revoked key and an expired one are refused (401) from the next request on", async () => {
      const ctx = limited();
      const revoked = await newKey(ctx, ["search", "history"]);
      expect((await trpcQuery(ctx, "airport.search", lookup, bearer(revoked.key))).status).toBe(200);
      await revokeApiKey(ctx.db, revoked.userId, revoked.id);
      const refused = await trpcQuery(ctx, "airport.search", lookup, bearer(revoked.key));
      expect(refused.status).toBe(401);
      expect((await trpcError(refused)).data.code).toBe("UNAUTHORIZED");
      await expect(caller(ctx, bearer(revoked.key))).rejects.toMatchObject({ code: "UNAUTHORIZED" });

      const expiring = await newKey(ctx, ["history"], new Date(Date.now() + 3_600_000));
      expect((await trpcQuery(ctx, "route.info", { origin: "LHR", destination: "AMS" }, bearer(expiring.key))).status).toBe(200);
      const later: AppContext = { ...ctx, clock: () => new Date(Date.now() + 7_200_000) };
      expect((await trpcQuery(later, "route.info", { origin: "LHR", destination: "AMS" }, bearer(expiring.key))).status).toBe(401);
    });

    it("tRPC: a mutation with a session cookie from another site is refused; from the app's own pages it is served", async () => {
      const ctx = limited();
      const { cookie } = await newSession(ctx);
      const input = { name: "from a page", scopes: ["search"] };
      const crossSite: Record<string, string>[] = [{ "sec-fetch-site": "cross-site" }, { "sec-fetch-site": "same-site" }, { origin: "https://evil.example" }, { origin: "null" }];
      for (const headers of crossSite) {
        const refused = await trpcMutation(ctx, "apiKey.create", input, { cookie, ...headers });
        expect(refused.status, JSON.stringify(headers)).toBe(403);
        const error = await trpcError(refused);
        expect([error.data.code, error.message]).toEqual(["FORBIDDEN", "Cross-site requests may not change anything here."]);
      }
      expect(await (await caller(ctx, { cookie })).apiKey.list()).toEqual([]);
      const made = await trpcMutation(ctx, "apiKey.create", input, { cookie, origin: ORIGIN, "sec-fetch-site": "same-origin" });
      expect(made.status).toBe(200);
      expect(await (await caller(ctx, { cookie })).apiKey.list()).toHaveLength(1);
      // Queries are not mutations: a cross-site read with the cookie is answered (the browser keeps it from the other site).
      expect((await trpcQuery(ctx, "apiKey.list", undefined, { cookie, "sec-fetch-site": "cross-site" })).status).toBe(200);
      // A revocation is a mutation too.
      const [key] = await (await caller(ctx, { cookie })).apiKey.list();
      expect((await trpcMutation(ctx, "apiKey.revoke", { id: key!.id }, { cookie, "sec-fetch-site": "cross-site" })).status).toBe(403);
      expect((await trpcMutation(ctx, "apiKey.revoke", { id: key!.id }, { cookie, "sec-fetch-site": "same-origin", origin: ORIGIN })).status).toBe(200);
    });

    it("tRPC: the cross-site check is for sessions: a mutation by API key or by nobody is not refused for it", async () => {
      const ctx = limited();
      const router = createTRPCRouter({ touch: publicProcedure.mutation(({ ctx }) => ctx.principal?.via ?? "anonymous") });
      const call = async (headers: Record<string, string>) => createCallerFactory(router)(await createRequestContext(ctx, new Headers({ host: "localhost:3000", ...headers }))).touch();
      const crossSite = { "sec-fetch-site": "cross-site", origin: "https://evil.example" };
      const { cookie } = await newSession(ctx);
      await expect(call({ ...crossSite, cookie })).rejects.toMatchObject({ code: "FORBIDDEN" });
      expect(await call({ "sec-fetch-site": "same-origin", origin: ORIGIN, cookie })).toBe("session");
      expect(await call({ ...crossSite, ...bearer((await newKey(ctx, ["search"])).key) })).toBe("key");
      expect(await call(crossSite)).toBe("anonymous");
      // In-process callers (tests, scripts) are not cross-site.
      expect(await createCallerFactory(router)(context({ principal: (await createRequestContext(ctx, new Headers({ cookie }))).principal })).touch()).toBe("session");
    });

    it("never writes an API key to the log: made, used, refused or failing", async () => {
      const lines: string[] = [];
      const capture = (...args: unknown[]) => void lines.push(args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" "));
      for (const method of ["log", "info", "warn", "error", "debug"] as const) vi.spyOn(console, method).mockImplementation(capture);
      // Every call of the logger, the levels it would not write included.
      for (const level of ["debug", "info", "warn", "error"] as const) {
        const write = log[level];
        vi.spyOn(log, level).mockImplementation((message, fields) => {
          capture(message, fields, fields?.err instanceof Error ? { message: fields.err.message, cause: String(fields.err.cause) } : null);
          write(message, fields);
        });
      }

      const ctx = limited();
      const { cookie } = await newSession(ctx);
      const viaTrpc = await trpcMutation(ctx, "apiKey.create", { name: "logged?", scopes: ["search"] }, { cookie, origin: ORIGIN });
      const trpcKey = superjson.deserialize<{ key: string }>((await viaTrpc.json()).result.data).key;
      const viaRest = await handleCreateApiKey(
        new Request(`${ORIGIN}/api/v1/api-keys`, { method: "POST", headers: { cookie, origin: ORIGIN, "content-type": "application/json" }, body: JSON.stringify({ name: "logged?", scopes: ["search"] }) }),
        ctx,
      );
      const restKey = ((await viaRest.json()) as { key: string; apiKey: { id: string } }).key;
      const keys = [trpcKey, restKey];
      expect(keys.every((k) => /^ft_/.test(k))).toBe(true);

      expect((await flights(ctx, bearer(restKey), 34)).status).toBe(200);
      expect((await trpcQuery(ctx, "airport.search", lookup, bearer(trpcKey))).status).toBe(200);
      // A keyed request that fails on our side is logged, with no key in it.
      const failing = await handleFlightSearch(
        new Request(`${ORIGIN}/api/v1/flights/search?originCode=LHR&destinationCode=JFK&departureDate=${addDays(today, 35)}`, { headers: bearer(restKey) }),
        { ...searchEndpointDeps(ctx), answers: null, search: () => Promise.reject(new Error("the search broke")) },
      );
      expect(failing.status).toBe(500);
      // Refused keys: revoked, and a key's shape with one character changed.
      for (const summary of await (await caller(ctx, { cookie })).apiKey.list()) {
        await (await caller(ctx, { cookie })).apiKey.revoke({ id: summary.id });
      }
      expect((await flights(ctx, bearer(restKey), 36)).status).toBe(401);
      expect((await trpcQuery(ctx, "airport.search", lookup, bearer(trpcKey))).status).toBe(401);
      const tampered = `${restKey.slice(0, -1)}${restKey.endsWith("A") ? "B" : "A"}`;
      expect((await airports(ctx, bearer(tampered))).status).toBe(401);

      const written = lines.join("\n");
      expect(written).toMatch(/flight search failed/);
      for (const key of [...keys, tampered]) {
        expect(written).not.toContain(key);
        // Nor its secret part alone.
        expect(written).not.toContain(key.slice(11));
      }
    });
  },
  { seed: true },
);
