import { authenticateApiKey } from "@/db/queries/api-keys";
import { sessionUser, type SessionUser } from "@/db/queries/sessions";
import type { Db } from "@/db/client";
import { bearerApiKey, hasScope, type ApiKeyScope } from "@/server/core/api-keys";
import { ForbiddenError, UnauthenticatedError } from "@/server/core/errors";
import type { Role } from "@/server/core/roles";
import { sessionTokenHash } from "./adapter";

/** Who a request acts for: a signed-in user (all their rights) or an API key (its scopes only). */
export type Principal =
  | { via: "session"; userId: string; role: Role; sessionId: string }
  | { via: "key"; userId: string; role: Role; keyId: string; scopes: string[] };

/** Auth.js's session cookie: `__Secure-` over HTTPS. */
const SESSION_COOKIES = ["__Secure-authjs.session-token", "authjs.session-token"];

function cookie(header: string | null, name: string): string | null {
  for (const part of (header ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key !== name) continue;
    try {
      return decodeURIComponent(value.join("="));
    } catch {
      return null; // a malformed cookie is no session, not an error
    }
  }
  return null;
}

/**
 * The principal of a request, read afresh every time (a revoked key, an ended session or a
 * changed role counts from the next request): `Authorization: Bearer <key>` first, else the
 * session cookie. Null when the request carries neither. A key or `Authorization` header that
 * does not hold up is an error, not anonymity: the client meant to authenticate.
 */
export async function principalFrom(db: Db, headers: Headers, now = new Date()): Promise<Principal | null> {
  const authorization = headers.get("authorization");
  if (authorization) {
    const key = bearerApiKey(authorization);
    if (!key) throw new UnauthenticatedError("The Authorization header is not Bearer <API key>.");
    const principal = await authenticateApiKey(db, key, now);
    if (!principal) throw new UnauthenticatedError("This API key is unknown, revoked or expired.");
    return { via: "key", userId: principal.userId, role: principal.role, keyId: principal.keyId, scopes: principal.scopes };
  }
  return sessionPrincipal(db, headers.get("cookie"), now);
}

/** The signed-in user of a Cookie header, with name and email, or null (no session cookie, or one that has ended). */
export async function signedInUser(db: Db, cookieHeader: string | null, now = new Date()): Promise<SessionUser | null> {
  for (const name of SESSION_COOKIES) {
    const token = cookie(cookieHeader, name);
    if (!token) continue;
    const user = await sessionUser(db, sessionTokenHash(token), now);
    if (user) return user;
  }
  return null;
}

/** The principal of a Cookie header's session, or null. */
export async function sessionPrincipal(db: Db, cookieHeader: string | null, now = new Date()): Promise<(Principal & { via: "session" }) | null> {
  const user = await signedInUser(db, cookieHeader, now);
  return user && { via: "session", userId: user.userId, role: user.role, sessionId: user.sessionId };
}

/** The principal, or 401. */
export function requirePrincipal(principal: Principal | null): Principal {
  if (!principal) throw new UnauthenticatedError();
  return principal;
}

/** 403 unless an admin (by session or key). */
export function requireAdmin(principal: Principal): Principal {
  if (principal.role !== "admin") throw new ForbiddenError("Only admins may do this.");
  return principal;
}

/**
 * The admin console's door (tRPC admin.*, REST /api/v1/admin/...): 403 unless the user is an admin
 * now, and for a key unless it also holds the `admin` scope (a key made for other things cannot
 * reach the console because its owner happens to be an admin).
 */
export function requireAdminAccess(principal: Principal): Principal {
  return requireScope(requireAdmin(principal), "admin");
}

/** 403 for a key without the scope; a session may do whatever its user may. */
export function requireScope(principal: Principal, scope: ApiKeyScope): Principal {
  if (principal.via === "key" && !hasScope(principal.scopes, scope)) throw new ForbiddenError(`This API key lacks the scope ${scope}.`);
  return principal;
}

/** 403 for a key: for what only the account's owner may do in person (managing keys). */
export function requireSession(principal: Principal): Principal & { via: "session" } {
  if (principal.via !== "session") throw new ForbiddenError("API keys are managed with a signed-in session, not with a key.");
  return principal;
}
