import "server-only";
import type { SearchFormValues } from "@/components/search/search-params";
import { CABINS, type Cabin } from "@/server/core/offer";
import { placeOf } from "@/server/core/places";
import type { Reference } from "@/server/core/reference";
import { placeName } from "@/server/core/text";
import { addDays } from "@/server/core/time";

function nameOf(reference: Reference | null, code: string): string | null {
  const place = reference && /^[A-Z]{3}$/.test(code) ? placeOf(reference, code) : null;
  return place && placeName(place);
}

/** A place as a heading reads it: "London Heathrow Airport"; an unknown code as typed. */
export function placeHeading(reference: Reference | null, code: string): string {
  return nameOf(reference, code) ?? code;
}

/** A place as the form shows it: "Gatwick Airport, London (LGW)", "London (all airports) (LON)". */
export function placeLabel(reference: Reference | null, code: string): string {
  const name = nameOf(reference, code);
  return name ? `${name} (${code})` : code;
}

const count = (value: string | null, fallback: number) => (value && /^\d{1,2}$/.test(value) ? Number(value) : fallback);

/** The form's fields from a URL (a search, or nothing): kept as typed, even when wrong. */
export function formValuesFrom(params: URLSearchParams, reference: Reference | null): SearchFormValues {
  const origin = (params.get("originCode") ?? "").trim().toUpperCase();
  const destination = (params.get("destinationCode") ?? "").trim().toUpperCase();
  const cabin = params.get("cabins")?.split(",")[0] ?? "economy";
  const returnDate = params.get("returnDate") ?? "";
  return {
    originCode: origin,
    originLabel: placeLabel(reference, origin),
    destinationCode: destination,
    destinationLabel: placeLabel(reference, destination),
    roundTrip: Boolean(returnDate) || params.get("trip") === "return",
    departureDate: params.get("departureDate") ?? addDays(new Date().toISOString().slice(0, 10), 21),
    returnDate,
    adults: count(params.get("adults"), 1),
    children: count(params.get("children"), 0),
    infants: count(params.get("infants"), 0),
    cabin: (CABINS as readonly string[]).includes(cabin) ? (cabin as Cabin) : "economy",
  };
}
