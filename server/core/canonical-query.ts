import crypto from "node:crypto";
import type { TripRequest } from "@/server/core/offer";

/**
 * A search reduced to what identifies it: one cabin, the party and the currency, and the codes
 * as searched (an airport or a metro code). The `flight_query` unique key, the cache key and
 * the unit of a provider fan-out, of a price observation and (later) of scheduled ingestion.
 */
export interface CanonicalQuery extends TripRequest {
  origin: string;
  destination: string;
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
