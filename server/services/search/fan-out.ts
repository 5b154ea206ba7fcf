import { mergeOffers, offersInCurrency } from "@/server/core/aggregate";
import type { CanonicalQuery } from "@/server/core/canonical-query";
import type { InsightHistory } from "@/server/core/insight";
import { toSnapshots } from "@/server/core/observation";
import type { Offer } from "@/server/core/offer";
import type { ProviderReport } from "@/server/core/provider-report";
import type { AppContext } from "@/server/context";
import { log } from "@/server/log";
import type { ProviderQuery, ProviderResult } from "@/server/providers/types";
import { priceStats } from "@/server/services/routes/price-stats";

/** What a search needs from the app context. */
export type SearchContext = Pick<AppContext, "db" | "reference" | "cache" | "providers" | "observations" | "clock" | "config" | "providerPauses">;

/** What the cache holds for one canonical query: one fan-out's answer. */
export interface CachedSearch {
  observedAt: string;
  offers: Offer[];
  providers: ProviderReport[];
  /**
   * The route's price statistics for this cabin and date, read beside the fan-out and cached
   * with it, so that a cache hit reads no history. Absent from entries cached before it existed.
   */
  stats?: InsightHistory | null;
}

/**
 * Asks every provider at once within the search's budget (a provider an admin paused is not
 * asked: it reports "paused"). Each answer is converted to the
 * query's currency as it arrives and reported through `onAnswer`; then the offers are merged.
 * The route's price statistics are read beside the providers, not after them; failing to read
 * them only loses the insight. Writes nothing: see fanOut, and the ingestion worker, which
 * records the answer with its run.
 */
export async function askProviders(
  ctx: SearchContext,
  canonical: CanonicalQuery,
  airports: { origins: string[]; destinations: string[] },
  onAnswer: (result: ProviderResult) => void,
): Promise<CachedSearch> {
  const observedAt = ctx.clock();
  const deadline = observedAt.getTime() + ctx.config.search.timeoutMs;
  const { origin: originCode, destination: destinationCode, ...trip } = canonical;
  const query: ProviderQuery = { ...trip, originCode, destinationCode, ...airports };
  const stats = priceStats(ctx.db, { ...airports, currency: query.currency, cabin: query.cabin, departureDate: query.departureDate, roundTrip: query.returnDate !== null, now: observedAt }).catch(
    (error: unknown) => {
      log.warn("price insight unavailable", { err: error });
      return null;
    },
  );
  // Nothing abandons a fan-out as a whole: each call ends by its own deadline within the search's.
  const signal = new AbortController().signal;
  const paused = await ctx.providerPauses.current();
  const results = await Promise.all(
    ctx.providers.map(async (provider) => {
      const answer = paused[provider.id] ? provider.paused() : await provider.search(query, { signal, deadline, now: observedAt });
      const result = { ...answer, offers: offersInCurrency(answer.offers, query.currency) };
      onAnswer(result);
      return result;
    }),
  );
  const offers = mergeOffers(results.flatMap((r) => r.offers));
  const providers = results.map(({ offers: _offers, ...report }) => report);
  return { observedAt: observedAt.toISOString(), offers, providers, stats: await stats };
}

/**
 * A live search's fan-out: the providers' answer (askProviders), and the observation (the prices
 * and how each provider did) handed to the write path. With write-behind (the app's default)
 * the answer does not wait for the write.
 */
export async function fanOut(
  ctx: SearchContext,
  canonical: CanonicalQuery,
  airports: { origins: string[]; destinations: string[] },
  onAnswer: (result: ProviderResult) => void,
): Promise<CachedSearch> {
  const answer = await askProviders(ctx, canonical, airports, onAnswer);
  const written = ctx.observations.record(
    { query: canonical, observedAt: new Date(answer.observedAt), snapshots: toSnapshots(answer.offers), providers: answer.providers },
    { immediate: !ctx.config.search.writeBehind },
  );
  if (!ctx.config.search.writeBehind) await written;
  return answer;
}
