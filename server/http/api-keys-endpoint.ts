import { listApiKeys, type ApiKeySummary } from "@/db/queries/api-keys";
import { principalFrom, requirePrincipal, requireSession } from "@/server/auth/principal";
import { apiKeyIdInput, createApiKeyInput } from "@/server/core/api-key-input";
import { ForbiddenError, ValidationError } from "@/server/core/errors";
import type { AppContext } from "@/server/context";
import { env } from "@/server/env";
import { makeApiKey, revokeOwnApiKey } from "@/server/services/accounts/api-keys";
import { problemFor } from "./problem";
import { CROSS_SITE_REFUSAL, crossSiteRequest, requestHost } from "./security";

/** A mutation with a session cookie must come from the app's own pages (crossSiteRequest). */
export function refuseCrossSite(request: Request): void {
  if (crossSiteRequest(request.headers, requestHost(request.headers, env.TRUSTED_PROXIES, new URL(request.url).host))) throw new ForbiddenError(CROSS_SITE_REFUSAL);
}

function view(key: ApiKeySummary) {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    scopes: key.scopes,
    createdAt: key.createdAt.toISOString(),
    expiresAt: key.expiresAt?.toISOString() ?? null,
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
  };
}

async function owner(request: Request, ctx: AppContext): Promise<string> {
  return requireSession(requirePrincipal(await principalFrom(ctx.db, request.headers, ctx.clock()))).userId;
}

/** GET /api/v1/api-keys: the signed-in user's keys (never the keys themselves). */
export async function handleListApiKeys(request: Request, ctx: AppContext): Promise<Response> {
  try {
    const userId = await owner(request, ctx);
    return Response.json({ apiKeys: (await listApiKeys(ctx.db, userId)).map(view) }, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return problemFor(error, "API key list");
  }
}

/** POST /api/v1/api-keys: a new key, in this answer only. */
export async function handleCreateApiKey(request: Request, ctx: AppContext): Promise<Response> {
  try {
    const userId = await owner(request, ctx);
    refuseCrossSite(request);
    const body: unknown = await request.json().catch(() => {
      throw ValidationError.of("body", "must be a JSON object such as {\"name\": \"ci\", \"scopes\": [\"search\"]}");
    });
    const made = await makeApiKey(ctx, userId, createApiKeyInput.parse(body));
    return Response.json({ key: made.key, apiKey: view(made.summary) }, { status: 201, headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return problemFor(error, "API key creation");
  }
}

/** DELETE /api/v1/api-keys/{id}: revokes one of the user's keys; 404 for any other id. */
export async function handleRevokeApiKey(request: Request, ctx: AppContext, id: string): Promise<Response> {
  try {
    const userId = await owner(request, ctx);
    refuseCrossSite(request);
    await revokeOwnApiKey(ctx, userId, apiKeyIdInput.parse({ id }).id);
    return new Response(null, { status: 204 });
  } catch (error) {
    return problemFor(error, "API key revocation");
  }
}
