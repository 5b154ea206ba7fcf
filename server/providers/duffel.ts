import { Duffel, DuffelError } from "@duffel/api";
import type { CreateOfferRequestPassenger, Offer as DuffelOffer, OfferSlice, OfferSliceSegment } from "@duffel/api/types";
import { parseDecimal, type Money } from "@/server/core/money";
import { itineraryKey } from "@/server/core/itinerary-key";
import { sliceFromSegments, type Offer, type Segment } from "@/server/core/offer";
import { toLocalIso, zonedToUtc } from "@/server/core/time";
import { ProviderError, type FlightProvider, type ProviderQuery } from "./types";

/**
 * Duffel (https://duffel.com) through its SDK. One offer request per search, with
 * `supplier_timeout` inside our own deadline so that Duffel answers with what the airlines sent
 * in time rather than nothing. Offers are normalised to the app's Offer: local times (Duffel
 * sends them without an offset) become instants through each airport's time zone; stops are
 * segments - 1 plus technical stops; prices are exact minor units. Test-mode offers (Duffel
 * Airways) are not real fares and are marked simulated.
 *
 * The SDK cannot cancel a request: past our deadline the resilience wrapper stops waiting and
 * the HTTP call finishes in the background.
 */

const MIN_SUPPLIER_TIMEOUT_MS = 2_000;
const MAX_SUPPLIER_TIMEOUT_MS = 60_000;
/** Time left for Duffel to assemble its answer after the airlines' deadline. */
const RESPONSE_MARGIN_MS = 800;

/** Ages Duffel uses to tell children (2-11) and lap infants (under 2) from adults. */
const CHILD_AGE = 8;
const INFANT_AGE = 1;

function passengers(query: ProviderQuery): CreateOfferRequestPassenger[] {
  return [
    ...Array.from({ length: query.adults }, () => ({ type: "adult" as const })),
    ...Array.from({ length: query.children }, () => ({ age: CHILD_AGE })),
    ...Array.from({ length: query.infants }, () => ({ age: INFANT_AGE })),
  ];
}

/** "PT7H35M" -> 455 */
function isoDurationMinutes(duration: string | null | undefined): number | null {
  const match = /^P(?:(\d+)D)?T?(?:(\d+)H)?(?:(\d+)M)?/.exec(duration ?? "");
  if (!match || !duration) return null;
  return Number(match[1] ?? 0) * 1440 + Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0);
}

function instant(localTime: string, timeZone: string): Date {
  // Duffel: "2027-01-15T09:40:00", local at the airport.
  return zonedToUtc(localTime.slice(0, 10), localTime.slice(11, 16), timeZone);
}

function segment(s: OfferSliceSegment): Segment {
  const carrier = s.marketing_carrier.iata_code ?? s.marketing_carrier.name;
  const operating = s.operating_carrier?.iata_code ?? null;
  const departure = instant(s.departing_at, s.origin.time_zone);
  const arrival = instant(s.arriving_at, s.destination.time_zone);
  return {
    carrier,
    operatingCarrier: operating && operating !== carrier ? operating : null,
    flightNumber: `${carrier} ${s.marketing_carrier_flight_number}`,
    origin: s.origin.iata_code ?? s.origin.id,
    destination: s.destination.iata_code ?? s.destination.id,
    departureAt: departure.toISOString(),
    arrivalAt: arrival.toISOString(),
    departureLocal: toLocalIso(departure, s.origin.time_zone),
    arrivalLocal: toLocalIso(arrival, s.destination.time_zone),
    durationMinutes: isoDurationMinutes(s.duration) ?? Math.round((arrival.getTime() - departure.getTime()) / 60_000),
    technicalStops: s.stops?.length ?? 0,
    aircraft: s.aircraft?.name ?? null,
  };
}

/**
 * Duffel prices the whole party. The price per adult, which history compares, is the total
 * over adult-equivalents (children 0.75, lap infants 0.1, as most fares are built).
 */
function perAdult(total: Money, query: ProviderQuery): Money {
  const units = query.adults + 0.75 * query.children + 0.1 * query.infants;
  return { amountMinor: Math.round(total.amountMinor / units), currency: total.currency };
}

export function normaliseOffer(offer: Pick<DuffelOffer, "id" | "slices" | "total_amount" | "total_currency" | "expires_at" | "live_mode">, query: ProviderQuery): Offer {
  const slices = offer.slices.map((slice: OfferSlice) => sliceFromSegments(slice.segments.map(segment)));
  const price = { amountMinor: parseDecimal(offer.total_amount, offer.total_currency), currency: offer.total_currency };
  const pricePerAdult = perAdult(price, query);
  const simulated = !offer.live_mode;
  const expiresAt = offer.expires_at ? new Date(offer.expires_at).toISOString() : null;
  return {
    itineraryKey: itineraryKey(slices),
    cabin: query.cabin,
    slices,
    price,
    pricePerAdult,
    provider: "duffel",
    deepLink: null,
    offerRef: offer.id,
    expiresAt,
    simulated,
    sources: [{ provider: "duffel", price, pricePerAdult, deepLink: null, offerRef: offer.id, expiresAt, simulated }],
  };
}

/** Seconds or an HTTP date in Retry-After, else Duffel's ratelimit-reset. */
function retryAfterMs(headers: { get(name: string): string | null } | undefined): number | null {
  const retryAfter = headers?.get("retry-after");
  if (retryAfter && /^\d+$/.test(retryAfter)) return Number(retryAfter) * 1000;
  const reset = retryAfter ?? headers?.get("ratelimit-reset");
  if (!reset) return null;
  const at = /^\d+$/.test(reset) ? Number(reset) * 1000 : Date.parse(reset);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "UND_ERR_SOCKET"]);

/** What went wrong, and whether trying again could help. */
export function classifyDuffelError(error: unknown): ProviderError {
  if (error instanceof DuffelError) {
    const status = error.status ?? null;
    const first = error.errors?.[0];
    const message = `Duffel ${status ?? "error"}: ${first?.message ?? first?.title ?? "request failed"}`;
    const transient = status === 429 || status === 408 || (status !== null && status >= 500);
    return new ProviderError(message, { transient, status, retryAfterMs: status === 429 ? retryAfterMs(error.headers) : null, cause: error });
  }
  const code = (error as { code?: unknown; errno?: unknown })?.code ?? (error as { errno?: unknown })?.errno;
  if (typeof code === "string" && NETWORK_CODES.has(code)) {
    return new ProviderError(`Duffel unreachable (${code})`, { transient: true, cause: error });
  }
  const type = (error as { type?: unknown })?.type;
  if (error instanceof SyntaxError || type === "invalid-json" || (error instanceof TypeError && /in operator|JSON/i.test(error.message))) {
    return new ProviderError("Duffel sent a response that is not valid JSON", { transient: false, cause: error });
  }
  if (type === "system") return new ProviderError("Duffel unreachable", { transient: true, cause: error });
  return new ProviderError(`Duffel request failed: ${error instanceof Error ? error.message : String(error)}`, { transient: false, cause: error });
}

export function duffelProvider(options: { token: string; baseUrl: string }): FlightProvider {
  const client = new Duffel({ token: options.token, basePath: options.baseUrl, source: "flight-tracker" });
  return {
    id: "duffel",
    name: "Duffel",
    simulated: false,
    async search(query, { deadline, signal }) {
      const supplierTimeout = Math.round(
        Math.min(MAX_SUPPLIER_TIMEOUT_MS, Math.max(MIN_SUPPLIER_TIMEOUT_MS, deadline - Date.now() - RESPONSE_MARGIN_MS)),
      );
      const slices = [
        { origin: query.originCode, destination: query.destinationCode, departure_date: query.departureDate, departure_time: null, arrival_time: null },
        ...(query.returnDate
          ? [{ origin: query.destinationCode, destination: query.originCode, departure_date: query.returnDate, departure_time: null, arrival_time: null }]
          : []),
      ];
      let response;
      try {
        response = await client.offerRequests.create({
          slices,
          passengers: passengers(query),
          cabin_class: query.cabin,
          return_offers: true,
          supplier_timeout: supplierTimeout,
        });
      } catch (error) {
        throw classifyDuffelError(error);
      }
      if (signal.aborted) return [];
      const offers = response.data.offers ?? [];
      const normalised: Offer[] = [];
      for (const offer of offers) {
        try {
          normalised.push(normaliseOffer(offer, query));
        } catch {
          // One malformed offer (unknown zone, odd amount) does not sink the others.
        }
      }
      return normalised;
    },
  };
}
