import { principalFrom, requirePrincipal, requireScope, type Principal } from "@/server/auth/principal";
import type { ApiKeyScope } from "@/server/core/api-keys";
import { ValidationError } from "@/server/core/errors";
import type { AppContext } from "@/server/context";
import { refuseCrossSite } from "./api-keys-endpoint";

/**
 * What the REST endpoints of a user's own resources (tracked routes, alerts) share: who calls,
 * with which scope, and the JSON body. Their answers are the caller's alone: never stored by a
 * cache.
 */

export const NO_STORE = { "Cache-Control": "no-store" };

/** The scopes that change something; the others only read. */
const CHANGES: readonly ApiKeyScope[] = ["tracking:write", "alerts:write"];

/**
 * The caller, with a session or an API key holding `scope` (401 without either, 403 for a key
 * without the scope).
 */
export async function caller(request: Request, ctx: AppContext, scope: ApiKeyScope): Promise<Principal> {
  const principal = requireScope(requirePrincipal(await principalFrom(ctx.db, request.headers, ctx.clock())), scope);
  // A change with a session cookie must come from the app's own pages; a key is sent by programs.
  if (CHANGES.includes(scope) && principal.via === "session") refuseCrossSite(request);
  return principal;
}

/**
 * The request's JSON body; a body that is not JSON is a 400 on `body`, showing `example`.
 * `optional`: an empty body is `{}`.
 */
export async function jsonBody(request: Request, example: string, options: { optional?: boolean } = {}): Promise<unknown> {
  const text = await request.text();
  if (options.optional && text.trim() === "") return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw ValidationError.of("body", `must be a JSON object such as ${example}${options.optional ? ", or nothing" : ""}`);
  }
}
