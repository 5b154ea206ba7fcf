import crypto from "node:crypto";
import type { Db } from "@/db/client";
import { applyFilters, mergeOffers, rankOffers, type Sort } from "@/server/core/aggregate";
import { InvalidCursorError, paginate, resultFingerprint } from "@/server/core/pagination";
import { ValidationError } from "@/server/core/errors";
import { priceInsight, type PriceInsight } from "@/server/core/insight";
import { countryCurrency } from "@/server/core/country-currency";
import { convert, toMinor } from "@/server/core/money";
import { carriersOf, totalDuration, totalStops, type Cabin, type Offer } from "@/server/core/offer";
import type { SearchInput } from "@/server/core/search-query";
import { localDate } from "@/server/core/time";
import type { Cache } from "@/server/cache/types";
import { metrics } from "@/server/metrics";
import type { ProviderResult, ResilientProvider } from "@/server/providers/resilience";
import type { ProviderOutcome, ProviderQuery } from "@/server/providers/types";
import type { Market } from "@/server/core/fare-model";
import type { PlaceSuggestion } from "@/server/services/airports";
import { log } from "@/server/log";
import { airportsOf, getMarket, placeFromMarket } from "@/server/services/market";
import { priceStats, type StatsResult } from "@/server/services/route-prices";
import { SnapshotWriter } from "@/server/services/snapshot-writer";
import type { CanonicalQuery, SnapshotOffer } from "@/server/services/snapshots";

export interface SearchDeps {
  db: Db;
  cache: Cache;
  providers: ResilientProvider[];
  /** Seconds a complete result is cached; a partial one (some provider failed) at most 60. */
  cacheTtlSeconds: number;
  /** Budget of the whole fan-out, in ms. */
  searchTimeoutMs: number;
  /** Writes the snapshots behind the response; without it each search writes before answering. */
  snapshots?: SnapshotWriter;
  now?: () => Date;
}

export type CacheStatus = "hit" | "miss";

/** How each provider did, over every cabin searched. */
export type ProviderReport = Omit<ProviderOutcome, "attempts">;

export interface SearchResult {
  origin: PlaceSuggestion;
  destination: PlaceSuggestion;
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

/** What the cache holds for one canonical query. */
interface CachedSearch {
  observedAt: string;
  offers: Offer[];
  providers: ProviderReport[];
  /**
   * The route's price statistics for this cabin and date, read beside the fan-out and cached
   * with it, so that a cache hit reads no history. Absent from entries cached before it existed.
   */
  stats?: StatsResult | null;
}

const PARTIAL_RESULT_TTL_SECONDS = 60;

const clock = (deps: SearchDeps) => (deps.now ? deps.now() : new Date());

/**
 * Concurrent identical misses in this process share one fan-out. Each provider's answer is
 * kept so that a search joining late still hears about the ones already in.
 */
interface InFlight {
  promise: Promise<CachedSearch>;
  answered: ProviderResult[];
  listeners: Set<(result: ProviderResult) => void>;
}
const inFlight = new Map<string, InFlight>();

function resolvePlace(market: Market, code: string, field: "originCode" | "destinationCode"): PlaceSuggestion {
  const place = placeFromMarket(market, code);
  if (!place) throw ValidationError.of(field, `${code} is not a known airport or city code`);
  return place;
}

/** The cache key: every parameter that changes what the providers answer, and which providers ask. */
export function searchCacheKey(query: CanonicalQuery, providerIds: string[]): string {
  const parts = [
    query.origin,
    query.destination,
    query.departureDate,
    query.returnDate ?? "-",
    query.cabin,
    query.adults,
    query.children,
    query.infants,
    query.currency,
    [...providerIds].sort().join("+"),
  ];
  return `search:v1:${crypto.createHash("sha256").update(parts.join("|")).digest("base64url").slice(0, 32)}`;
}

/** Each provider's price for an itinerary becomes one snapshot row. */
export function toSnapshots(offers: Offer[]): SnapshotOffer[] {
  return offers.flatMap((offer) => {
    const [outbound, inbound] = offer.slices;
    return offer.sources.map((source) => ({
      provider: source.provider,
      itineraryKey: offer.itineraryKey,
      origin: outbound!.origin,
      destination: outbound!.destination,
      carriers: carriersOf(offer),
      flightNumbers: offer.slices.flatMap((slice) => slice.segments.map((s) => s.flightNumber)),
      stops: totalStops(offer),
      departureAt: new Date(outbound!.departureAt),
      arrivalAt: new Date(outbound!.arrivalAt),
      returnDepartureAt: inbound ? new Date(inbound.departureAt) : null,
      returnArrivalAt: inbound ? new Date(inbound.arrivalAt) : null,
      durationMinutes: totalDuration(offer),
      priceMinor: source.price.amountMinor,
      pricePerAdultMinor: source.pricePerAdult.amountMinor,
      currency: source.price.currency,
      deepLink: source.deepLink,
      offerRef: source.offerRef,
      offerExpiresAt: source.expiresAt ? new Date(source.expiresAt) : null,
    }));
  });
}

/** Prices in one currency: providers that quote in another are converted at the reference rates. */
function inCurrency(offers: Offer[], currency: string): Offer[] {
  return offers.map((offer) =>
    offer.price.currency === currency
      ? offer
      : {
          ...offer,
          price: convert(offer.price, currency),
          pricePerAdult: convert(offer.pricePerAdult, currency),
          sources: offer.sources.map((s) => ({ ...s, price: convert(s.price, currency), pricePerAdult: convert(s.pricePerAdult, currency) })),
        },
  );
}

async function fanOut(deps: SearchDeps, query: ProviderQuery, canonical: CanonicalQuery, onAnswer: (result: ProviderResult) => void): Promise<CachedSearch> {
  const observedAt = clock(deps);
  const controller = new AbortController();
  const deadline = observedAt.getTime() + deps.searchTimeoutMs;
  // Read beside the fan-out, not after it; a failing read only loses the insight.
  const stats = priceStats(deps.db, {
    origins: query.origins,
    destinations: query.destinations,
    currency: query.currency,
    cabin: query.cabin,
    departureDate: query.departureDate,
    roundTrip: query.returnDate !== null,
    now: observedAt,
  }).catch((error: unknown) => {
    log.warn("price insight unavailable", { err: error });
    return null;
  });
  const results: ProviderResult[] = await Promise.all(
    deps.providers.map(async (provider) => {
      const answer = await provider.search(query, { signal: controller.signal, deadline, now: observedAt });
      const result = { ...answer, offers: inCurrency(answer.offers, query.currency) };
      onAnswer(result);
      return result;
    }),
  );
  const offers = mergeOffers(results.flatMap((r) => r.offers));
  // One write path either way: the shared writer answers first and writes right after; without
  // one, this search's own writer is flushed before answering. Failures are the writer's to count.
  const writer = deps.snapshots ?? new SnapshotWriter(deps.db);
  writer.enqueue(canonical, observedAt, toSnapshots(offers));
  if (!deps.snapshots) await writer.flush();
  return {
    observedAt: observedAt.toISOString(),
    offers,
    providers: results.map(({ offers: _offers, attempts: _attempts, ...outcome }) => outcome),
    stats: await stats,
  };
}

function toProgress(cabin: Cabin, { offers, attempts: _attempts, ...report }: ProviderResult): ProviderProgress {
  return { cabin, report, offers };
}

async function searchCabin(
  deps: SearchDeps,
  query: ProviderQuery,
  canonical: CanonicalQuery,
  onProvider: SearchOptions["onProvider"],
): Promise<{ entry: CachedSearch; cache: CacheStatus }> {
  const key = searchCacheKey(canonical, deps.providers.map((p) => p.id));
  const cached = await deps.cache.get<CachedSearch>(key);
  if (cached) {
    metrics.searchCacheHits++;
    for (const report of cached.providers) onProvider?.({ cabin: canonical.cabin, report, offers: [] });
    return { entry: cached, cache: "hit" };
  }
  metrics.searchCacheMisses++;
  const listener = onProvider ? (result: ProviderResult) => onProvider(toProgress(canonical.cabin, result)) : null;
  const joined = inFlight.get(key);
  if (joined) {
    if (listener) {
      joined.answered.forEach(listener);
      joined.listeners.add(listener);
    }
    return { entry: await joined.promise, cache: "miss" };
  }
  const answered: ProviderResult[] = [];
  const listeners = new Set(listener ? [listener] : []);
  const onAnswer = (result: ProviderResult) => {
    answered.push(result);
    for (const notify of listeners) {
      // A listener is a page streaming progress: its failure must not fail the search.
      try {
        notify(result);
      } catch (error) {
        log.warn("search progress listener failed", { err: error });
      }
    }
  };
  const promise = (async () => {
    const entry = await fanOut(deps, query, canonical, onAnswer);
    const answeredOk = entry.providers.filter((p) => p.status === "ok").length;
    // Nothing answered: cache nothing, so that the next search asks again.
    if (answeredOk > 0) {
      const ttl = answeredOk === entry.providers.length ? deps.cacheTtlSeconds : Math.min(deps.cacheTtlSeconds, PARTIAL_RESULT_TTL_SECONDS);
      await deps.cache.set(key, entry, ttl);
    }
    return entry;
  })().finally(() => inFlight.delete(key));
  inFlight.set(key, { promise, answered, listeners });
  return { entry: await promise, cache: "miss" };
}

/** One report per provider over the cabins: the first failure wins, latencies the longest. */
export function combineReports(perCabin: ProviderReport[][]): ProviderReport[] {
  const byProvider = new Map<string, ProviderReport>();
  for (const reports of perCabin) {
    for (const report of reports) {
      const seen = byProvider.get(report.provider);
      if (!seen) {
        byProvider.set(report.provider, { ...report });
        continue;
      }
      seen.offerCount += report.offerCount;
      seen.latencyMs = Math.max(seen.latencyMs, report.latencyMs);
      if (seen.status === "ok" && report.status !== "ok") {
        seen.status = report.status;
        seen.error = report.error;
      }
    }
  }
  return [...byProvider.values()];
}

/**
 * A flight search: validates what needs the reference data, then for each cabin serves the
 * cached result or fans out to every provider (one shared fan-out for concurrent identical
 * searches), merges, records the prices as snapshots, and caches; then filters, ranks and
 * pages the offers. Throws ValidationError for bad input; a failing provider, cache or
 * snapshot write only degrades the answer.
 */
export async function searchFlights(input: SearchInput, deps: SearchDeps, options: SearchOptions = {}): Promise<SearchResult> {
  metrics.searches++;
  const market = await getMarket(deps.db);
  const origin = resolvePlace(market, input.originCode, "originCode");
  const destination = resolvePlace(market, input.destinationCode, "destinationCode");
  const origins = airportsOf(origin);
  const destinations = airportsOf(destination);
  if (origins.some((code) => destinations.includes(code))) {
    throw ValidationError.of("destinationCode", `${destination.code} and ${origin.code} are the same place`);
  }
  const zone = origin.timeZone ?? market.airports.get(origins[0]!)?.timeZone ?? "UTC";
  const today = localDate(clock(deps), zone);
  if (input.departureDate < today) {
    throw ValidationError.of("departureDate", `must not be in the past (it is ${today} in ${origin.city ?? origin.name})`);
  }
  const currency = input.currency ?? countryCurrency(origin.countryCode);

  const cabins = await Promise.all(
    input.cabins.map((cabin) => {
      const canonical: CanonicalQuery = {
        origin: origin.code,
        destination: destination.code,
        departureDate: input.departureDate,
        returnDate: input.returnDate ?? null,
        cabin,
        adults: input.adults,
        children: input.children,
        infants: input.infants,
        currency,
      };
      const { origin: originCode, destination: destinationCode, ...trip } = canonical;
      const query: ProviderQuery = { ...trip, originCode, destinationCode, origins, destinations };
      return searchCabin(deps, query, canonical, options.onProvider);
    }),
  );

  const all = cabins.flatMap(({ entry }) => entry.offers);
  const { maxPrice, ...otherFilters } = input.filters;
  const filtered = applyFilters(all, { ...otherFilters, maxPriceMinor: maxPrice === undefined ? undefined : toMinor(maxPrice, currency) });
  const ranked = rankOffers(filtered, input.sort);
  const fingerprint = resultFingerprint([origin.code, destination.code, input.departureDate, input.returnDate, input.cabins, input.adults, input.children, input.infants, currency, input.sort, input.filters]);
  let page;
  try {
    page = options.allOffers ? { items: ranked, total: ranked.length, nextCursor: null } : paginate(ranked, { limit: input.limit, cursor: input.cursor, fingerprint });
  } catch (error) {
    if (error instanceof InvalidCursorError) throw ValidationError.of("cursor", error.message);
    throw error;
  }

  return {
    origin,
    destination,
    departureDate: input.departureDate,
    returnDate: input.returnDate ?? null,
    cabins: input.cabins,
    passengers: { adults: input.adults, children: input.children, infants: input.infants },
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
    insight: insightFor(cabins[0]!.entry.stats ?? null, all, input.cabins[0]!),
  };
}

function insightFor(history: StatsResult | null, offers: Offer[], cabin: Cabin): SearchResult["insight"] {
  if (!history) return null;
  const prices = offers.filter((o) => o.cabin === cabin).map((o) => o.pricePerAdult.amountMinor);
  if (prices.length === 0) return null;
  const { stats, ...totals } = history;
  return { ...priceInsight(Math.min(...prices), stats, totals), cabin };
}
