import type { Money } from "@/server/core/money";

export const CABINS = ["economy", "premium_economy", "business", "first"] as const;
export type Cabin = (typeof CABINS)[number];

/** What a search asks for besides where: dates, cabin, party and currency. */
export interface TripRequest {
  departureDate: string;
  returnDate: string | null;
  cabin: Cabin;
  adults: number;
  children: number;
  infants: number;
  currency: string;
}

/** One flight: a takeoff and a landing (with, rarely, a technical stop on the way). */
export interface Segment {
  /** Marketing carrier, IATA code. */
  carrier: string;
  operatingCarrier: string | null;
  /** Carrier code and number, "BA117". */
  flightNumber: string;
  origin: string;
  destination: string;
  /** UTC instants, ISO 8601. */
  departureAt: string;
  arrivalAt: string;
  /** Local wall time at each airport with its offset, "2026-12-20T10:30:00+00:00". */
  departureLocal: string;
  arrivalLocal: string;
  durationMinutes: number;
  /** Stops without a change of plane. */
  technicalStops: number;
  aircraft: string | null;
}

/** One direction of a trip: the outbound, or the return. */
export interface Slice {
  origin: string;
  destination: string;
  departureAt: string;
  arrivalAt: string;
  departureLocal: string;
  arrivalLocal: string;
  /** From first takeoff to last landing, connections included. */
  durationMinutes: number;
  /** Changes of plane plus technical stops. */
  stops: number;
  segments: Segment[];
}

/** One provider's price for an itinerary. */
export interface OfferSource {
  provider: string;
  price: Money;
  pricePerAdult: Money;
  deepLink: string | null;
  offerRef: string | null;
  expiresAt: string | null;
  simulated: boolean;
}

/**
 * One bookable itinerary in one cabin, as shown to a traveller: the cheapest provider's price
 * and booking link, and every provider that offered it (`sources`, cheapest first).
 */
export interface Offer {
  itineraryKey: string;
  cabin: Cabin;
  slices: Slice[];
  /** For the whole party. */
  price: Money;
  pricePerAdult: Money;
  provider: string;
  deepLink: string | null;
  offerRef: string | null;
  expiresAt: string | null;
  /** True when the winning price comes from the simulated market. */
  simulated: boolean;
  sources: OfferSource[];
}

/** Builds a slice's summary fields from its segments. */
export function sliceFromSegments(segments: Segment[]): Slice {
  const first = segments[0]!;
  const last = segments.at(-1)!;
  return {
    origin: first.origin,
    destination: last.destination,
    departureAt: first.departureAt,
    arrivalAt: last.arrivalAt,
    departureLocal: first.departureLocal,
    arrivalLocal: last.arrivalLocal,
    durationMinutes: Math.round((Date.parse(last.arrivalAt) - Date.parse(first.departureAt)) / 60_000),
    stops: segments.length - 1 + segments.reduce((n, s) => n + s.technicalStops, 0),
    segments,
  };
}

export function totalDuration(offer: Pick<Offer, "slices">): number {
  return offer.slices.reduce((sum, slice) => sum + slice.durationMinutes, 0);
}

export function totalStops(offer: Pick<Offer, "slices">): number {
  return offer.slices.reduce((sum, slice) => sum + slice.stops, 0);
}

export function carriersOf(offer: Pick<Offer, "slices">): string[] {
  return [...new Set(offer.slices.flatMap((slice) => slice.segments.map((s) => s.carrier)))];
}
