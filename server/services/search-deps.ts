import { getReadyDatabase } from "@/db";
import { MemoryCache } from "@/server/cache/memory";
import { SafeCache } from "@/server/cache/safe";
import type { Cache } from "@/server/cache/types";
import { UpstashCache } from "@/server/cache/upstash";
import { env } from "@/server/env";
import { log } from "@/server/log";
import { metrics } from "@/server/metrics";
import { getUpstashRedis } from "@/server/upstash";
import { duffelProvider } from "@/server/providers/duffel";
import { createProviders, DEFAULT_RESILIENCE } from "@/server/providers/registry";
import type { ResilientProvider } from "@/server/providers/resilience";
import { getMarket } from "@/server/services/market";
import type { SearchDeps } from "@/server/services/search-flights";
import { SnapshotWriter } from "@/server/services/snapshot-writer";

interface Singletons {
  cache?: Cache;
  providers?: ResilientProvider[];
  snapshots?: SnapshotWriter;
}

// On globalThis so that dev reloads keep one cache and the providers' circuit breakers.
const singletons: Singletons = ((globalThis as { __flightTrackerSearch?: Singletons }).__flightTrackerSearch ??= {});

export function getCache(): Cache {
  const redis = getUpstashRedis();
  singletons.cache ??= new SafeCache(
    redis ? new UpstashCache(redis) : new MemoryCache(),
    ({ operation, error }) => {
      metrics.cacheFailures++;
      log.warn("cache unavailable, serving without it", { operation, err: error });
    },
  );
  return singletons.cache;
}

function getProviders(): ResilientProvider[] {
  singletons.providers ??= createProviders(
    {
      providers: env.PROVIDERS,
      duffel: env.DUFFEL_ACCESS_TOKEN ? { token: env.DUFFEL_ACCESS_TOKEN, baseUrl: env.DUFFEL_API_URL } : undefined,
      simulatedLatencyMs: env.SIMULATED_LATENCY_MS,
      simulatedErrorRate: env.SIMULATED_ERROR_RATE,
      simulatedTimeoutRate: env.SIMULATED_TIMEOUT_RATE,
      simulatedFail: env.SIMULATED_FAIL,
      resilience: { ...DEFAULT_RESILIENCE, timeoutMs: env.PROVIDER_TIMEOUT_MS, concurrency: env.PROVIDER_CONCURRENCY },
    },
    { loadMarket: async () => getMarket((await getReadyDatabase()).db), createDuffel: duffelProvider },
  );
  return singletons.providers;
}

/** What a search needs, configured from the environment, shared by every request of the process. */
export async function getSearchDeps(): Promise<SearchDeps> {
  const database = await getReadyDatabase();
  singletons.snapshots ??= new SnapshotWriter(database.db);
  return {
    db: database.db,
    cache: getCache(),
    providers: getProviders(),
    snapshots: singletons.snapshots,
    cacheTtlSeconds: env.SEARCH_CACHE_TTL_SECONDS,
    searchTimeoutMs: env.SEARCH_TIMEOUT_MS,
  };
}
