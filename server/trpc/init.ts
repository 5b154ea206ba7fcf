import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { z, ZodError } from "zod";
import type { ApiKeyScope } from "@/server/core/api-keys";
import { ForbiddenError, RateLimitedError, ValidationError } from "@/server/core/errors";
import { principalFrom, requireAdminAccess, requirePrincipal, requireScope, type Principal } from "@/server/auth/principal";
import { getAppContext, type AppContext } from "@/server/context";
import { ERROR_TABLE, toDomainError } from "@/server/errors";
import { clientAddress } from "@/server/http/client-address";
import { CROSS_SITE_REFUSAL, crossSiteRequest, requestHost, requestIdFrom } from "@/server/http/security";
import { inRequest } from "@/server/request-scope";
import { limitFor, retryAfterSeconds, take, type ApiLimitName } from "@/server/ratelimit";
import type { ProviderProgress } from "@/server/services/search/search-flights";

/** What belongs to one request, added on top of the app context by the transport. */
export interface RequestContext {
  clientAddress: string;
  /** The caller's User-Agent, for the audit log (absent for in-process callers). */
  userAgent?: string | null;
  /** Who the request acts for (session or API key); null: anonymous. */
  principal: Principal | null;
  /** X-Request-Id (proxy.ts gives every request one): log lines of the call carry it. */
  requestId: string;
  /**
   * Whether a browser says the request comes from another site's page (crossSiteRequest):
   * mutations with a session refuse it. False for in-process callers (tests); a server
   * component's calls have their page request's.
   */
  crossSite: boolean;
  /**
   * A server component streaming a search's progress to its page listens here. Per request,
   * like the client address: the results page's in-process call adds it (server/trpc/rsc.tsx).
   */
  onSearchProgress?: (progress: ProviderProgress) => void;
}

/**
 * What every procedure can use: the app's dependencies and the request's own things. Tests
 * and server components build it directly with `createInnerContext`; HTTP requests go through
 * `createTRPCContext`.
 */
export type InnerContext = AppContext & RequestContext;

export function createInnerContext(context: InnerContext): InnerContext {
  return context;
}

/**
 * A request's context on an app context, from the request's headers: its id, client address,
 * principal (a bad, revoked or expired key fails the call with UNAUTHORIZED) and whether it is
 * cross-site (by its Host header, which a reverse proxy must pass on).
 */
export async function createRequestContext(app: AppContext, headers: Headers): Promise<InnerContext> {
  const requestId = requestIdFrom(headers);
  let principal: Principal | null = null;
  try {
    principal = await inRequest(requestId, () => principalFrom(app.db, headers, app.clock()));
  } catch (error) {
    throw toTRPCError(error);
  }
  return createInnerContext({
    ...app,
    clientAddress: clientAddress(headers, app.config.trustedProxies),
    userAgent: headers.get("user-agent"),
    requestId,
    principal,
    crossSite: crossSiteRequest(headers, requestHost(headers, app.config.trustedProxies)),
  });
}

/** A context that cannot be built (the database unreachable) fails the call through the error table. */
export async function createTRPCContext(options: { headers: Headers }): Promise<InnerContext> {
  let app: AppContext;
  try {
    app = await getAppContext();
  } catch (error) {
    throw toTRPCError(error);
  }
  return createRequestContext(app, options.headers);
}

const t = initTRPC.context<InnerContext>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    const domain = cause instanceof ZodError ? toDomainError(cause) : cause;
    return {
      ...shape,
      data: {
        ...shape.data,
        zodError: cause instanceof ZodError ? z.treeifyError(cause) : null,
        fieldErrors: domain instanceof ValidationError ? domain.fields : null,
        retryAfterSeconds: domain instanceof RateLimitedError ? domain.retryAfterSeconds : null,
      },
    };
  },
});

/** Any error as a tRPC error, its code from the error table; routers stay thin. */
export function toTRPCError(error: unknown): TRPCError {
  if (error instanceof TRPCError) return error;
  const domain = toDomainError(error, "procedure");
  return new TRPCError({ code: ERROR_TABLE[domain.code].trpc, message: domain.message, cause: domain });
}

// Each call runs in its request's scope (its log lines carry the request id, its audit lines the
// address and user agent), and its errors become tRPC errors through the error table.
const domainErrors = t.middleware(({ ctx, next }) =>
  inRequest(
    ctx.requestId,
    async () => {
      const result = await next();
      if (result.ok) return result;
      // tRPC classified it already (bad input is BAD_REQUEST); anything else it wraps as INTERNAL.
      if (result.error.code !== "INTERNAL_SERVER_ERROR") throw result.error;
      throw toTRPCError(result.error.cause ?? result.error);
    },
    { address: ctx.clientAddress, userAgent: ctx.userAgent ?? null },
  ),
);

/**
 * A mutation acting with a session must come from the app's own pages: another site's form or
 * script would otherwise act with the user's cookie. API keys (sent by programs, in a header no
 * other site can make a browser send) and anonymous calls are not affected.
 */
const sameSiteMutations = t.middleware(({ ctx, type, next }) => {
  if (type === "mutation" && ctx.crossSite && ctx.principal?.via === "session") throw new ForbiddenError(CROSS_SITE_REFUSAL);
  return next();
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(domainErrors).use(sameSiteMutations);

/** A procedure for a signed-in user or an API key; anonymous calls get UNAUTHORIZED (401). */
export const protectedProcedure = publicProcedure.use(({ ctx, next }) => next({ ctx: { ...ctx, principal: requirePrincipal(ctx.principal) } }));

/**
 * A procedure for admins only: a user gets FORBIDDEN (403), anonymous UNAUTHORIZED (401); an
 * admin's API key needs the `admin` scope too (else FORBIDDEN).
 */
export const adminProcedure = protectedProcedure.use(({ ctx, next }) => next({ ctx: { ...ctx, principal: requireAdminAccess(ctx.principal) } }));

/** A procedure open to anonymous callers and sessions, and to API keys with `scope` (else FORBIDDEN). */
export function scopedProcedure(scope: ApiKeyScope) {
  return publicProcedure.use(({ ctx, next }) => {
    if (ctx.principal) requireScope(ctx.principal, scope);
    return next();
  });
}

/**
 * A scoped procedure behind one of the app's limits (server/ratelimit), counted in the caller's
 * own bucket (limitFor: the API key's, the user's, else the client address's); past it,
 * TOO_MANY_REQUESTS with `retryAfterSeconds`.
 */
export function rateLimitedProcedure(name: ApiLimitName, scope: ApiKeyScope) {
  return scopedProcedure(scope).use(async ({ ctx, next }) => {
    const result = await take(limitFor(ctx, name, ctx.principal, ctx.clientAddress));
    if (result && !result.allowed) throw new RateLimitedError(retryAfterSeconds(result));
    return next();
  });
}

/** A procedure for a signed-in user, or an API key with `scope` (else FORBIDDEN); anonymous: UNAUTHORIZED. */
export function ownerProcedure(scope: ApiKeyScope) {
  return protectedProcedure.use(({ ctx, next }) => next({ ctx: { ...ctx, principal: requireScope(ctx.principal, scope) } }));
}
