import { applyFilters, rankOffers, type Sort } from "@/server/core/aggregate";
import { searchCacheKey, type CanonicalQuery } from "@/server/core/canonical-query";
import { countryCurrency } from "@/server/core/country-currency";
import { ValidationError } from "@/server/core/errors";
import { insightForOffers, type PriceInsight } from "@/server/core/insight";
import { toMinor } from "@/server/core/money";
import type { Cabin, Offer } from "@/server/core/offer";
import { paginate, resultFingerprint } from "@/server/core/pagination";
import { airportsOf, knownPlace, timeZoneOf, type Place } from "@/server/core/places";
import { combineReports, type ProviderReport } from "@/server/core/provider-report";
import type { SearchInput } from "@/server/core/search-query";
import { localDate } from "@/server/core/time";
import { SingleFlight } from "@/server/cache/single-flight";
import { log } from "@/server/log";
import { metrics } from "@/server/metrics";
import { prom, secondsSince } from "@/server/observability/metrics";
import { withSpan } from "@/server/observability/tracing";
import type { ProviderResult } from "@/server/providers/types";
import { fanOut, type CachedSearch, type SearchContext } from "./fan-out";

export type CacheStatus = "hit" | "miss";

export interface SearchResult {
  origin: Place;
  destination: Place;
  departureDate: string;
  returnDate: string | null;
  cabins: Cabin[];
  passengers: { adults: number; children: number; infants: number };
  currency: string;
  sort: Sort;
  offers: Offer[];
  /** Offers matching the filters, over all pages. */
  totalResults: number;
  /** Offers before the filters. */
  totalUnfiltered: number;
  nextCursor: string | null;
  /** hit when every cabin came from the cache. */
  cache: CacheStatus;
  /** When the prices were observed (the oldest of the cabins searched). */
  lastUpdated: string;
  /** How each provider did, over every cabin searched. */
  providers: ProviderReport[];
  /** True when any price shown comes from the simulated market. */
  simulated: boolean;
  /**
   * The cheapest offer in the first cabin asked, per adult, against the route's history for
   * departures around this date; null when the history could not be read.
   */
  insight: (PriceInsight & { cabin: Cabin }) | null;
}

/** One provider's answer for one cabin, as it arrives (offers already in the result currency). */
export interface ProviderProgress {
  cabin: Cabin;
  report: ProviderReport;
  offers: Offer[];
}

export interface SearchOptions {
  /** Called as each provider answers; on a cache hit, at once for every provider. */
  onProvider?: (progress: ProviderProgress) => void;
  /** Every matching offer in one page, for clients that sort and filter themselves. */
  allOffers?: boolean;
}

const PARTIAL_RESULT_TTL_SECONDS = 60;

/**
 * How long an answer from these providers may be served again: when all answered, the
 * configured time; when some failed, a minute at most (they may be back); when none did, not at
 * all (the next search asks again).
 */
export function reuseSeconds(providers: ProviderReport[], ttlSeconds: number): number {
  const answered = providers.filter((p) => p.status === "ok").length;
  if (answered === 0) return 0;
  return answered < providers.length ? Math.min(ttlSeconds, PARTIAL_RESULT_TTL_SECONDS) : ttlSeconds;
}

/** Concurrent identical misses in this process share one fan-out, and hear every provider's answer. */
const fanOuts = new SingleFlight<CachedSearch, ProviderResult>((error) => log.warn("search progress listener failed", { err: error }));

/** One cabin: the cached answer, or a fan-out (shared with identical searches under way), then cached. */
async function searchCabin(
  ctx: SearchContext,
  canonical: CanonicalQuery,
  airports: { origins: string[]; destinations: string[] },
  onProvider: SearchOptions["onProvider"],
): Promise<{ entry: CachedSearch; cache: CacheStatus }> {
  // Keyed by the providers asked: an answer cached before an admin paused (or resumed) one is not served after.
  const paused = await ctx.providerPauses.current();
  const key = searchCacheKey(
    canonical,
    ctx.providers.filter((p) => !paused[p.id]).map((p) => p.id),
  );
  const cached = await withSpan("cache.get", { "cache.cabin": canonical.cabin }, async (span) => {
    const entry = await ctx.cache.get<CachedSearch>(key);
    span.setAttribute("cache.hit", entry !== null);
    return entry;
  });
  if (cached) {
    metrics.searchCacheHits++;
    prom.searchCacheLookups.inc({ result: "hit" });
    for (const report of cached.providers) onProvider?.({ cabin: canonical.cabin, report, offers: [] });
    return { entry: cached, cache: "hit" };
  }
  metrics.searchCacheMisses++;
  prom.searchCacheLookups.inc({ result: "miss" });
  const listener = onProvider && (({ offers, ...report }: ProviderResult) => onProvider({ cabin: canonical.cabin, report, offers }));
  const { promise } = fanOuts.run(
    key,
    async (emit) => {
      const entry = await fanOut(ctx, canonical, airports, emit);
      const ttl = reuseSeconds(entry.providers, ctx.config.search.cacheTtlSeconds);
      if (ttl > 0) await withSpan("cache.set", { "cache.cabin": canonical.cabin, "cache.ttl_seconds": ttl }, () => ctx.cache.set(key, entry, ttl));
      return entry;
    },
    listener,
  );
  return { entry: await promise, cache: "miss" };
}

/**
 * A flight search: validates what needs the reference data, then for each cabin serves the
 * cached result or fans out to every provider (one shared fan-out for concurrent identical
 * searches), which records the prices as an observation; then filters, ranks and pages the
 * offers. Throws ValidationError for bad input; a failing provider, cache or write only
 * degrades the answer.
 */
export async function searchFlights(ctx: SearchContext, input: SearchInput, options: SearchOptions = {}): Promise<SearchResult> {
  metrics.searches++;
  prom.searches.inc();
  const started = performance.now();
  const attributes = { "search.origin": input.originCode, "search.destination": input.destinationCode, "search.cabins": input.cabins.join(",") };
  return withSpan("search.flights", attributes, async (span) => {
    const result = await search(ctx, input, options);
    span.setAttributes({ "search.cache": result.cache, "search.offers": result.totalUnfiltered });
    prom.searchDuration.observe({ cache: result.cache }, secondsSince(started));
    return result;
  });
}

async function search(ctx: SearchContext, input: SearchInput, options: SearchOptions): Promise<SearchResult> {
  const origin = knownPlace(ctx.reference, input.originCode, "originCode");
  const destination = knownPlace(ctx.reference, input.destinationCode, "destinationCode");
  const airports = { origins: airportsOf(origin), destinations: airportsOf(destination) };
  if (airports.origins.some((code) => airports.destinations.includes(code))) {
    throw ValidationError.of("destinationCode", `${destination.code} and ${origin.code} are the same place`);
  }
  const today = localDate(ctx.clock(), timeZoneOf(ctx.reference, origin));
  if (input.departureDate < today) {
    throw ValidationError.of("departureDate", `must not be in the past (it is ${today} in ${origin.city ?? origin.name})`);
  }
  const currency = input.currency ?? countryCurrency(origin.countryCode);
  const trip = { origin: origin.code, destination: destination.code, departureDate: input.departureDate, returnDate: input.returnDate ?? null };
  const party = { adults: input.adults, children: input.children, infants: input.infants };
  const cabins = await Promise.all(input.cabins.map((cabin) => searchCabin(ctx, { ...trip, ...party, cabin, currency }, airports, options.onProvider)));

  const all = cabins.flatMap(({ entry }) => entry.offers);
  const { maxPrice, ...otherFilters } = input.filters;
  const filtered = applyFilters(all, { ...otherFilters, maxPriceMinor: maxPrice === undefined ? undefined : toMinor(maxPrice, currency) });
  const ranked = rankOffers(filtered, input.sort);
  const fingerprint = resultFingerprint([origin.code, destination.code, input.departureDate, input.returnDate, input.cabins, input.adults, input.children, input.infants, currency, input.sort, input.filters]);
  const page = options.allOffers ? { items: ranked, total: ranked.length, nextCursor: null } : paginate(ranked, { limit: input.limit, cursor: input.cursor, fingerprint });

  return {
    origin,
    destination,
    departureDate: input.departureDate,
    returnDate: input.returnDate ?? null,
    cabins: input.cabins,
    passengers: party,
    currency,
    sort: input.sort,
    offers: page.items,
    totalResults: page.total,
    totalUnfiltered: all.length,
    nextCursor: page.nextCursor,
    cache: cabins.every((c) => c.cache === "hit") ? "hit" : "miss",
    lastUpdated: cabins.map((c) => c.entry.observedAt).sort()[0]!,
    providers: combineReports(cabins.map((c) => c.entry.providers)),
    simulated: all.some((offer) => offer.sources.some((s) => s.simulated)),
    insight: insightForOffers(cabins[0]!.entry.stats ?? null, all, input.cabins[0]!),
  };
}
