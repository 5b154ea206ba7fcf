import { itineraryKey } from "@/server/core/itinerary-key";
import { sliceFromSegments, type Cabin, type Offer, type Segment } from "@/server/core/offer";

export interface OfferSpec {
  provider?: string;
  price?: number;
  currency?: string;
  cabin?: Cabin;
  /** UTC departure of the first flight, "2027-01-15T09:00:00Z". */
  departure?: string;
  /** Minutes per flight. */
  flightMinutes?: number;
  /** Flights of the slice, by carrier: ["BA"] nonstop, ["BA", "AA"] one stop. */
  carriers?: string[];
  layoverMinutes?: number;
  /** Flight number suffix, to tell otherwise equal itineraries apart. */
  number?: number;
  adults?: number;
}

/** An offer with one slice, in UTC (local times equal UTC), for aggregation tests. */
export function makeOffer(spec: OfferSpec = {}): Offer {
  const carriers = spec.carriers ?? ["BA"];
  const flightMinutes = spec.flightMinutes ?? 420;
  const layover = spec.layoverMinutes ?? 90;
  let at = Date.parse(spec.departure ?? "2027-01-15T09:00:00Z");
  const airports = ["LHR", ...carriers.slice(1).map((_, i) => ["DUB", "KEF", "BOS"][i]!), "JFK"];
  const segments: Segment[] = carriers.map((carrier, i) => {
    const departureAt = new Date(at).toISOString();
    const arrivalAt = new Date(at + flightMinutes * 60_000).toISOString();
    at += (flightMinutes + layover) * 60_000;
    const local = (iso: string) => iso.replace(".000Z", "+00:00");
    return {
      carrier,
      operatingCarrier: null,
      flightNumber: `${carrier} ${100 + (spec.number ?? 0) * 10 + i}`,
      origin: airports[i]!,
      destination: airports[i + 1]!,
      departureAt,
      arrivalAt,
      departureLocal: local(departureAt),
      arrivalLocal: local(arrivalAt),
      durationMinutes: flightMinutes,
      technicalStops: 0,
      aircraft: null,
    };
  });
  const slices = [sliceFromSegments(segments)];
  const currency = spec.currency ?? "GBP";
  const price = { amountMinor: spec.price ?? 40_000, currency };
  const pricePerAdult = { amountMinor: Math.round(price.amountMinor / (spec.adults ?? 1)), currency };
  const provider = spec.provider ?? "test-a";
  const source = { provider, price, pricePerAdult, deepLink: `https://${provider}.test/x`, offerRef: null, expiresAt: null, simulated: true };
  return {
    itineraryKey: itineraryKey(slices),
    cabin: spec.cabin ?? "economy",
    slices,
    price,
    pricePerAdult,
    provider,
    deepLink: source.deepLink,
    offerRef: null,
    expiresAt: null,
    simulated: true,
    sources: [source],
  };
}
