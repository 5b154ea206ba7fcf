import type { Principal } from "@/server/auth/principal";
import { principalFrom } from "@/server/auth/principal";
import { ForbiddenError } from "@/server/core/errors";
import type { AppContext } from "@/server/context";
import { inRequest } from "@/server/request-scope";
import type { ProviderProgress } from "@/server/services/search/search-flights";
import { clientAddress } from "./client-address";
import { CROSS_SITE_REFUSAL, crossSiteRequest, requestHost, requestIdFrom } from "./security";

/** What belongs to one request, added on top of the app context by the transport (tRPC, GraphQL). */
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

/** The app's dependencies and one request's own things: what every procedure and resolver uses. */
export type InnerContext = AppContext & RequestContext;

/**
 * A request's context on an app context, from the request's headers: its id, client address,
 * principal (a bad, revoked or expired key throws UnauthenticatedError, which each transport maps
 * through the error table) and whether it is cross-site (by its Host header, which a reverse
 * proxy must pass on).
 */
export async function requestContextFrom(app: AppContext, headers: Headers): Promise<InnerContext> {
  const requestId = requestIdFrom(headers);
  const principal = await inRequest(requestId, () => principalFrom(app.db, headers, app.clock()));
  return {
    ...app,
    clientAddress: clientAddress(headers, app.config.trustedProxies),
    userAgent: headers.get("user-agent"),
    requestId,
    principal,
    crossSite: crossSiteRequest(headers, requestHost(headers, app.config.trustedProxies)),
  };
}

/**
 * A change acting with a session must come from the app's own pages: another site's form or
 * script would otherwise act with the user's cookie (FORBIDDEN). API keys (sent by programs, in a
 * header no other site can make a browser send) and anonymous calls are not affected. tRPC
 * mutations and GraphQL mutations check it once per call.
 */
export function refuseCrossSiteChange(ctx: Pick<RequestContext, "crossSite" | "principal">): void {
  if (ctx.crossSite && ctx.principal?.via === "session") throw new ForbiddenError(CROSS_SITE_REFUSAL);
}
