import { RateLimitedError } from "@/server/core/errors";
import { namesFrom, type Names, type Place } from "@/server/core/places";
import { parseRestSearch, type SearchInput } from "@/server/core/search-query";
import type { AppContext } from "@/server/context";
import { metrics } from "@/server/metrics";
import { retryAfterSeconds, type RateLimiter } from "@/server/ratelimit";
import { PLACE_QUERY_MAX_LENGTH, PLACE_SEARCH_MAX_LIMIT, searchPlaces } from "@/server/services/places/search-places";
import { reuseSeconds, searchFlights, type SearchResult } from "@/server/services/search/search-flights";
import { addDays } from "@/server/core/time";
import { answerKey, cachedAnswer, storeAnswer, type AnswerCache } from "./answer-cache";
import { clientAddress } from "./client-address";
import { searchResponseDto } from "./flights-dto";
import { singleParams } from "./params";
import { problemFor, validationProblem } from "./problem";

export interface SearchEndpointDeps {
  search(input: SearchInput): Promise<SearchResult>;
  names: Names;
  limiter: RateLimiter | null;
  trustedProxies: number;
  /** Whole answers kept for asking again; null: every request searches (the cache still serves the search). */
  answers: AnswerCache | null;
  /** SEARCH_CACHE_TTL_SECONDS: no answer is kept longer than its search result. */
  cacheTtlSeconds: number;
}

export function searchEndpointDeps(ctx: AppContext): SearchEndpointDeps {
  return {
    search: (input) => searchFlights(ctx, input),
    names: namesFrom(ctx.reference),
    limiter: ctx.limiter("search"),
    trustedProxies: ctx.config.trustedProxies,
    answers: { cache: ctx.cache, scope: ctx.providers.map((p) => p.id).join("+") },
    cacheTtlSeconds: ctx.config.search.cacheTtlSeconds,
  };
}

async function limited(request: Request, limiter: RateLimiter | null, trustedProxies: number) {
  if (!limiter) return { response: null, headers: {} };
  const result = await limiter.limit(clientAddress(request.headers, trustedProxies));
  const headers = { "RateLimit-Limit": String(result.limit), "RateLimit-Remaining": String(result.remaining) };
  if (!result.allowed) {
    metrics.rateLimited++;
    return { response: problemFor(new RateLimitedError(retryAfterSeconds(result))), headers };
  }
  return { response: null, headers };
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
    const gate = await limited(request, deps.limiter, deps.trustedProxies);
    if (gate.response) return gate.response;
    const url = new URL(request.url);
    const key = deps.answers && answerKey(deps.answers, url.search);
    const hit = key && (await cachedAnswer(deps.answers!, key, gate.headers));
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
      headers: { "Cache-Control": "no-store", "X-Cache": result.cache.toUpperCase(), ...gate.headers },
    });
  } catch (error) {
    return problemFor(error, "flight search");
  }
}

export interface AirportEndpointDeps {
  lookup(query: string, limit: number): Promise<Place[]>;
  limiter: RateLimiter | null;
  trustedProxies: number;
}

export function airportEndpointDeps(ctx: AppContext): AirportEndpointDeps {
  return { lookup: (query, limit) => searchPlaces(ctx, query, { limit }), limiter: ctx.limiter("lookup"), trustedProxies: ctx.config.trustedProxies };
}

/** GET /api/v1/airports?q=...&limit=... */
export async function handleAirportSearch(request: Request, deps: AirportEndpointDeps): Promise<Response> {
  try {
    const gate = await limited(request, deps.limiter, deps.trustedProxies);
    if (gate.response) return gate.response;
    const { values, errors } = singleParams(new URL(request.url).searchParams, ["q", "limit"]);
    const q = values.q ?? "";
    if (!errors.q && !q.trim()) errors.q = ["is required: a code, city, airport name or country"];
    else if (q.length > PLACE_QUERY_MAX_LENGTH) errors.q = [`must be at most ${PLACE_QUERY_MAX_LENGTH} characters`];
    const limitText = values.limit ?? "10";
    const limit = /^\d{1,3}$/.test(limitText) ? Number(limitText) : NaN;
    if (!errors.limit && !(limit >= 1 && limit <= PLACE_SEARCH_MAX_LIMIT)) errors.limit = [`must be a whole number from 1 to ${PLACE_SEARCH_MAX_LIMIT}`];
    if (Object.keys(errors).length) return validationProblem(errors);
    return Response.json({ places: await deps.lookup(q, limit) }, { headers: { "Cache-Control": "public, max-age=3600", ...gate.headers } });
  } catch (error) {
    return problemFor(error, "airport search");
  }
}

