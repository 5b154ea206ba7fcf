import type { CanonicalQuery } from "@/server/core/canonical-query";
import type { SnapshotOffer } from "@/server/core/observation";
import type { ProviderQuery } from "@/server/providers/types";

let sequence = 0;

/** A query no other test of the file uses (its own departure date): each test makes its own data. */
export function uniqueQuery(overrides: Partial<CanonicalQuery> = {}): CanonicalQuery {
  const day = 20 + (sequence++ % 330);
  const departure = new Date(Date.UTC(2027, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
  return {
    origin: "LHR",
    destination: "JFK",
    departureDate: departure,
    returnDate: null,
    cabin: "economy",
    adults: 1,
    children: 0,
    infants: 0,
    currency: "GBP",
    ...overrides,
  };
}

/** `count` offers for the query with prices `price(i)` (minor units). */
export function makeOffers(query: CanonicalQuery, count: number, price: (i: number) => number, provider = "test-a"): SnapshotOffer[] {
  const departure = new Date(`${query.departureDate}T09:00:00Z`);
  return Array.from({ length: count }, (_, i) => {
    const departureAt = new Date(departure.getTime() + i * 15 * 60_000);
    const durationMinutes = 460 + (i % 5) * 30;
    return {
      provider,
      itineraryKey: `BA${100 + i}-${departureAt.toISOString()}`,
      origin: query.origin,
      destination: query.destination,
      carriers: ["BA"],
      flightNumbers: [`BA${100 + i}`],
      stops: i % 3 === 0 ? 0 : 1,
      departureAt,
      arrivalAt: new Date(departureAt.getTime() + durationMinutes * 60_000),
      durationMinutes,
      priceMinor: price(i) * (query.adults + query.children),
      pricePerAdultMinor: price(i),
      currency: query.currency,
      simulated: false,
      deepLink: `https://example.test/book/${i}`,
    };
  });
}

/** LHR to JFK, one adult, economy, in GBP, as a provider receives it. */
export function providerQuery(overrides: Partial<ProviderQuery> = {}): ProviderQuery {
  return {
    originCode: "LHR",
    destinationCode: "JFK",
    origins: ["LHR"],
    destinations: ["JFK"],
    departureDate: "2027-01-15",
    returnDate: null,
    cabin: "economy",
    adults: 1,
    children: 0,
    infants: 0,
    currency: "GBP",
    ...overrides,
  };
}
