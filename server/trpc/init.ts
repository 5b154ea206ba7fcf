import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { z, ZodError } from "zod";
import { isConnectionError, type Db } from "@/db/client";
import { RateLimitedError, ValidationError, type FieldErrors } from "@/server/core/errors";
import { fieldErrorsFromZod } from "@/server/core/search-query";
import { clientAddress } from "@/server/http/client-address";
import { log } from "@/server/log";
import { metrics } from "@/server/metrics";
import { retryAfterSeconds, type LimitName, type RateLimiter } from "@/server/ratelimit";
import type { ProviderProgress, SearchDeps } from "@/server/services/search-flights";

/**
 * What every procedure can use. Tests and server components build it directly with
 * `createInnerContext`; HTTP requests go through `createTRPCContext`, which adds the request's
 * client address and the app's configured dependencies.
 */
export interface InnerContext {
  db: () => Promise<Db>;
  searchDeps: () => Promise<SearchDeps>;
  limiter: (name: LimitName) => RateLimiter | null;
  clientAddress: string;
  /** A server component streaming a search's progress to its page listens here. */
  onSearchProgress?: (progress: ProviderProgress) => void;
}

export function createInnerContext(context: InnerContext): InnerContext {
  return context;
}

export async function createTRPCContext(options: { headers: Headers }): Promise<InnerContext> {
  const [{ getReadyDatabase }, { getSearchDeps }, { getRateLimiter }, { env }] = await Promise.all([
    import("@/db"),
    import("@/server/services/search-deps"),
    import("@/server/ratelimit"),
    import("@/server/env"),
  ]);
  return createInnerContext({
    db: async () => (await getReadyDatabase()).db,
    searchDeps: getSearchDeps,
    limiter: getRateLimiter,
    clientAddress: clientAddress(options.headers, env.TRUSTED_PROXIES),
  });
}

const t = initTRPC.context<InnerContext>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    let fieldErrors: FieldErrors | null = null;
    if (cause instanceof ValidationError) fieldErrors = cause.fields;
    else if (cause instanceof ZodError) fieldErrors = fieldErrorsFromZod(cause);
    return {
      ...shape,
      data: {
        ...shape.data,
        zodError: cause instanceof ZodError ? z.treeifyError(cause) : null,
        fieldErrors,
        retryAfterSeconds: cause instanceof RateLimitedError ? cause.retryAfterSeconds : null,
      },
    };
  },
});

/** Domain errors become tRPC errors once, here; routers stay thin. */
export function toTRPCError(error: unknown): TRPCError {
  if (error instanceof TRPCError) return error;
  if (error instanceof ValidationError) return new TRPCError({ code: "BAD_REQUEST", message: error.message, cause: error });
  if (error instanceof RateLimitedError) return new TRPCError({ code: "TOO_MANY_REQUESTS", message: error.message, cause: error });
  if (isConnectionError(error)) {
    return new TRPCError({ code: "SERVICE_UNAVAILABLE", message: "The database cannot be reached; see /api/health.", cause: error });
  }
  log.error("procedure failed", { err: error });
  return new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: "Something went wrong on our side; it has been logged." });
}

const domainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (result.ok) return result;
  // tRPC classified it already (bad input is BAD_REQUEST); anything else it wraps as INTERNAL.
  if (result.error.code !== "INTERNAL_SERVER_ERROR") throw result.error;
  throw toTRPCError(result.error.cause ?? result.error);
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(domainErrors);

/** A procedure behind one of the limits of server/ratelimit (one table of limits). */
export function rateLimitedProcedure(name: LimitName) {
  return publicProcedure.use(async ({ ctx, next }) => {
    const limiter = ctx.limiter(name);
    if (limiter) {
      const result = await limiter.limit(ctx.clientAddress);
      if (!result.allowed) {
        metrics.rateLimited++;
        throw new RateLimitedError(retryAfterSeconds(result));
      }
    }
    return next();
  });
}
