import { principalFrom, requireScope, type Principal } from "@/server/auth/principal";
import type { ApiKeyScope } from "@/server/core/api-keys";
import { RateLimitedError } from "@/server/core/errors";
import { namesFrom, type Names, type Place } from "@/server/core/places";
import { parseRestSearch, type SearchInput } from "@/server/core/search-query";
import type { AppContext } from "@/server/context";
import { limitFor, retryAfterSeconds, take, type ApiLimitName, type Limiters } from "@/server/ratelimit";
import { PLACE_QUERY_MAX_LENGTH, PLACE_SEARCH_MAX_LIMIT, searchPlaces } from "@/server/services/places/search-places";
import { reuseSeconds, searchFlights, type SearchResult } from "@/server/services/search/search-flights";
import { addDays } from "@/server/core/time";
import { answerKey, cachedAnswer, storeAnswer, type AnswerCache } from "./answer-cache";
import { clientAddress } from "./client-address";
import { searchResponseDto } from "./flights-dto";
import { singleParams } from "./params";
import { problemFor, validationProblem } from "./problem";

/** What the door of a public endpoint needs: who calls, and the limits. */
export interface GateDeps {
  /** The request's principal, or null (anonymous); a key that does not hold up throws (401). */
  principal(headers: Headers): Promise<Principal | null>;
  /** The app's limiters (AppContext.limiter). */
  limiter: Limiters;
  trustedProxies: number;
}

function gateDeps(ctx: AppContext): GateDeps {
  // With neither an Authorization header nor a session cookie, principalFrom reads nothing.
  return { principal: (headers) => principalFrom(ctx.db, headers, ctx.clock()), limiter: ctx.limiter, trustedProxies: ctx.config.trustedProxies };
}

export interface SearchEndpointDeps extends GateDeps {
  search(input: SearchInput): Promise<SearchResult>;
  names: Names;
  /** Whole answers kept for asking again; null: every request searches (the cache still serves the search). */
  answers: AnswerCache | null;
  /** SEARCH_CACHE_TTL_SECONDS: no answer is kept longer than its search result. */
  cacheTtlSeconds: number;
}

export function searchEndpointDeps(ctx: AppContext): SearchEndpointDeps {
  return {
    ...gateDeps(ctx),
    search: (input) => searchFlights(ctx, input),
    names: namesFrom(ctx.reference),
    answers: {
      cache: ctx.cache,
      scope: async () => {
        const paused = await ctx.providerPauses.current();
        return ctx.providers
          .filter((p) => !paused[p.id])
          .map((p) => p.id)
          .join("+");
      },
    },
    cacheTtlSeconds: ctx.config.search.cacheTtlSeconds,
  };
}

/**
 * The door of a public endpoint, before anything is served (a kept answer included): who calls
 * (a bad, revoked or expired key is a 401), whether an API key may (its scope, else 403), and
 * how often (the caller's own bucket, limitFor: 429 with Retry-After past it). Anonymous callers
 * and sessions need no scope. The RateLimit-* headers describe the bucket used.
 */
async function gate(request: Request, deps: GateDeps, name: ApiLimitName, scope: ApiKeyScope) {
  const principal = await deps.principal(request.headers);
  if (principal) requireScope(principal, scope);
  const result = await take(limitFor(deps, name, principal, clientAddress(request.headers, deps.trustedProxies)));
  if (!result) return { response: null, headers: {}, principal };
  const headers = { "RateLimit-Limit": String(result.limit), "RateLimit-Remaining": String(result.remaining) };
  if (!result.allowed) {
    const refused = problemFor(new RateLimitedError(retryAfterSeconds(result)));
    for (const [header, value] of Object.entries(headers)) refused.headers.set(header, value);
    return { response: refused, headers, principal };
  }
  return { response: null, headers, principal };
}

/**
 * Whether a whole answer may be kept: not for departures today or tomorrow (UTC), which may turn
 * "in the past" at the origin's midnight while kept, and which the search must then refuse.
 */
function keepable(input: SearchInput): boolean {
  return input.departureDate > addDays(new Date().toISOString().slice(0, 10), 1);
}

/** GET /api/v1/flights/search */
export async function handleFlightSearch(request: Request, deps: SearchEndpointDeps): Promise<Response> {
  try {
    const door = await gate(request, deps, "search", "search");
    if (door.response) return door.response;
    const url = new URL(request.url);
    const key = deps.answers && (await answerKey(deps.answers, url.search));
    const hit = key && (await cachedAnswer(deps.answers!, key, door.headers));
    if (hit) return hit;
    const parsed = parseRestSearch(url.searchParams);
    if (!parsed.ok) return validationProblem(parsed.errors);
    const result = await deps.search(parsed.input);
    const dto = searchResponseDto(result, deps.names);
    if (key && keepable(parsed.input)) {
      const age = Math.ceil((Date.now() - Date.parse(result.lastUpdated)) / 1000);
      await storeAnswer(deps.answers!, key, JSON.stringify({ ...dto, cache: "hit" }), reuseSeconds(result.providers, deps.cacheTtlSeconds) - age);
    }
    return Response.json(dto, {
      headers: { "Cache-Control": "no-store", "X-Cache": result.cache.toUpperCase(), ...door.headers },
    });
  } catch (error) {
    return problemFor(error, "flight search");
  }
}

export interface AirportEndpointDeps extends GateDeps {
  lookup(query: string, limit: number): Promise<Place[]>;
}

export function airportEndpointDeps(ctx: AppContext): AirportEndpointDeps {
  return { ...gateDeps(ctx), lookup: (query, limit) => searchPlaces(ctx, query, { limit }) };
}

/** GET /api/v1/airports?q=...&limit=... */
export async function handleAirportSearch(request: Request, deps: AirportEndpointDeps): Promise<Response> {
  try {
    const door = await gate(request, deps, "lookup", "search");
    if (door.response) return door.response;
    const { values, errors } = singleParams(new URL(request.url).searchParams, ["q", "limit"]);
    const q = values.q ?? "";
    if (!errors.q && !q.trim()) errors.q = ["is required: a code, city, airport name or country"];
    else if (q.length > PLACE_QUERY_MAX_LENGTH) errors.q = [`must be at most ${PLACE_QUERY_MAX_LENGTH} characters`];
    const limitText = values.limit ?? "10";
    const limit = /^\d{1,3}$/.test(limitText) ? Number(limitText) : NaN;
    if (!errors.limit && !(limit >= 1 && limit <= PLACE_SEARCH_MAX_LIMIT)) errors.limit = [`must be a whole number from 1 to ${PLACE_SEARCH_MAX_LIMIT}`];
    if (Object.keys(errors).length) return validationProblem(errors);
    return Response.json({ places: await deps.lookup(q, limit) }, {
      // The same places for everyone; an answer to a key or a session is kept by its browser or client only.
      headers: { "Cache-Control": `${door.principal ? "private" : "public"}, max-age=3600`, ...door.headers },
    });
  } catch (error) {
    return problemFor(error, "airport search");
  }
}

