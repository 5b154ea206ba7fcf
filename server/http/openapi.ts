import { z } from "zod";
import packageJson from "@/package.json";
import { API_KEY_SCOPES } from "@/server/core/api-keys";
import { restSearchParams } from "@/server/core/search-query";
import { PLACE_QUERY_MAX_LENGTH, PLACE_SEARCH_MAX_LIMIT } from "@/server/services/places/search-places";
import { problem, type Json } from "./openapi-parts";
import { ADMIN_PATHS, ADMIN_SCHEMAS } from "./openapi-admin";
import { ALERTS_PATHS, ALERTS_SCHEMAS } from "./openapi-alerts";
import { TRACKING_PATHS, TRACKING_SCHEMAS } from "./openapi-tracking";
import { AirportSearchResponseSchema, ProblemSchema, SearchResponseSchema } from "./schemas";

/**
 * Tidies Zod's JSON Schema for OpenAPI 3.1: no per-schema $schema/$id, `examples` (JSON Schema)
 * instead of `example`, and no ±2^53 bounds on every integer.
 */
function tidy(node: Json): Json {
  if (Array.isArray(node)) return node.map(tidy);
  if (node === null || typeof node !== "object") return node;
  const out: { [key: string]: Json } = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "$schema" || key === "$id") continue;
    if ((key === "minimum" || key === "maximum") && Math.abs(value as number) === Number.MAX_SAFE_INTEGER) continue;
    if (key === "example") out.examples = [tidy(value)];
    else out[key] = tidy(value);
  }
  return out;
}

function componentSchemas(): Record<string, Json> {
  // The response schemas register themselves (by their meta id) in Zod's global registry.
  void [SearchResponseSchema, ProblemSchema, AirportSearchResponseSchema];
  const { schemas } = z.toJSONSchema(z.globalRegistry, { target: "draft-2020-12", uri: (id) => `#/components/schemas/${id}` });
  return Object.fromEntries(Object.entries(schemas).map(([id, schema]) => [id, tidy(schema as Json)]));
}

/** The RateLimit-* headers of an answer counted against the caller's bucket. */
const RATE_LIMIT_HEADERS = {
  "RateLimit-Limit": { description: "Requests allowed per window to this caller (its API key, its user, else its address); absent when the limit is off.", schema: { type: "integer" } },
  "RateLimit-Remaining": { description: "Requests left in the current window.", schema: { type: "integer" } },
};

/**
 * Open to all: anonymous callers (limited per client address), signed-in users (per user), and
 * API keys with the `search` scope (per key, a larger allowance).
 */
const OPEN_OR_SEARCH_KEY = [{}, { apiKey: ["search"] }, { session: [] }];

/** The answers of the public endpoints' door (server/http/search-endpoint.ts gate). */
function gateResponses(what: string) {
  return {
    "401": {
      ...problem("The API key is malformed, unknown, revoked or expired (a bad key is refused, not taken as anonymous)."),
      headers: { "WWW-Authenticate": { description: "Bearer.", schema: { type: "string" } } },
    },
    "403": problem("The API key lacks the `search` scope."),
    "429": {
      ...problem(`Too many ${what} from this caller: its API key, its user, else its address.`),
      headers: { "Retry-After": { description: "Seconds to wait.", schema: { type: "integer" } }, ...RATE_LIMIT_HEADERS },
    },
  };
}

function searchParameters() {
  return Object.entries(restSearchParams).map(([name, schema]) => {
    const meta = (schema.meta() ?? {}) as { description?: string; example?: string };
    return {
      name,
      in: "query",
      required: !schema.safeParse(undefined).success,
      description: meta.description,
      schema: { type: "string" },
      ...(meta.example ? { example: meta.example } : {}),
    };
  });
}

const apiKeySchema = {
  type: "object",
  required: ["id", "name", "prefix", "scopes", "createdAt", "expiresAt", "lastUsedAt", "revokedAt"],
  properties: {
    id: { type: "string", format: "uuid" },
    name: { type: "string" },
    prefix: { type: "string", description: "The key's first characters, to tell keys apart.", examples: ["ft_Q2x9vTfa"] },
    scopes: { type: "array", items: { type: "string", enum: [...API_KEY_SCOPES] } },
    createdAt: { type: "string", format: "date-time" },
    expiresAt: { type: ["string", "null"], format: "date-time" },
    lastUsedAt: { type: ["string", "null"], format: "date-time", description: "To the minute." },
    revokedAt: { type: ["string", "null"], format: "date-time" },
  },
};

const API_KEY_SCHEMAS: Record<string, Json> = {
  ApiKey: apiKeySchema,
  ApiKeyList: { type: "object", required: ["apiKeys"], properties: { apiKeys: { type: "array", items: { $ref: "#/components/schemas/ApiKey" } } } },
  NewApiKeyRequest: {
    type: "object",
    required: ["name", "scopes"],
    properties: {
      name: { type: "string", minLength: 1, maxLength: 100 },
      scopes: {
        type: "array",
        minItems: 1,
        uniqueItems: true,
        items: { type: "string", enum: [...API_KEY_SCOPES] },
        description: "`admin` only on an admin's account (else a 400 on scopes).",
      },
      expiresInDays: { type: "integer", minimum: 1, maximum: 3650, description: "None: the key works until revoked." },
    },
  },
  NewApiKey: {
    type: "object",
    required: ["key", "apiKey"],
    properties: { key: { type: "string", description: "The key, shown this once.", pattern: "^ft_[A-Za-z0-9_-]{43}$" }, apiKey: { $ref: "#/components/schemas/ApiKey" } },
  },
};

/** The OpenAPI 3.1 description of the public API. */
export function openApiDocument() {
  return {
    openapi: "3.1.0",
    info: {
      title: "Flight Tracker API",
      version: packageJson.version,
      description: [
        "Flight price search over several providers, merged, deduplicated and ranked.",
        "Prices from the built-in simulated market carry `simulated: true`; they are not real fares.",
        "Errors are RFC 9457 problem details with a list of messages per parameter in `errors`.",
        "Searches and airport lookups are open to all and rate limited per caller: an API key has its own allowance (larger), a signed-in user theirs, anonymous callers one per client address. `RateLimit-Limit` and `RateLimit-Remaining` say where a caller stands; a 429 answer says when to retry in `Retry-After`.",
        "Authentication: a signed-in session's cookie, or `Authorization: Bearer <API key>` (keys are made on the account page or with `POST /api/v1/api-keys`, with a session). A key is scoped: searching and airport lookups need `search`; reading tracked routes `tracking:read`, changing them `tracking:write`; reading alert rules, channels, preferences and notifications `alerts:read`, changing them `alerts:write`. A malformed, unknown, revoked or expired key is a 401 (`WWW-Authenticate: Bearer`), never taken as anonymous; a key without the scope a 403.",
        "The admin console's endpoints (`/api/v1/admin/...`, tag Admin) are for admins only: a signed-in admin, or an API key with the `admin` scope. Only an admin can make a key with that scope (anyone else gets a 400 on `scopes`), and it works only while its owner is an admin: the role is read on every request, so the key of an admin who is demoted is refused (403) from the next request on. A user who is not an admin gets 403, an anonymous caller 401.",
      ].join("\n\n"),
    },
    servers: [{ url: "/", description: "This server" }],
    tags: [{ name: "Flights" }, { name: "Airports" }, { name: "Tracked routes" }, { name: "Alert rules" }, { name: "Notification channels" }, { name: "Notifications" }, { name: "API keys" }, { name: "Admin", description: "The admin console: ingestion runs, provider health and controls. Admins only." }],
    paths: {
      "/api/v1/flights/search": {
        get: {
          operationId: "searchFlights",
          tags: ["Flights"],
          summary: "Search flights",
          description:
            "Asks every enabled provider (or serves a cached answer less than SEARCH_CACHE_TTL_SECONDS old), " +
            "merges the same flights offered by several providers into one result at the lowest price, and ranks: " +
            "`best` = lowest price ÷ cheapest price + 0.75 × (duration ÷ shortest duration − 1) + 0.1 × stops. " +
            "Sorting, filtering and paging reuse the cached answer.",
          security: OPEN_OR_SEARCH_KEY,
          parameters: searchParameters(),
          responses: {
            "200": {
              description: "The page of flights, with each provider's status.",
              headers: {
                "X-Cache": { description: "HIT when every cabin was served from the cache.", schema: { type: "string", enum: ["HIT", "MISS"] } },
                ...RATE_LIMIT_HEADERS,
              },
              content: { "application/json": { schema: { $ref: "#/components/schemas/FlightSearchResponse" } } },
            },
            "400": problem("A parameter is missing, malformed, unknown, repeated or inconsistent; `errors` names each."),
            ...gateResponses("searches"),
            "503": problem("The database cannot be reached."),
          },
        },
      },
      ...TRACKING_PATHS,
      ...ALERTS_PATHS,
      ...ADMIN_PATHS,
      "/api/v1/api-keys": {
        get: {
          operationId: "listApiKeys",
          tags: ["API keys"],
          summary: "List your API keys",
          description: "With a signed-in session only (a key cannot manage keys). The keys themselves are never shown again; each is listed by its prefix.",
          security: [{ session: [] }],
          responses: {
            "200": { description: "Your keys, newest first, revoked ones included.", content: { "application/json": { schema: { $ref: "#/components/schemas/ApiKeyList" } } } },
            "401": problem("Not signed in."),
            "403": problem("Called with an API key."),
          },
        },
        post: {
          operationId: "createApiKey",
          tags: ["API keys"],
          summary: "Make an API key",
          description: "With a signed-in session only, from the app's own origin. The key is in this answer and nowhere else: keep it.",
          security: [{ session: [] }],
          requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/NewApiKeyRequest" } } } },
          responses: {
            "201": { description: "The key, shown once, and its listing.", content: { "application/json": { schema: { $ref: "#/components/schemas/NewApiKey" } } } },
            "400": problem("The name or scopes are missing or invalid, or `admin` is asked for by a user who is not an admin; `errors` names each."),
            "401": problem("Not signed in."),
            "403": problem("Called with an API key, or from another site."),
          },
        },
      },
      "/api/v1/api-keys/{id}": {
        delete: {
          operationId: "revokeApiKey",
          tags: ["API keys"],
          summary: "Revoke an API key",
          description: "With a signed-in session only. The key is refused from the next request on.",
          security: [{ session: [] }],
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
          responses: {
            "204": { description: "Revoked." },
            "400": problem("The id is not a key's id."),
            "401": problem("Not signed in."),
            "403": problem("Called with an API key, or from another site."),
            "404": problem("You have no active key with this id."),
          },
        },
      },
      "/api/v1/airports": {
        get: {
          operationId: "searchAirports",
          tags: ["Airports"],
          summary: "Find airports and city codes",
          description: "By code, city, airport name or country, ignoring case and accents; metro codes and large airports first.",
          parameters: [
            { name: "q", in: "query", required: true, description: "What the traveller typed.", schema: { type: "string", maxLength: PLACE_QUERY_MAX_LENGTH }, example: "lon" },
            { name: "limit", in: "query", required: false, description: `1 to ${PLACE_SEARCH_MAX_LIMIT}, default 10.`, schema: { type: "string" } },
          ],
          security: OPEN_OR_SEARCH_KEY,
          responses: {
            "200": {
              description: "Matching places, best first.",
              headers: RATE_LIMIT_HEADERS,
              content: { "application/json": { schema: { $ref: "#/components/schemas/AirportSearchResponse" } } },
            },
            "400": problem("q is missing or too long, or limit is out of range."),
            ...gateResponses("lookups"),
            "503": problem("The database cannot be reached."),
          },
        },
      },
    },
    components: {
      schemas: { ...componentSchemas(), ...API_KEY_SCHEMAS, ...(tidy(TRACKING_SCHEMAS) as Record<string, Json>), ...(tidy(ALERTS_SCHEMAS) as Record<string, Json>), ...(tidy(ADMIN_SCHEMAS) as Record<string, Json>) },
      securitySchemes: {
        apiKey: {
          type: "http",
          scheme: "bearer",
          description: "An API key: `ft_` and 43 characters, shown once when made. Scoped: `search` (flight search, airport lookup), `history`, `tracking:read`, `tracking:write`, `alerts:read`, `alerts:write`, and `admin` (the admin console's endpoints; made only for an admin, and working only while its owner is one).",
        },
        session: { type: "apiKey", in: "cookie", name: "authjs.session-token", description: "The session of a signed-in user (`__Secure-authjs.session-token` over HTTPS)." },
      },
    },
  };
}
