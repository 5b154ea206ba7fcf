import { toMajor, type Money } from "@/server/core/money";
import { isoDuration } from "@/server/core/time";
import type { Offer, Slice } from "@/server/core/offer";
import type { Names, Place } from "@/server/core/places";
import type { SearchResult } from "@/server/services/search/search-flights";
import type { FlightDto, SearchResponse } from "./schemas";

const price = (money: Money) => ({ amount: toMajor(money), currency: money.currency });

function sliceDto(slice: Slice, names: Names) {
  const ref = (code: string) => ({ code, name: names.airport(code) });
  return {
    origin: ref(slice.origin),
    destination: ref(slice.destination),
    departureTime: slice.departureLocal,
    arrivalTime: slice.arrivalLocal,
    duration: isoDuration(slice.durationMinutes),
    durationMinutes: slice.durationMinutes,
    stops: slice.stops,
    layovers: slice.segments.slice(1).map((segment, i) => {
      const minutes = Math.round((Date.parse(segment.departureAt) - Date.parse(slice.segments[i]!.arrivalAt)) / 60_000);
      return { airport: ref(segment.origin), duration: isoDuration(minutes), durationMinutes: minutes };
    }),
    segments: slice.segments.map((s) => ({
      airlineCode: s.carrier,
      airlineName: names.airline(s.carrier),
      flightNumber: s.flightNumber,
      operatingAirlineCode: s.operatingCarrier,
      origin: ref(s.origin),
      destination: ref(s.destination),
      departureTime: s.departureLocal,
      arrivalTime: s.arrivalLocal,
      duration: isoDuration(s.durationMinutes),
      durationMinutes: s.durationMinutes,
      aircraft: s.aircraft,
    })),
  };
}

export function flightDto(offer: Offer, names: Names): FlightDto {
  const slices = offer.slices.map((slice) => sliceDto(slice, names));
  const outbound = slices[0]!;
  const first = outbound.segments[0]!;
  return {
    id: `${offer.itineraryKey}.${offer.cabin}`,
    airlineCode: first.airlineCode,
    airlineName: first.airlineName,
    flightNumber: first.flightNumber,
    origin: outbound.origin,
    destination: outbound.destination,
    departureTime: outbound.departureTime,
    arrivalTime: outbound.arrivalTime,
    duration: outbound.duration,
    durationMinutes: outbound.durationMinutes,
    stops: outbound.stops,
    price: price(offer.price),
    cabin: offer.cabin,
    ...(offer.deepLink ? { deepLink: offer.deepLink } : {}),
    pricePerAdult: price(offer.pricePerAdult),
    provider: offer.provider,
    simulated: offer.simulated,
    expiresAt: offer.expiresAt,
    slices,
    sources: offer.sources.map((s) => ({ provider: s.provider, price: price(s.price), deepLink: s.deepLink, expiresAt: s.expiresAt, simulated: s.simulated })),
  };
}

const placeDto = (p: Place) => ({ code: p.code, name: p.name, kind: p.kind, airports: p.airports });

export function searchResponseDto(result: SearchResult, names: Names): SearchResponse {
  return {
    flights: result.offers.map((offer) => flightDto(offer, names)),
    lastUpdated: result.lastUpdated,
    totalResults: result.totalResults,
    currency: result.currency,
    nextCursor: result.nextCursor,
    cache: result.cache,
    simulated: result.simulated,
    providers: providerDtos(result.providers),
    insight: insightDto(result.insight),
    search: {
      origin: placeDto(result.origin),
      destination: placeDto(result.destination),
      departureDate: result.departureDate,
      returnDate: result.returnDate,
      cabins: result.cabins,
      adults: result.passengers.adults,
      children: result.passengers.children,
      infants: result.passengers.infants,
      sort: result.sort,
    },
  };
}

/** Each provider's answer as the API shows it (no internal attempt counts). */
export function providerDtos(providers: SearchResult["providers"]): SearchResponse["providers"] {
  return providers.map(({ provider, name, status, latencyMs, offerCount, error, simulated }) => ({ provider, name, status, latencyMs, offerCount, error, simulated }));
}

export function insightDto(insight: SearchResult["insight"]): SearchResponse["insight"] {
  if (!insight) return null;
  const major = (amountMinor: number) => toMajor({ amountMinor, currency: insight.currency });
  const ok = insight.status === "ok" ? insight : null;
  return {
    status: insight.status,
    level: ok?.level ?? null,
    cabin: insight.cabin,
    currency: insight.currency,
    cheapestPerAdult: ok ? major(ok.priceMinor) : null,
    typicalLow: ok ? major(ok.p25Minor) : null,
    typicalHigh: ok ? major(ok.p75Minor) : null,
    median: ok ? major(ok.medianMinor) : null,
    observations: insight.samples,
    days: insight.days,
    lookbackDays: insight.lookbackDays,
  };
}
