// The price history: the canonical query row and one snapshot per offer seen, written and read back.
import { and, asc, eq, getTableColumns, gte, inArray, sql, type SQL } from "drizzle-orm";
import { affectedRows, queryRows, type Db } from "@/db/client";
import { flightQuery, priceSnapshot } from "@/db/schema";
import type { CanonicalQuery } from "@/server/core/canonical-query";
import type { SnapshotOffer } from "@/server/core/observation";
import type { Cabin } from "@/server/core/offer";

/** Offers per INSERT statement (one JSON parameter each): a typical search fits in one. */
export const SNAPSHOT_BATCH_SIZE = 200;

/** One search of a query: the row it adds to (or merges into) `flight_query`. */
interface QuerySearches {
  query: CanonicalQuery;
  firstSearchedAt: Date;
  lastSearchedAt: Date;
  searchCount: number;
}

/** The columns of `flight_query` that make a canonical query (its unique key), to select or to conflict on. */
export const canonicalQueryColumns = {
  origin: flightQuery.origin,
  destination: flightQuery.destination,
  departureDate: flightQuery.departureDate,
  returnDate: flightQuery.returnDate,
  cabin: flightQuery.cabin,
  adults: flightQuery.adults,
  children: flightQuery.children,
  infants: flightQuery.infants,
  currency: flightQuery.currency,
};

/**
 * The upsert of canonical queries, built by the query builder: new ones are inserted, known ones
 * get their search count raised by as many searches and their first/last search times widened.
 */
function upsertFlightQueries(db: Db, rows: QuerySearches[]) {
  return db
    .insert(flightQuery)
    .values(rows.map(({ query, ...searches }) => ({ ...query, ...searches })))
    .onConflictDoUpdate({
      target: Object.values(canonicalQueryColumns),
      set: {
        lastSearchedAt: sql`greatest(${flightQuery.lastSearchedAt}, excluded.last_searched_at)`,
        firstSearchedAt: sql`least(${flightQuery.firstSearchedAt}, excluded.first_searched_at)`,
        searchCount: sql`${flightQuery.searchCount} + excluded.search_count`,
      },
    });
}

/** Built by the query builder, then run alone or as the CTE of recordSearch. */
function upsertFlightQueryStatement(db: Db, query: CanonicalQuery, searchedAt: Date): SQL {
  return upsertFlightQueries(db, [{ query, firstSearchedAt: searchedAt, lastSearchedAt: searchedAt, searchCount: 1 }])
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

/** One live search to record: the query, when it was observed, and the offers seen. */
export interface SearchRecord {
  query: CanonicalQuery;
  observedAt: Date;
  snapshots: SnapshotOffer[];
}

/** Snapshot rows per statement when several searches are written together. */
export const SNAPSHOTS_PER_STATEMENT = 500;

function canonicalKey(q: Pick<CanonicalQuery, "origin" | "destination" | "departureDate" | "returnDate" | "cabin" | "adults" | "children" | "infants" | "currency">): string {
  return [q.origin, q.destination, q.departureDate, q.returnDate ?? "", q.cabin, q.adults, q.children, q.infants, q.currency].join("|");
}

/**
 * Several searches in a few statements, whatever their number: one upsert of their distinct
 * queries (a query searched twice counts twice), then their snapshots with each row's query id,
 * SNAPSHOTS_PER_STATEMENT at a time. A statement costs far more than a row, most of all on the
 * embedded engine (about 0.35 ms for `SELECT 1`), so the write-behind batch of a busy minute
 * is cheaper written this way than search by search. Run it in a transaction (the caller's):
 * atomic as a whole, idempotent like recordSearch. Returns each search's query id and rows
 * inserted, in order.
 */
export async function recordSearches(
  db: Db,
  searches: SearchRecord[],
  options: { betweenStatements?: () => Promise<unknown> } = {},
): Promise<{ queryId: number; written: number }[]> {
  if (searches.length <= 1) return Promise.all(searches.map((s) => recordSearch(db, s.query, s.observedAt, s.snapshots)));
  const distinct = new Map<string, QuerySearches>();
  for (const { query, observedAt } of searches) {
    const key = canonicalKey(query);
    const seen = distinct.get(key);
    if (!seen) distinct.set(key, { query, firstSearchedAt: observedAt, lastSearchedAt: observedAt, searchCount: 1 });
    else {
      seen.searchCount++;
      if (observedAt < seen.firstSearchedAt) seen.firstSearchedAt = observedAt;
      if (observedAt > seen.lastSearchedAt) seen.lastSearchedAt = observedAt;
    }
  }
  const upserted = await upsertFlightQueries(db, [...distinct.values()]).returning({ id: flightQuery.id, ...canonicalQueryColumns });
  const ids = new Map(upserted.map((row) => [canonicalKey(row), Number(row.id)]));
  const queryIds = searches.map(({ query }) => ids.get(canonicalKey(query))!);

  const records = searches.flatMap(({ query, observedAt, snapshots }, i) => {
    const observed = observedAt.toISOString();
    return snapshots.map((offer) => ({ query_id: queryIds[i]!, ...toRecord(query, observed, offer) }));
  });
  const written = new Map<string, number>();
  for (let i = 0; i < records.length; i += SNAPSHOTS_PER_STATEMENT) {
    await options.betweenStatements?.();
    const rows = await queryRows<{ query_id: number; at: number; written: number }>(
      db,
      sql`
        WITH inserted AS (
          INSERT INTO ${priceSnapshot} (${insertColumns})
          SELECT batch.query_id, ${payloadSelect} FROM json_to_recordset(${JSON.stringify(records.slice(i, i + SNAPSHOTS_PER_STATEMENT))}::json) AS batch(query_id bigint, ${payloadDefinition})
          ON CONFLICT DO NOTHING
          RETURNING query_id, observed_at)
        SELECT query_id::float8 AS query_id, round(extract(epoch FROM observed_at) * 1000)::float8 AS at, count(*)::int AS written
        FROM inserted GROUP BY 1, 2`,
    );
    for (const row of rows) written.set(`${row.query_id}|${row.at}`, (written.get(`${row.query_id}|${row.at}`) ?? 0) + row.written);
  }
  // Two searches of one query at the same instant share their rows: the first is credited.
  return searches.map(({ observedAt }, i) => {
    const key = `${queryIds[i]}|${observedAt.getTime()}`;
    const count = written.get(key) ?? 0;
    written.delete(key);
    return { queryId: queryIds[i]!, written: count };
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
