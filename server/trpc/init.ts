import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { z, ZodError } from "zod";
import type { ApiKeyScope } from "@/server/core/api-keys";
import { RateLimitedError, ValidationError } from "@/server/core/errors";
import { requireAdminAccess, requirePrincipal, requireScope } from "@/server/auth/principal";
import { getAppContext, type AppContext } from "@/server/context";
import { ERROR_TABLE, toDomainError } from "@/server/errors";
import { refuseCrossSiteChange, requestContextFrom, type InnerContext, type RequestContext } from "@/server/http/request-context";
import { observeProcedure } from "@/server/observability/trpc";
import { inRequest } from "@/server/request-scope";
import { enforceLimit, type ApiLimitName } from "@/server/ratelimit";

/**
 * What every procedure can use: the app's dependencies and the request's own things. Tests
 * and server components build it directly with `createInnerContext`; HTTP requests go through
 * `createTRPCContext`.
 */
export type { InnerContext, RequestContext };

export function createInnerContext(context: InnerContext): InnerContext {
  return context;
}

/** A request's context on an app context (requestContextFrom); a key that does not hold up fails the call with UNAUTHORIZED. */
export async function createRequestContext(app: AppContext, headers: Headers): Promise<InnerContext> {
  try {
    return await requestContextFrom(app, headers);
  } catch (error) {
    throw toTRPCError(error);
  }
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

/** A mutation with a session must come from the app's own pages (refuseCrossSiteChange). */
const sameSiteMutations = t.middleware(({ ctx, type, next }) => {
  if (type === "mutation") refuseCrossSiteChange(ctx);
  return next();
});

/** Each call in the metrics and the trace, with the code it ends with (outermost: after domainErrors mapped it). */
const observed = t.middleware(({ path, type, next }) => observeProcedure(path, type, () => next()));

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(observed).use(domainErrors).use(sameSiteMutations);

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
    await enforceLimit(ctx, name, ctx.principal, ctx.clientAddress);
    return next();
  });
}

/** A procedure for a signed-in user, or an API key with `scope` (else FORBIDDEN); anonymous: UNAUTHORIZED. */
export function ownerProcedure(scope: ApiKeyScope) {
  return protectedProcedure.use(({ ctx, next }) => next({ ctx: { ...ctx, principal: requireScope(ctx.principal, scope) } }));
}
