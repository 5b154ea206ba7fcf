import { requirePrincipal, requireScope, type Principal } from "@/server/auth/principal";
import type { ApiKeyScope } from "@/server/core/api-keys";
import type { InnerContext } from "@/server/http/request-context";
import { enforceLimit, type ApiLimitName } from "@/server/ratelimit";

/**
 * The doors of the GraphQL resolvers: the same rules as the tRPC procedures of the same name
 * (server/trpc/init.ts), on the same helpers, so that a key's scopes and the limits mean one
 * thing on every surface. Cross-site mutations are refused once per operation (server/graphql/yoga.ts).
 */

/** Open to anonymous callers and sessions; an API key needs `scope` (else FORBIDDEN). */
export function scoped(ctx: InnerContext, scope: ApiKeyScope): void {
  if (ctx.principal) requireScope(ctx.principal, scope);
}

/** A scoped call counted against one of the app's limits in the caller's own bucket. */
export async function limited(ctx: InnerContext, name: ApiLimitName, scope: ApiKeyScope): Promise<void> {
  scoped(ctx, scope);
  await enforceLimit(ctx, name, ctx.principal, ctx.clientAddress);
}

/** The caller's own things: a signed-in user, or an API key with `scope`; anonymous: UNAUTHENTICATED. */
export function owner(ctx: InnerContext, scope: ApiKeyScope): Principal {
  return requireScope(requirePrincipal(ctx.principal), scope);
}

