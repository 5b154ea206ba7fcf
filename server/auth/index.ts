import NextAuth from "next-auth";
import { getAppContext } from "@/server/context";
import { RateLimitedError } from "@/server/core/errors";
import { clientAddress } from "@/server/http/client-address";
import { noSuchEndpoint } from "@/server/http/methods";
import { problemFor } from "@/server/http/problem";
import { signInAllowed } from "@/server/ratelimit/sign-in";
import { withRequestScope } from "@/server/http/scope";
import { authConfig, AUTH_BASE_PATH } from "./config";
import { deliveryFor } from "./email";
import { atPublicUrl } from "./public-url";

/**
 * The one place the app meets next-auth (with server/auth/config.ts and adapter.ts): its route
 * handlers and `auth()`. Configured lazily from the app context, on the first request.
 */

export { deliveryFor };

const nextAuth = NextAuth(async () => {
  const ctx = await getAppContext();
  return authConfig(ctx, deliveryFor(ctx));
});

export const { auth, signIn, signOut } = nextAuth;

/** What Auth.js serves under /api/auth; any other path there is our 404 in problem details. */
const ACTIONS = new Set(["providers", "session", "csrf", "signin", "signout", "callback", "verify-request", "error"]);

function known(request: Request): boolean {
  const [action] = new URL(request.url).pathname.slice(AUTH_BASE_PATH.length + 1).split("/");
  return ACTIONS.has(action ?? "");
}

/** The `email` of a request's body, read as Auth.js reads it: JSON or a URL-encoded form. */
async function emailOf(request: Request): Promise<string | null> {
  const type = request.headers.get("content-type") ?? "";
  const text = await request.clone().text().catch(() => "");
  let email: unknown;
  if (type.includes("application/json")) {
    try {
      email = (JSON.parse(text) as { email?: unknown } | null)?.email;
    } catch {
      return null;
    }
  } else if (type.includes("application/x-www-form-urlencoded")) {
    email = new URLSearchParams(text).get("email");
  }
  return typeof email === "string" && email ? email : null;
}

/**
 * Asking for an email link straight from Auth.js's endpoint (the app's page uses a server action
 * that does the same) counts against the sign-in limits too: 429, whether or not the address has
 * an account.
 */
async function signInLimited(request: Request): Promise<Response | null> {
  if (request.method !== "POST" || new URL(request.url).pathname !== `${AUTH_BASE_PATH}/signin/email`) return null;
  const email = await emailOf(request);
  if (!email) return null;
  const ctx = await getAppContext();
  const verdict = await signInAllowed(ctx, { email, address: clientAddress(request.headers, ctx.config.trustedProxies) });
  return verdict.allowed ? null : problemFor(new RateLimitedError(verdict.retryAfterSeconds ?? 60));
}

type RouteHandler = (request: Request) => Promise<Response>;
const guarded = (handle: RouteHandler): RouteHandler =>
  withRequestScope(async (incoming: Request) => {
    if (!known(incoming)) return noSuchEndpoint(incoming);
    const request = await atPublicUrl(incoming);
    return (await signInLimited(request)) ?? handle(request as Parameters<RouteHandler>[0]);
  });

export const authRoutes = {
  GET: guarded(nextAuth.handlers.GET as unknown as RouteHandler),
  POST: guarded(nextAuth.handlers.POST as unknown as RouteHandler),
};
