import type { CanonicalQuery } from "@/server/core/canonical-query";
import { carriersOf, totalDuration, totalStops, type Offer } from "@/server/core/offer";
import type { ProviderReport } from "@/server/core/provider-report";

/** One provider's price for one itinerary, as it is kept in the price history. */
export interface SnapshotOffer {
  provider: string;
  itineraryKey: string;
  origin: string;
  destination: string;
  carriers: string[];
  flightNumbers: string[];
  stops: number;
  departureAt: Date;
  arrivalAt: Date;
  returnDepartureAt?: Date | null;
  returnArrivalAt?: Date | null;
  durationMinutes: number;
  priceMinor: number;
  pricePerAdultMinor: number;
  currency: string;
  /** The price comes from the simulated market (or a provider's test mode), not a real seller. */
  simulated: boolean;
  deepLink?: string | null;
  offerRef?: string | null;
  offerExpiresAt?: Date | null;
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
      simulated: source.simulated,
      deepLink: source.deepLink,
      offerRef: source.offerRef,
      offerExpiresAt: source.expiresAt ? new Date(source.expiresAt) : null,
    }));
  });
}

/** What a fan-out hands to the write path: the prices seen for one query at one time. */
export interface ObservationInput {
  query: CanonicalQuery;
  observedAt: Date;
  snapshots: SnapshotOffer[];
  /** How each provider did; recorded even when it found nothing, since failures matter most. */
  providers: ProviderReport[];
  /** Scheduled ingestion: the ingestion_run this observation completes, in the same transaction. */
  run?: IngestionRunRef;
}

/** The run of an ingestion job that made an observation. */
export interface IngestionRunRef {
  id: number;
  startedAt: Date;
  /** The job's last attempt: failing, it is dead-lettered (the queue will not retry it). */
  lastAttempt?: boolean;
}

/** The cheapest price of an observation, in the query's currency and cabin. */
export interface ObservedLow {
  priceMinor: number;
  pricePerAdultMinor: number;
  itineraryKey: string;
  provider: string;
}

/**
 * "New prices were observed for this query", published once they are written. Subscribers
 * (tracked-route state, alert evaluation, statistics) hear it through the observation registry.
 */
export interface Observation {
  /** flight_query.id */
  queryId: number;
  query: CanonicalQuery;
  observedAt: Date;
  /** The lowest price seen, or null when no provider found anything. */
  lowest: ObservedLow | null;
  /** Snapshots in the observation, and how many were new rows (0 when the same one is written twice). */
  offerCount: number;
  written: number;
  providers: ProviderReport[];
  run?: IngestionRunRef;
}

/** An observation as the subscribers inside its write see it: with every offer it holds. */
export interface WrittenObservation extends Observation {
  snapshots: SnapshotOffer[];
}

export function lowestOf(snapshots: SnapshotOffer[]): ObservedLow | null {
  let best: SnapshotOffer | null = null;
  for (const s of snapshots) if (!best || s.pricePerAdultMinor < best.pricePerAdultMinor) best = s;
  return best && { priceMinor: best.priceMinor, pricePerAdultMinor: best.pricePerAdultMinor, itineraryKey: best.itineraryKey, provider: best.provider };
}
