import { convert } from "@/server/core/money";
import { carriersOf, totalDuration, totalStops, type Offer, type OfferSource } from "@/server/core/offer";

export const SORTS = ["best", "cheapest", "fastest"] as const;
export type Sort = (typeof SORTS)[number];

/** Prices in one currency: providers that quote in another are converted at the reference rates. */
export function offersInCurrency(offers: Offer[], currency: string): Offer[] {
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

/**
 * Merges offers from every provider: the same itinerary in the same cabin is one offer at the
 * cheapest price, keeping every provider's price as a source. All offers must already be in
 * one currency.
 */
export function mergeOffers(offers: Offer[]): Offer[] {
  const byKey = new Map<string, { best: Offer; sources: OfferSource[] }>();
  for (const offer of offers) {
    const key = `${offer.itineraryKey}|${offer.cabin}`;
    const entry = byKey.get(key);
    if (!entry) {
      byKey.set(key, { best: offer, sources: [...offer.sources] });
      continue;
    }
    if (offer.price.currency !== entry.best.price.currency) {
      throw new Error(`mergeOffers needs one currency, got ${offer.price.currency} and ${entry.best.price.currency}`);
    }
    for (const source of offer.sources) {
      const same = entry.sources.findIndex((s) => s.provider === source.provider);
      if (same === -1) entry.sources.push(source);
      else if (source.price.amountMinor < entry.sources[same]!.price.amountMinor) entry.sources[same] = source;
    }
    if (offer.price.amountMinor < entry.best.price.amountMinor) entry.best = offer;
  }
  return [...byKey.values()].map(({ best, sources }) => {
    const ordered = sources.toSorted((a, b) => a.price.amountMinor - b.price.amountMinor || a.provider.localeCompare(b.provider));
    const winner = ordered[0]!;
    return {
      ...best,
      price: winner.price,
      pricePerAdult: winner.pricePerAdult,
      provider: winner.provider,
      deepLink: winner.deepLink,
      offerRef: winner.offerRef,
      expiresAt: winner.expiresAt,
      simulated: winner.simulated,
      sources: ordered,
    };
  });
}

/**
 * "best" weighs price, time and stops the way most travellers trade them: the lowest
 *   price ÷ cheapest price + 0.75 × (duration ÷ shortest duration − 1) + 0.1 × stops
 * comes first. A nonstop at 12% more beats a one-stop that takes half as long again.
 */
export function bestScore(offer: Offer, cheapest: number, shortest: number): number {
  return offer.price.amountMinor / cheapest + 0.75 * (totalDuration(offer) / shortest - 1) + 0.1 * totalStops(offer);
}

export function rankOffers(offers: Offer[], sort: Sort): Offer[] {
  if (offers.length === 0) return [];
  const byPrice = (a: Offer, b: Offer) => a.price.amountMinor - b.price.amountMinor;
  const byDuration = (a: Offer, b: Offer) => totalDuration(a) - totalDuration(b);
  // Ties end on departure time and key so that the order, and so pagination, is stable.
  const stable = (a: Offer, b: Offer) =>
    a.slices[0]!.departureAt.localeCompare(b.slices[0]!.departureAt) || a.itineraryKey.localeCompare(b.itineraryKey) || a.cabin.localeCompare(b.cabin);
  if (sort === "cheapest") return offers.toSorted((a, b) => byPrice(a, b) || byDuration(a, b) || stable(a, b));
  if (sort === "fastest") return offers.toSorted((a, b) => byDuration(a, b) || byPrice(a, b) || stable(a, b));
  const cheapest = Math.max(1, Math.min(...offers.map((o) => o.price.amountMinor)));
  const shortest = Math.max(1, Math.min(...offers.map(totalDuration)));
  const scores = new Map(offers.map((o) => [o, bestScore(o, cheapest, shortest)]));
  return offers.toSorted((a, b) => scores.get(a)! - scores.get(b)! || byPrice(a, b) || stable(a, b));
}

export interface OfferFilters {
  /** Every slice has at most this many stops. */
  maxStops?: number;
  /** Every flight is by one of these airlines (marketing carrier). */
  airlines?: string[];
  /** No flight is by one of these airlines. */
  excludeAirlines?: string[];
  /** Outbound departure, local time at the origin, "HH:MM" inclusive. */
  departAfter?: string;
  departBefore?: string;
  /** Outbound arrival, local time at the destination, "HH:MM" inclusive. */
  arriveAfter?: string;
  arriveBefore?: string;
  /** Every slice takes at most this long. */
  maxDurationMinutes?: number;
  /** Whole-party price, minor units of the result currency. */
  maxPriceMinor?: number;
}

/** "2026-12-20T10:30:00+00:00" -> "10:30" */
function clock(localIso: string): string {
  return localIso.slice(11, 16);
}

export function applyFilters(offers: Offer[], filters: OfferFilters): Offer[] {
  const include = filters.airlines?.length ? new Set(filters.airlines) : null;
  const exclude = filters.excludeAirlines?.length ? new Set(filters.excludeAirlines) : null;
  return offers.filter((offer) => {
    const outbound = offer.slices[0]!;
    if (filters.maxStops !== undefined && offer.slices.some((s) => s.stops > filters.maxStops!)) return false;
    if (filters.maxDurationMinutes !== undefined && offer.slices.some((s) => s.durationMinutes > filters.maxDurationMinutes!)) return false;
    if (filters.maxPriceMinor !== undefined && offer.price.amountMinor > filters.maxPriceMinor) return false;
    const carriers = carriersOf(offer);
    if (include && !carriers.every((c) => include.has(c))) return false;
    if (exclude && carriers.some((c) => exclude.has(c))) return false;
    const departs = clock(outbound.departureLocal);
    const arrives = clock(outbound.arrivalLocal);
    if (filters.departAfter && departs < filters.departAfter) return false;
    if (filters.departBefore && departs > filters.departBefore) return false;
    if (filters.arriveAfter && arrives < filters.arriveAfter) return false;
    if (filters.arriveBefore && arrives > filters.arriveBefore) return false;
    return true;
  });
}
