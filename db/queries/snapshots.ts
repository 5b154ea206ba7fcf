// The price history: the canonical query row and one snapshot per offer seen, written and read back.
import { and, asc, eq, getTableColumns, gte, inArray, sql, type SQL } from "drizzle-orm";
import { affectedRows, queryRows, type Db } from "@/db/client";
import { flightQuery, priceSnapshot } from "@/db/schema";
import type { CanonicalQuery } from "@/server/core/canonical-query";
import type { SnapshotOffer } from "@/server/core/observation";
import type { Cabin } from "@/server/core/offer";

/** Offers per INSERT statement (one JSON parameter each): a typical search fits in one. */
export const SNAPSHOT_BATCH_SIZE = 200;

/** Built by the query builder, then run alone or as the CTE of recordSearch. */
function upsertFlightQueryStatement(db: Db, query: CanonicalQuery, searchedAt: Date): SQL {
  return db
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
    .returning({ id: flightQuery.id })
    .getSQL();
}

/** Records that the query was searched at `searchedAt` and returns its id. */
export async function upsertFlightQuery(db: Db, query: CanonicalQuery, searchedAt: Date): Promise<number> {
  const [row] = await queryRows<{ id: number | string }>(db, upsertFlightQueryStatement(db, query, searchedAt));
  return Number(row!.id);
}

/** Every column but query_id, which comes from the query row rather than from the batch. */
const payloadColumns = Object.values(getTableColumns(priceSnapshot)).filter((c) => c.name !== "query_id");
const insertColumns = sql.raw(["query_id", ...payloadColumns.map((c) => c.name)].map((name) => `"${name}"`).join(", "));
const payloadSelect = sql.raw(payloadColumns.map((c) => `batch."${c.name}"`).join(", "));
const payloadDefinition = sql.raw(payloadColumns.map((c) => `"${c.name}" ${c.getSQLType()}`).join(", "));

type SnapshotRecord = Record<string, string | number | boolean | string[]>;

function toRecord(query: CanonicalQuery, observedAt: string, offer: SnapshotOffer): SnapshotRecord {
  // Keys are column names; absent keys are NULL, so optional fields are only set when present.
  const record: SnapshotRecord = {
    observed_at: observedAt,
    provider: offer.provider,
    itinerary_key: offer.itineraryKey,
    origin: offer.origin,
    destination: offer.destination,
    departure_date: query.departureDate,
    cabin: query.cabin,
    carriers: offer.carriers,
    flight_numbers: offer.flightNumbers,
    stops: offer.stops,
    departure_at: offer.departureAt.toISOString(),
    arrival_at: offer.arrivalAt.toISOString(),
    duration_minutes: offer.durationMinutes,
    price_minor: offer.priceMinor,
    price_per_adult_minor: offer.pricePerAdultMinor,
    currency: offer.currency,
    simulated: offer.simulated,
  };
  if (query.returnDate) record.return_date = query.returnDate;
  if (offer.returnDepartureAt) record.return_departure_at = offer.returnDepartureAt.toISOString();
  if (offer.returnArrivalAt) record.return_arrival_at = offer.returnArrivalAt.toISOString();
  if (offer.deepLink) record.deep_link = offer.deepLink;
  if (offer.offerRef) record.offer_ref = offer.offerRef;
  if (offer.offerExpiresAt) record.offer_expires_at = offer.offerExpiresAt.toISOString();
  return record;
}

/**
 * `INSERT ... SELECT` of one batch: the offers travel as one JSON parameter, unpacked by
 * json_to_recordset with the table's own column types. Measured at about twice the rows/s of a
 * multi-row VALUES insert built by the query builder (whose per-value work dominates at 200 rows
 * x 23 columns), ahead of jsonb and of per-column unnest() arrays, and it binds identically on
 * postgres.js and PGlite. What remains is the server parsing the values (see the README figures).
 */
function insertBatch(queryId: SQL, query: CanonicalQuery, observedAt: Date, offers: SnapshotOffer[]): SQL {
  const observed = observedAt.toISOString();
  const records = JSON.stringify(offers.map((offer) => toRecord(query, observed, offer)));
  return sql`
    INSERT INTO ${priceSnapshot} (${insertColumns})
    SELECT ${queryId}, ${payloadSelect} FROM json_to_recordset(${records}::json) AS batch(${payloadDefinition})
    ON CONFLICT DO NOTHING`;
}

/**
 * Writes more offers of a query already recorded, in batches. Idempotent: the primary key is
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
    const batch = offers.slice(i, i + SNAPSHOT_BATCH_SIZE);
    written += affectedRows(await db.execute(insertBatch(sql`${queryId}::bigint`, query, observedAt, batch)));
  }
  return written;
}

/**
 * The whole write of one live search. The first batch goes in the same statement as the query
 * upsert (a data-modifying CTE): one round trip, atomic on its own, which is what most searches
 * need. Larger searches continue in a transaction, so a search's rows land together or not at all.
 */
export async function recordSearch(
  db: Db,
  query: CanonicalQuery,
  observedAt: Date,
  offers: SnapshotOffer[],
): Promise<{ queryId: number; written: number }> {
  const first = async (executor: Db) => {
    const batch = offers.slice(0, SNAPSHOT_BATCH_SIZE);
    const [row] = await queryRows<{ id: number | string; written: number }>(
      executor,
      sql`
        WITH q AS (${upsertFlightQueryStatement(executor, query, observedAt)}),
        inserted AS (${insertBatch(sql`(SELECT id FROM q)`, query, observedAt, batch)} RETURNING 1)
        SELECT (SELECT id FROM q) AS id, (SELECT count(*) FROM inserted)::int AS written`,
    );
    return { queryId: Number(row!.id), written: row!.written };
  };
  if (offers.length <= SNAPSHOT_BATCH_SIZE) return first(db);
  return db.transaction(async (tx) => {
    const result = await first(tx);
    const more = await writeSnapshots(tx, result.queryId, query, observedAt, offers.slice(SNAPSHOT_BATCH_SIZE));
    return { queryId: result.queryId, written: result.written + more };
  });
}

/** Which snapshots an export reads: a route's airports, observed since `since`, optionally narrowed. */
export interface SnapshotFilter {
  origins: string[];
  destinations: string[];
  since: Date;
  cabin?: Cabin;
  currency?: string;
  departureDate?: string;
}

export type SnapshotRow = typeof priceSnapshot.$inferSelect;

/**
 * The snapshots in primary-key order (observation time first), in keyset-paginated batches: each
 * batch is read only when the caller asks for it, so memory stays flat whatever the row limit.
 */
export async function* snapshotBatches(db: Db, filter: SnapshotFilter, options: { maxRows: number; batchSize: number }): AsyncGenerator<SnapshotRow[]> {
  const conditions: SQL[] = [
    inArray(priceSnapshot.origin, filter.origins),
    inArray(priceSnapshot.destination, filter.destinations),
    gte(priceSnapshot.observedAt, filter.since),
  ];
  if (filter.cabin) conditions.push(eq(priceSnapshot.cabin, filter.cabin));
  if (filter.currency) conditions.push(eq(priceSnapshot.currency, filter.currency));
  if (filter.departureDate) conditions.push(eq(priceSnapshot.departureDate, filter.departureDate));
  let after: SnapshotRow | null = null;
  let sent = 0;
  while (sent < options.maxRows) {
    const keyset: SQL | undefined = after
      ? sql`(${priceSnapshot.observedAt}, ${priceSnapshot.queryId}, ${priceSnapshot.provider}, ${priceSnapshot.itineraryKey}) > (${after.observedAt.toISOString()}::timestamptz, ${after.queryId}, ${after.provider}, ${after.itineraryKey})`
      : undefined;
    const rows = await db
      .select()
      .from(priceSnapshot)
      .where(and(...conditions, keyset))
      .orderBy(asc(priceSnapshot.observedAt), asc(priceSnapshot.queryId), asc(priceSnapshot.provider), asc(priceSnapshot.itineraryKey))
      .limit(Math.min(options.batchSize, options.maxRows - sent));
    if (rows.length === 0) return;
    yield rows;
    sent += rows.length;
    after = rows.at(-1)!;
    if (rows.length < options.batchSize) return;
  }
}
