import { createApiKey, listApiKeys, revokeApiKey, type ApiKeySummary } from "@/db/queries/api-keys";
import { recordAudit } from "@/db/queries/audit";
import { principalFrom, requirePrincipal, requireSession } from "@/server/auth/principal";
import { apiKeyIdInput, createApiKeyInput } from "@/server/core/api-key-input";
import { ForbiddenError, NotFoundError, ValidationError } from "@/server/core/errors";
import type { AppContext } from "@/server/context";
import { clientAddress } from "./client-address";
import { problemFor } from "./problem";

const DAY_MS = 86_400_000;

/**
 * A mutation with a session cookie must come from the app's own pages: a browser says where a
 * request comes from (Sec-Fetch-Site, Origin), and another site's form or script is refused.
 */
export function refuseCrossSite(request: Request): void {
  const site = request.headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") throw new ForbiddenError("Cross-site requests may not change anything here.");
  const origin = request.headers.get("origin");
  if (origin && origin !== "null" && new URL(origin).host !== new URL(request.url).host) {
    throw new ForbiddenError("Cross-site requests may not change anything here.");
  }
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
    const input = createApiKeyInput.parse(body);
    const expiresAt = input.expiresInDays ? new Date(ctx.clock().getTime() + input.expiresInDays * DAY_MS) : null;
    const made = await createApiKey(ctx.db, userId, { name: input.name, scopes: input.scopes, expiresAt });
    await recordAudit(ctx.db, {
      action: "api_key_created",
      actorId: userId,
      address: clientAddress(request.headers, ctx.config.trustedProxies),
      userAgent: request.headers.get("user-agent"),
      detail: { keyId: made.summary.id, name: input.name, scopes: input.scopes },
    });
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
    const input = apiKeyIdInput.parse({ id });
    if (!(await revokeApiKey(ctx.db, userId, input.id, ctx.clock()))) throw new NotFoundError("You have no active API key with this id.");
    await recordAudit(ctx.db, {
      action: "api_key_revoked",
      actorId: userId,
      address: clientAddress(request.headers, ctx.config.trustedProxies),
      userAgent: request.headers.get("user-agent"),
      detail: { keyId: input.id },
    });
    return new Response(null, { status: 204 });
  } catch (error) {
    return problemFor(error, "API key revocation");
  }
}
