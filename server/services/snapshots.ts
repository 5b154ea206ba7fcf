import { sql } from "drizzle-orm";
import { affectedRows, type Db } from "@/db/client";
import { flightQuery, priceSnapshot, type cabinValues } from "@/db/schema";

export type Cabin = (typeof cabinValues)[number];

/** A search reduced to what identifies it: the `flight_query` unique key. */
export interface CanonicalQuery {
  origin: string;
  destination: string;
  departureDate: string;
  returnDate: string | null;
  cabin: Cabin;
  adults: number;
  children: number;
  infants: number;
  currency: string;
}

/** One offer as it is kept in the price history. */
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
  deepLink?: string | null;
  offerRef?: string | null;
  offerExpiresAt?: Date | null;
}

/** Rows per INSERT: large enough to amortise the round trip, well under the 65,535-parameter cap. */
export const SNAPSHOT_BATCH_SIZE = 200;

/** Records that the query was searched at `searchedAt` and returns its id. */
export async function upsertFlightQuery(db: Db, query: CanonicalQuery, searchedAt: Date): Promise<number> {
  const [row] = await db
    .insert(flightQuery)
    .values({ ...query, firstSearchedAt: searchedAt, lastSearchedAt: searchedAt })
    .onConflictDoUpdate({
      target: [
        flightQuery.origin,
        flightQuery.destination,
        flightQuery.departureDate,
        flightQuery.returnDate,
        flightQuery.cabin,
        flightQuery.adults,
        flightQuery.children,
        flightQuery.infants,
        flightQuery.currency,
      ],
      set: {
        lastSearchedAt: sql`greatest(${flightQuery.lastSearchedAt}, excluded.last_searched_at)`,
        firstSearchedAt: sql`least(${flightQuery.firstSearchedAt}, excluded.first_searched_at)`,
        searchCount: sql`${flightQuery.searchCount} + 1`,
      },
    })
    .returning({ id: flightQuery.id });
  return row!.id;
}

/**
 * Writes the offers one search saw at `observedAt`, in batches. Idempotent: the primary key is
 * (query, provider, itinerary, observed_at), so writing the same observation twice (a retry)
 * adds nothing. Returns the number of rows actually inserted.
 */
export async function writeSnapshots(
  db: Db,
  queryId: number,
  query: CanonicalQuery,
  observedAt: Date,
  offers: SnapshotOffer[],
): Promise<number> {
  let written = 0;
  for (let i = 0; i < offers.length; i += SNAPSHOT_BATCH_SIZE) {
    const batch = offers.slice(i, i + SNAPSHOT_BATCH_SIZE).map((offer) => ({
      observedAt,
      queryId,
      provider: offer.provider,
      itineraryKey: offer.itineraryKey,
      origin: offer.origin,
      destination: offer.destination,
      departureDate: query.departureDate,
      returnDate: query.returnDate,
      cabin: query.cabin,
      carriers: offer.carriers,
      flightNumbers: offer.flightNumbers,
      stops: offer.stops,
      departureAt: offer.departureAt,
      arrivalAt: offer.arrivalAt,
      returnDepartureAt: offer.returnDepartureAt ?? null,
      returnArrivalAt: offer.returnArrivalAt ?? null,
      durationMinutes: offer.durationMinutes,
      priceMinor: offer.priceMinor,
      pricePerAdultMinor: offer.pricePerAdultMinor,
      currency: offer.currency,
      deepLink: offer.deepLink ?? null,
      offerRef: offer.offerRef ?? null,
      offerExpiresAt: offer.offerExpiresAt ?? null,
    }));
    written += affectedRows(await db.insert(priceSnapshot).values(batch).onConflictDoNothing());
  }
  return written;
}

/** The whole write of one live search: the query row, then its snapshots. */
export async function recordSearch(
  db: Db,
  query: CanonicalQuery,
  observedAt: Date,
  offers: SnapshotOffer[],
): Promise<{ queryId: number; written: number }> {
  const queryId = await upsertFlightQuery(db, query, observedAt);
  const written = await writeSnapshots(db, queryId, query, observedAt, offers);
  return { queryId, written };
}
