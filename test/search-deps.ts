import type { Db } from "@/db/client";
import { MemoryCache } from "@/server/cache/memory";
import { createProviders, DEFAULT_RESILIENCE } from "@/server/providers/registry";
import { getMarket } from "@/server/services/market";
import type { SearchDeps } from "@/server/services/search-flights";

/** Search dependencies for tests: both simulated sellers answering at once, a fresh memory cache. */
export function testSearchDeps(db: Db, overrides: Partial<SearchDeps> = {}): SearchDeps {
  return {
    db,
    cache: new MemoryCache(),
    providers: createProviders(
      { simulatedLatencyMs: "0", simulatedErrorRate: 0, simulatedTimeoutRate: 0, simulatedFail: "", resilience: DEFAULT_RESILIENCE },
      { loadMarket: () => getMarket(db) },
    ),
    cacheTtlSeconds: 300,
    searchTimeoutMs: 5_000,
    ...overrides,
  };
}
