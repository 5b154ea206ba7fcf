import { ValidationError } from "@/server/core/errors";
import type { Offer } from "@/server/core/offer";
import type { Reference } from "@/server/core/reference";
import { placeName } from "@/server/core/text";

/** An airport or a metro code, as the autocomplete suggests it and a search resolves it. */
export interface Place {
  kind: "airport" | "metro";
  code: string;
  /** The airport's name, or the city's for a metro code. */
  name: string;
  city: string | null;
  countryCode: string;
  countryName: string;
  /** IANA zone of an airport; null for a metro code. */
  timeZone: string | null;
  /** For a metro code, the airports it stands for, largest first; empty for an airport. */
  airports: string[];
}

/** An airport or metro code from the reference data held in memory: no database round trip. */
export function placeOf(reference: Reference, code: string): Place | null {
  const airport = reference.airports.get(code);
  if (airport) {
    return {
      kind: "airport",
      code,
      name: airport.name,
      city: airport.city,
      countryCode: airport.countryCode,
      countryName: airport.countryName,
      timeZone: airport.timeZone,
      airports: [],
    };
  }
  const metro = reference.metros.get(code);
  if (!metro) return null;
  return { kind: "metro", code, name: metro.name, city: metro.name, countryCode: metro.countryCode, countryName: metro.countryName, timeZone: null, airports: metro.airports };
}

/** A known place, or a ValidationError naming the field. */
export function knownPlace(reference: Reference, code: string, field: string): Place {
  const place = placeOf(reference, code);
  if (!place) throw ValidationError.of(field, `${code} is not a known airport or city code`);
  return place;
}

/** The airports a place stands for: itself, or every airport of a metro code. */
export function airportsOf(place: Place): string[] {
  return place.kind === "metro" ? place.airports : [place.code];
}

/** The IANA zone of a place: its own, or its largest airport's for a metro code. */
export function timeZoneOf(reference: Reference, place: Place): string {
  return place.timeZone ?? reference.airports.get(airportsOf(place)[0]!)?.timeZone ?? "UTC";
}

/** Names for codes, from the reference data in memory. */
export interface Names {
  airline(code: string): string;
  airport(code: string): string;
}

export function namesFrom(reference: Reference): Names {
  return {
    airline: (code) => reference.airlines.get(code)?.name ?? code,
    airport: (code) => reference.airports.get(code)?.name ?? code,
  };
}

/** Names of the airlines and airports the offers mention, for a page to show. */
export function offerNames(reference: Reference, offers: Offer[]): { airlines: Record<string, string>; airports: Record<string, string> } {
  const airlines: Record<string, string> = {};
  const airports: Record<string, string> = {};
  for (const offer of offers) {
    for (const slice of offer.slices) {
      for (const segment of slice.segments) {
        airlines[segment.carrier] ??= reference.airlines.get(segment.carrier)?.name ?? segment.carrier;
        for (const code of [segment.origin, segment.destination]) {
          const airport = reference.airports.get(code);
          airports[code] ??= airport ? placeName(airport) : code;
        }
      }
    }
  }
  return { airlines, airports };
}
