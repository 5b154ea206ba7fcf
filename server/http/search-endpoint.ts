import { ValidationError } from "@/server/core/errors";
import { parseRestSearch, type SearchInput } from "@/server/core/search-query";
import { log } from "@/server/log";
import { metrics } from "@/server/metrics";
import { retryAfterSeconds, type RateLimiter } from "@/server/ratelimit";
import { PLACE_SEARCH_MAX_LIMIT, type PlaceSuggestion } from "@/server/services/airports";
import type { SearchResult } from "@/server/services/search-flights";
import { clientAddress } from "./client-address";
import { searchResponseDto, type Names } from "./flights-dto";
import { singleParams } from "./params";
import { internalProblem, rateLimitedProblem, unavailableProblem, validationProblem } from "./problem";

export interface SearchEndpointDeps {
  search(input: SearchInput): Promise<SearchResult>;
  names(): Promise<Names>;
  limiter: RateLimiter | null;
  trustedProxies: number;
}

/** Thrown by the dependencies when the database cannot be reached: a 503, not a 500. */
export class ServiceUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ServiceUnavailableError";
  }
}

async function limited(request: Request, limiter: RateLimiter | null, trustedProxies: number) {
  if (!limiter) return { response: null, headers: {} };
  const result = await limiter.limit(clientAddress(request.headers, trustedProxies));
  const headers = { "RateLimit-Limit": String(result.limit), "RateLimit-Remaining": String(result.remaining) };
  if (!result.allowed) {
    metrics.rateLimited++;
    return { response: rateLimitedProblem(retryAfterSeconds(result)), headers };
  }
  return { response: null, headers };
}

function failure(error: unknown, what: string): Response {
  if (error instanceof ValidationError) return validationProblem(error.fields);
  if (error instanceof ServiceUnavailableError) return unavailableProblem(error.message);
  log.error(`${what} failed`, { err: error });
  return internalProblem();
}

/** GET /api/v1/flights/search */
export async function handleFlightSearch(request: Request, deps: SearchEndpointDeps): Promise<Response> {
  try {
    const gate = await limited(request, deps.limiter, deps.trustedProxies);
    if (gate.response) return gate.response;
    const parsed = parseRestSearch(new URL(request.url).searchParams);
    if (!parsed.ok) return validationProblem(parsed.errors);
    const [result, names] = await Promise.all([deps.search(parsed.input), deps.names()]);
    return Response.json(searchResponseDto(result, names), {
      headers: { "Cache-Control": "no-store", "X-Cache": result.cache.toUpperCase(), ...gate.headers },
    });
  } catch (error) {
    return failure(error, "flight search");
  }
}

export interface AirportEndpointDeps {
  lookup(query: string, limit: number): Promise<PlaceSuggestion[]>;
}

/** GET /api/v1/airports?q=...&limit=... */
export async function handleAirportSearch(request: Request, deps: AirportEndpointDeps): Promise<Response> {
  try {
    const { values, errors } = singleParams(new URL(request.url).searchParams, ["q", "limit"]);
    const q = values.q ?? "";
    if (!errors.q && !q.trim()) errors.q = ["is required: a code, city, airport name or country"];
    else if (q.length > 64) errors.q = ["must be at most 64 characters"];
    const limitText = values.limit ?? "10";
    const limit = /^\d{1,3}$/.test(limitText) ? Number(limitText) : NaN;
    if (!errors.limit && !(limit >= 1 && limit <= PLACE_SEARCH_MAX_LIMIT)) errors.limit = [`must be a whole number from 1 to ${PLACE_SEARCH_MAX_LIMIT}`];
    if (Object.keys(errors).length) return validationProblem(errors);
    return Response.json({ places: await deps.lookup(q, limit) }, { headers: { "Cache-Control": "public, max-age=3600" } });
  } catch (error) {
    return failure(error, "airport search");
  }
}

