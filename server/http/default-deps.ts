import { getReadyDatabase } from "@/db";
import { isConnectionError } from "@/db/client";
import type { Market } from "@/server/core/fare-model";
import { env } from "@/server/env";
import { getRateLimiter } from "@/server/ratelimit";
import { searchPlaces } from "@/server/services/airports";
import { getMarket } from "@/server/services/market";
import { getSearchDeps } from "@/server/services/search-deps";
import { searchFlights } from "@/server/services/search-flights";
import type { Names } from "./flights-dto";
import { ServiceUnavailableError, type AirportEndpointDeps, type SearchEndpointDeps } from "./search-endpoint";

export function namesFrom(market: Market): Names {
  return {
    airline: (code) => market.airlines.get(code)?.name ?? code,
    airport: (code) => market.airports.get(code)?.name ?? code,
  };
}

/** Runs a step that needs the database; "cannot reach it" becomes a 503 instead of a 500. */
export async function withDatabase<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (isConnectionError(error)) throw new ServiceUnavailableError("The database cannot be reached; see /api/health.", { cause: error });
    throw error;
  }
}

/** The endpoints' dependencies in the running app: configured from the environment. */
export function flightSearchDeps(): SearchEndpointDeps {
  return {
    search: (input) => withDatabase(async () => searchFlights(input, await getSearchDeps())),
    names: () => withDatabase(async () => namesFrom(await getMarket((await getReadyDatabase()).db))),
    limiter: getRateLimiter("search"),
    trustedProxies: env.TRUSTED_PROXIES,
  };
}

export function airportSearchDeps(): AirportEndpointDeps {
  return {
    lookup: (query, limit) => withDatabase(async () => searchPlaces((await getReadyDatabase()).db, query, { limit })),
  };
}
