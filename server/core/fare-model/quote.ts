import { convert, toMajor, toMinor, type Money } from "@/server/core/money";
import { itineraryKey } from "@/server/core/itinerary-key";
import { sliceFromSegments, type Cabin, type Offer, type Segment, type Slice, type TripRequest } from "@/server/core/offer";
import { localDate, toLocalIso } from "@/server/core/time";
import { distanceKm } from "./geo";
import { between, hash32, unit } from "./hash";
// The simulated market's world is the app's reference data.
import type { Reference as Market, ReferenceAirport as MarketAirport } from "@/server/core/reference";
import { routeOptions, schedule, type Itinerary, type RouteOption } from "./inventory";
import { CHILD_SHARE, INFANT_SHARE, cabinOffered, roundTripFactor, sliceFareEur } from "./pricing";

/** A seller in the simulated market. */
export interface SimulatedSource {
  id: string;
  name: string;
  /** Booking site of the seller: an example.com name, never a real one. */
  domain: string;
  /** Share of the market's itineraries this seller offers (0 .. 1). */
  coverage: number;
  /** Range of the seller's margin over the market fare, redrawn per itinerary every 6 hours. */
  margin: [number, number];
}

export interface QuoteRequest extends TripRequest {
  /** Airports (a metro code already expanded to its airports). */
  origins: string[];
  destinations: string[];
}

/** Offers are quoted until 2 hours before departure and stay valid for 30 minutes. */
const LAST_SALE_MS = 2 * 3_600_000;
const OFFER_VALIDITY_MS = 30 * 60_000;
const MAX_RETURN_PAIRINGS = 3;
const MAX_OFFERS = 150;

const AIRCRAFT_SHORT = ["A320", "A320neo", "B737-800", "B737 MAX 8", "A220-300"];
const AIRCRAFT_MEDIUM = ["A321neo", "B757-200", "A321LR", "B737 MAX 9"];
const AIRCRAFT_LONG = ["B787-9", "A350-900", "B777-300ER", "A330-300", "B787-10", "A350-1000"];

function aircraftFor(km: number, flightNumber: string): string {
  const list = km < 1_500 ? AIRCRAFT_SHORT : km < 4_500 ? AIRCRAFT_MEDIUM : AIRCRAFT_LONG;
  return list[hash32("aircraft", flightNumber) % list.length]!;
}

const routeCache = new WeakMap<Market, Map<string, RouteOption[]>>();
function cachedRouteOptions(market: Market, from: MarketAirport, to: MarketAirport): RouteOption[] {
  let cache = routeCache.get(market);
  if (!cache) routeCache.set(market, (cache = new Map()));
  const key = `${from.code}-${to.code}`;
  let options = cache.get(key);
  if (!options) cache.set(key, (options = routeOptions(market, from, to)));
  return options;
}

function toSlice(market: Market, itinerary: Itinerary): Slice {
  const segments: Segment[] = itinerary.flights.map((flight) => {
    const from = market.airports.get(flight.origin)!;
    const to = market.airports.get(flight.destination)!;
    return {
      carrier: flight.carrier,
      operatingCarrier: null,
      flightNumber: flight.flightNumber,
      origin: flight.origin,
      destination: flight.destination,
      departureAt: flight.departureAt.toISOString(),
      arrivalAt: flight.arrivalAt.toISOString(),
      departureLocal: toLocalIso(flight.departureAt, from.timeZone),
      arrivalLocal: toLocalIso(flight.arrivalAt, to.timeZone),
      durationMinutes: flight.minutes,
      technicalStops: 0,
      aircraft: aircraftFor(distanceKm(from, to), flight.flightNumber),
    };
  });
  return sliceFromSegments(segments);
}

function itinerariesFor(market: Market, origins: string[], destinations: string[], date: string, cabin: Cabin): Itinerary[] {
  const found: Itinerary[] = [];
  for (const o of origins) {
    for (const d of destinations) {
      const from = market.airports.get(o);
      const to = market.airports.get(d);
      if (!from || !to || o === d) continue;
      const km = distanceKm(from, to);
      for (const option of cachedRouteOptions(market, from, to)) {
        if (!cabinOffered(option.carrier, cabin, km)) continue;
        found.push(...schedule(market, option, date));
      }
    }
  }
  return found;
}

function slicePriceEur(market: Market, slice: Slice, cabin: Cabin, observedAt: Date, key: string): number {
  const from = market.airports.get(slice.origin)!;
  const to = market.airports.get(slice.destination)!;
  return sliceFareEur(
    {
      carrier: slice.segments[0]!.carrier,
      origin: slice.origin,
      destination: slice.destination,
      flightNumbers: slice.segments.map((s) => s.flightNumber),
      tripKm: distanceKm(from, to),
      stops: slice.stops,
      domestic: from.countryCode === to.countryCode,
      localDate: localDate(new Date(slice.departureAt), from.timeZone),
      localHour: Number(slice.departureLocal.slice(11, 13)),
      departureAt: new Date(slice.departureAt),
    },
    cabin,
    observedAt,
    key,
  );
}

/** Whole units for most currencies, hundreds where one unit is worth little (JPY, KRW, HUF). */
function roundFare(money: Money): Money {
  const major = toMajor(money);
  const step = major >= 20_000 ? 100 : 1;
  return { amountMinor: toMinor(Math.max(step, Math.round(major / step) * step), money.currency), currency: money.currency };
}

/**
 * What one simulated seller offers for a search observed at `observedAt`: deterministic in
 * its inputs. Every offer is marked simulated.
 */
export function quote(market: Market, request: QuoteRequest, source: SimulatedSource, observedAt: Date): Offer[] {
  const cutoff = observedAt.getTime() + LAST_SALE_MS;
  const bookable = (itinerary: Itinerary) => itinerary.flights[0]!.departureAt.getTime() > cutoff;
  const outbound = itinerariesFor(market, request.origins, request.destinations, request.departureDate, request.cabin).filter(bookable);
  const inbound = request.returnDate
    ? itinerariesFor(market, request.destinations, request.origins, request.returnDate, request.cabin).filter(bookable)
    : [];

  const trips: Itinerary[][] = [];
  for (const out of outbound) {
    if (!request.returnDate) {
      trips.push([out]);
      continue;
    }
    const start = out.flights[0]!.origin;
    const end = out.flights.at(-1)!.destination;
    const back = inbound
      .filter((ret) => ret.carrier === out.carrier && ret.flights[0]!.origin === end && ret.flights.at(-1)!.destination === start)
      .filter((ret) => ret.flights[0]!.departureAt.getTime() > out.flights.at(-1)!.arrivalAt.getTime() + 2 * 3_600_000)
      .sort((x, y) => hash32("pair", x.flights[0]!.flightNumber, out.flights[0]!.flightNumber) - hash32("pair", y.flights[0]!.flightNumber, out.flights[0]!.flightNumber))
      .slice(0, MAX_RETURN_PAIRINGS);
    for (const ret of back) trips.push([out, ret]);
  }

  const sixHours = Math.floor(observedAt.getTime() / (6 * 3_600_000));
  const offers: Offer[] = [];
  for (const trip of trips) {
    const slices = trip.map((itinerary) => toSlice(market, itinerary));
    const key = itineraryKey(slices);
    if (unit("coverage", source.id, key) >= source.coverage) continue;
    // Seats run out: more often close to departure.
    const daysAhead = (Date.parse(slices[0]!.departureAt) - observedAt.getTime()) / 86_400_000;
    if (unit("sold-out", key, request.cabin, request.departureDate) < (daysAhead < 4 ? 0.25 : 0.04)) continue;

    let fareEur = slices.reduce((sum, slice) => sum + slicePriceEur(market, slice, request.cabin, observedAt, key), 0);
    if (slices.length === 2) fareEur *= roundTripFactor(trip[0]!.carrier);
    fareEur *= between(source.margin[0], source.margin[1], "margin", source.id, key, sixHours);

    const perAdult = roundFare(convert({ amountMinor: toMinor(fareEur, "EUR"), currency: "EUR" }, request.currency));
    const child = roundFare({ amountMinor: Math.round(perAdult.amountMinor * CHILD_SHARE), currency: request.currency });
    const infant = roundFare({ amountMinor: Math.round(perAdult.amountMinor * INFANT_SHARE), currency: request.currency });
    const price: Money = {
      amountMinor: perAdult.amountMinor * request.adults + child.amountMinor * request.children + infant.amountMinor * request.infants,
      currency: request.currency,
    };
    const offerRef = `${source.id}-${key}-${sixHours.toString(36)}`;
    const params = new URLSearchParams({ offer: offerRef, cabin: request.cabin, adults: String(request.adults) });
    if (request.children) params.set("children", String(request.children));
    if (request.infants) params.set("infants", String(request.infants));
    const deepLink = `https://${source.domain}/book?${params}`;
    const expiresAt = new Date(observedAt.getTime() + OFFER_VALIDITY_MS).toISOString();
    offers.push({
      itineraryKey: key,
      cabin: request.cabin,
      slices,
      price,
      pricePerAdult: perAdult,
      provider: source.id,
      deepLink,
      offerRef,
      expiresAt,
      simulated: true,
      sources: [{ provider: source.id, price, pricePerAdult: perAdult, deepLink, offerRef, expiresAt, simulated: true }],
    });
  }
  // Metro-to-metro searches can multiply out; keep the cheapest as a real site would show.
  return offers.sort((a, b) => a.price.amountMinor - b.price.amountMinor).slice(0, MAX_OFFERS);
}
