import NextAuth from "next-auth";
import { getAppContext, type AppContext } from "@/server/context";
import { isProduction } from "@/server/env";
import { noSuchEndpoint } from "@/server/http/methods";
import { withRequestScope } from "@/server/http/scope";
import { authConfig, AUTH_BASE_PATH } from "./config";
import { emailDelivery, type EmailDelivery } from "./email";

/**
 * The one place the app meets next-auth (with server/auth/config.ts and adapter.ts): its route
 * handlers and `auth()`. Configured lazily from the app context, on the first request.
 */

/** How this install sends sign-in links (see emailDelivery). */
export function deliveryFor(ctx: Pick<AppContext, "config" | "database">): EmailDelivery {
  return emailDelivery(ctx.config.auth, { embedded: ctx.database.engine === "embedded", production: isProduction });
}

const nextAuth = NextAuth(async () => {
  const ctx = await getAppContext();
  return authConfig(ctx, deliveryFor(ctx));
});

export const auth = nextAuth.auth;

/** What Auth.js serves under /api/auth; any other path there is our 404 in problem details. */
const ACTIONS = new Set(["providers", "session", "csrf", "signin", "signout", "callback", "verify-request", "error"]);

function known(request: Request): boolean {
  const [action] = new URL(request.url).pathname.slice(AUTH_BASE_PATH.length + 1).split("/");
  return ACTIONS.has(action ?? "");
}

type RouteHandler = (request: Request) => Promise<Response>;
const guarded = (handle: RouteHandler): RouteHandler =>
  withRequestScope((request: Request) => (known(request) ? handle(request as Parameters<RouteHandler>[0]) : noSuchEndpoint(request)));

export const authRoutes = {
  GET: guarded(nextAuth.handlers.GET as unknown as RouteHandler),
  POST: guarded(nextAuth.handlers.POST as unknown as RouteHandler),
};
