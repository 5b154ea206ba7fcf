// Tracked routes: their rows, the queries that refresh them, and the state each observation updates.
import { and, asc, count, desc, eq, gte, inArray, sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { eventOutbox, flightQuery, ingestionTarget, priceSnapshot, trackedRoute, trackedRoutePoint, trackedRouteQuery } from "@/db/schema";
import type { CanonicalQuery } from "@/server/core/canonical-query";
import { trackedLow, type TrackedDefinition } from "@/server/core/tracking";

export type TrackedRouteRow = typeof trackedRoute.$inferSelect;

/** The topic of the event each check of a tracked route writes to the outbox (the alerts consume it). */
export const TRACKED_ROUTE_OBSERVED = "tracked_route.observed";

const canonicalColumns = [
  flightQuery.origin,
  flightQuery.destination,
  flightQuery.departureDate,
  flightQuery.returnDate,
  flightQuery.cabin,
  flightQuery.adults,
  flightQuery.children,
  flightQuery.infants,
  flightQuery.currency,
];

/**
 * The ids of these canonical queries, inserting the ones never searched (with no searches
 * counted: tracking is not a search). Order as given.
 */
export async function ensureFlightQueries(db: Db, queries: CanonicalQuery[], at: Date): Promise<number[]> {
  if (queries.length === 0) return [];
  const rows = await db
    .insert(flightQuery)
    .values(queries.map((q) => ({ ...q, firstSearchedAt: at, lastSearchedAt: at, searchCount: 0 })))
    // A no-op update, so that RETURNING gives the ids of the rows that were there already.
    .onConflictDoUpdate({ target: canonicalColumns, set: { origin: sql`excluded.origin` } })
    .returning({ id: flightQuery.id, departureDate: flightQuery.departureDate, returnDate: flightQuery.returnDate });
  const ids = new Map(rows.map((r) => [`${r.departureDate}|${r.returnDate ?? ""}`, Number(r.id)]));
  return queries.map((q) => ids.get(`${q.departureDate}|${q.returnDate ?? ""}`)!);
}

export async function insertTrackedRoute(db: Db, userId: string, definition: TrackedDefinition, at: Date): Promise<TrackedRouteRow> {
  const [row] = await db
    .insert(trackedRoute)
    .values({ ...definition, userId, createdAt: at, updatedAt: at })
    .returning();
  return row!;
}

/** Links a route to its queries and makes each a target of ingestion (due at `dueAt` if new). */
export async function linkRouteQueries(db: Db, routeId: string, queryIds: number[], dueAt: Date): Promise<void> {
  if (queryIds.length === 0) return;
  await db
    .insert(trackedRouteQuery)
    .values(queryIds.map((queryId) => ({ trackedRouteId: routeId, queryId })))
    .onConflictDoNothing();
  await db
    .insert(ingestionTarget)
    .values(queryIds.map((queryId) => ({ queryId, nextDueAt: dueAt })))
    .onConflictDoNothing();
}

/** Forgets the targets among these queries that no tracked route needs any more. */
export async function dropUnneededTargets(db: Db, queryIds: number[]): Promise<void> {
  if (queryIds.length === 0) return;
  await db
    .delete(ingestionTarget)
    .where(
      and(
        inArray(ingestionTarget.queryId, queryIds),
        sql`NOT EXISTS (SELECT 1 FROM ${trackedRouteQuery} WHERE ${trackedRouteQuery.queryId} = ${ingestionTarget.queryId})`,
      ),
    );
}

/** Unlinks a route from all its queries (before it is deleted or redefined); returns their ids. */
export async function unlinkRouteQueries(db: Db, routeId: string): Promise<number[]> {
  const rows = await db.delete(trackedRouteQuery).where(eq(trackedRouteQuery.trackedRouteId, routeId)).returning({ queryId: trackedRouteQuery.queryId });
  const ids = rows.map((r) => Number(r.queryId));
  await dropUnneededTargets(db, ids);
  return ids;
}

export async function countTrackedRoutes(db: Db, userId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(trackedRoute).where(eq(trackedRoute.userId, userId));
  return Number(row!.n);
}

export async function listTrackedRoutes(db: Db, userId: string): Promise<TrackedRouteRow[]> {
  return db.select().from(trackedRoute).where(eq(trackedRoute.userId, userId)).orderBy(desc(trackedRoute.createdAt), asc(trackedRoute.id));
}

/** The user's route with this id; another user's is as absent as one that never was. */
export async function findTrackedRoute(db: Db, userId: string, id: string): Promise<TrackedRouteRow | null> {
  const [row] = await db
    .select()
    .from(trackedRoute)
    .where(and(eq(trackedRoute.id, id), eq(trackedRoute.userId, userId)));
  return row ?? null;
}

/** A new definition or status for the user's route; its price state starts again when the definition changes. */
export async function updateTrackedRouteRow(
  db: Db,
  userId: string,
  id: string,
  patch: Partial<TrackedDefinition> & { status?: TrackedRouteRow["status"] },
  options: { resetState: boolean; at: Date },
): Promise<TrackedRouteRow | null> {
  const reset = options.resetState
    ? {
        firstPriceMinor: null,
        currentPriceMinor: null,
        currentDepartureDate: null,
        currentReturnDate: null,
        currentItineraryKey: null,
        currentProvider: null,
        currentSimulated: null,
        previousPriceMinor: null,
        lastCheckedAt: null,
      }
    : {};
  const [row] = await db
    .update(trackedRoute)
    .set({ ...patch, ...reset, updatedAt: options.at })
    .where(and(eq(trackedRoute.id, id), eq(trackedRoute.userId, userId)))
    .returning();
  if (row && options.resetState) await db.delete(trackedRoutePoint).where(eq(trackedRoutePoint.trackedRouteId, id));
  return row ?? null;
}

export async function deleteTrackedRoute(db: Db, userId: string, id: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ id: trackedRoute.id })
      .from(trackedRoute)
      .where(and(eq(trackedRoute.id, id), eq(trackedRoute.userId, userId)))
      .for("update");
    if (!row) return false;
    await unlinkRouteQueries(tx, id);
    await tx.delete(trackedRoute).where(eq(trackedRoute.id, id));
    return true;
  });
}

/** Each route's price points since `since`, oldest first (the sparklines). */
export async function routePoints(db: Db, routeIds: string[], since: Date): Promise<Map<string, { hour: Date; priceMinor: number }[]>> {
  const points = new Map<string, { hour: Date; priceMinor: number }[]>(routeIds.map((id) => [id, []]));
  if (routeIds.length === 0) return points;
  const rows = await db
    .select()
    .from(trackedRoutePoint)
    .where(and(inArray(trackedRoutePoint.trackedRouteId, routeIds), gte(trackedRoutePoint.hour, since)))
    .orderBy(asc(trackedRoutePoint.hour));
  for (const row of rows) points.get(row.trackedRouteId)!.push({ hour: row.hour, priceMinor: Number(row.priceMinor) });
  return points;
}

/** When each route is next refreshed: the earliest due time among its queries still ahead. */
export async function nextChecks(db: Db, routeIds: string[], today: string): Promise<Map<string, Date>> {
  if (routeIds.length === 0) return new Map();
  const rows = await db
    .select({ id: trackedRouteQuery.trackedRouteId, next: sql<Date | string>`min(${ingestionTarget.nextDueAt})` })
    .from(trackedRouteQuery)
    .innerJoin(ingestionTarget, eq(ingestionTarget.queryId, trackedRouteQuery.queryId))
    .innerJoin(flightQuery, eq(flightQuery.id, trackedRouteQuery.queryId))
    .where(and(inArray(trackedRouteQuery.trackedRouteId, routeIds), gte(flightQuery.departureDate, today)))
    .groupBy(trackedRouteQuery.trackedRouteId);
  return new Map(rows.map((r) => [r.id, new Date(r.next)]));
}

/** The offers of one observation of a query, as tracked-route state needs them. */
export interface ObservedOffers {
  queryId: number;
  observedAt: Date;
  /** Whether any provider answered: an observation where all failed tells nothing about prices. */
  answered: boolean;
  /** Round trip: filters on stops allow that many each way. */
  roundTrip: boolean;
  departureDate: string;
  offers: { priceMinor: number; stops: number; carriers: string[]; flightNumbers: string[]; itineraryKey: string; provider: string; simulated: boolean }[];
}

interface LinkRow extends Record<string, unknown> {
  route_id: string;
  query_id: number | string;
  max_stops: number | null;
  airlines: string[] | null;
  flight_numbers: string[] | null;
}

/** What each check of a tracked route tells the alerts (the outbox payload). */
export interface TrackedRouteObserved {
  trackedRouteId: string;
  userId: string;
  observedAt: string;
  priceMinor: number;
  previousPriceMinor: number | null;
  firstPriceMinor: number;
  currency: string;
  departureDate: string | null;
  returnDate: string | null;
  itineraryKey: string | null;
  provider: string | null;
}

/**
 * Brings the active tracked routes that follow these queries up to date with these
 * observations, in the caller's transaction: each link's lowest counted price (by the route's
 * filters), then each route's price (the lowest of its links still ahead of today), its price
 * point for the hour, and one `tracked_route.observed` event per route checked. Idempotent: a
 * link takes an observation only if it is newer than the one it holds, and an event's key is
 * the route and the time of the check. Returns the events written.
 */
export async function applyObservations(db: Db, observations: ObservedOffers[], today: string): Promise<TrackedRouteObserved[]> {
  if (observations.length === 0) return [];
  const links = await queryRows<LinkRow>(
    db,
    sql`SELECT l.tracked_route_id AS route_id, l.query_id, r.max_stops, r.airlines, r.flight_numbers
        FROM ${trackedRouteQuery} l JOIN ${trackedRoute} r ON r.id = l.tracked_route_id
        WHERE l.query_id IN (${sql.join([...new Set(observations.map((o) => sql`${o.queryId}`))], sql`, `)}) AND r.status = 'active'`,
  );
  if (links.length === 0) return [];
  const byQuery = new Map<number, ObservedOffers>();
  for (const o of observations) if (o.answered && (!byQuery.has(o.queryId) || byQuery.get(o.queryId)!.observedAt < o.observedAt)) byQuery.set(o.queryId, o);
  const updates = links.flatMap((link) => {
    const observation = byQuery.get(Number(link.query_id));
    if (!observation) return [];
    const filter = { maxStops: link.max_stops, airlines: link.airlines, flightNumbers: link.flight_numbers };
    const low = trackedLow(filter, observation.offers, observation.roundTrip ? 2 : 1);
    return [
      {
        route_id: link.route_id,
        query_id: Number(link.query_id),
        observed_at: observation.observedAt.toISOString(),
        low: low?.priceMinor ?? null,
        itinerary_key: low?.itineraryKey ?? null,
        provider: low?.provider ?? null,
        simulated: low?.simulated ?? null,
      },
    ];
  });
  if (updates.length === 0) return [];
  const changed = await queryRows<{ route_id: string; observed_at: string | Date }>(
    db,
    sql`UPDATE ${trackedRouteQuery} AS l
        SET observed_at = v.observed_at, low_price_minor = v.low, low_itinerary_key = v.itinerary_key, low_provider = v.provider, low_simulated = v.simulated
        FROM json_to_recordset(${JSON.stringify(updates)}::json) AS v(route_id uuid, query_id bigint, observed_at timestamptz, low bigint, itinerary_key text, provider text, simulated boolean)
        WHERE l.tracked_route_id = v.route_id AND l.query_id = v.query_id AND (l.observed_at IS NULL OR l.observed_at < v.observed_at)
        RETURNING l.tracked_route_id AS route_id, l.observed_at`,
  );
  if (changed.length === 0) return [];
  const checkedAt = new Map<string, Date>();
  for (const row of changed) {
    const at = new Date(row.observed_at);
    if (!checkedAt.has(row.route_id) || checkedAt.get(row.route_id)! < at) checkedAt.set(row.route_id, at);
  }
  const checks = [...checkedAt].map(([id, at]) => ({ id, at: at.toISOString() }));
  const routes = await queryRows<{
    id: string;
    user_id: string;
    checked_at: string | Date;
    current_price_minor: number | string | null;
    previous_price_minor: number | string | null;
    first_price_minor: number | string | null;
    currency: string;
    current_departure_date: string | null;
    current_return_date: string | null;
    current_itinerary_key: string | null;
    current_provider: string | null;
  }>(
    db,
    sql`WITH checked AS (
          SELECT * FROM json_to_recordset(${JSON.stringify(checks)}::json) AS c(id uuid, at timestamptz)
        ), best AS (
          SELECT DISTINCT ON (l.tracked_route_id) l.tracked_route_id AS id, l.low_price_minor, q.departure_date, q.return_date, l.low_itinerary_key, l.low_provider, l.low_simulated
          FROM ${trackedRouteQuery} l JOIN ${flightQuery} q ON q.id = l.query_id JOIN checked ON checked.id = l.tracked_route_id
          WHERE l.low_price_minor IS NOT NULL AND q.departure_date >= ${today}::date
          ORDER BY l.tracked_route_id, l.low_price_minor, q.departure_date, q.return_date
        )
        UPDATE ${trackedRoute} AS r SET
          previous_price_minor = CASE WHEN b.id IS NULL THEN r.previous_price_minor ELSE r.current_price_minor END,
          current_price_minor = CASE WHEN b.id IS NULL THEN r.current_price_minor ELSE b.low_price_minor END,
          first_price_minor = coalesce(r.first_price_minor, b.low_price_minor),
          current_departure_date = CASE WHEN b.id IS NULL THEN r.current_departure_date ELSE b.departure_date END,
          current_return_date = CASE WHEN b.id IS NULL THEN r.current_return_date ELSE b.return_date END,
          current_itinerary_key = CASE WHEN b.id IS NULL THEN r.current_itinerary_key ELSE b.low_itinerary_key END,
          current_provider = CASE WHEN b.id IS NULL THEN r.current_provider ELSE b.low_provider END,
          current_simulated = CASE WHEN b.id IS NULL THEN r.current_simulated ELSE b.low_simulated END,
          last_checked_at = greatest(r.last_checked_at, c.at)
        FROM checked c LEFT JOIN best b ON b.id = c.id
        WHERE r.id = c.id
        RETURNING r.id, r.user_id, c.at AS checked_at, r.current_price_minor, r.previous_price_minor, r.first_price_minor, r.currency,
          r.current_departure_date::text, r.current_return_date::text, r.current_itinerary_key, r.current_provider`,
  );
  const events: TrackedRouteObserved[] = routes
    .filter((r) => r.current_price_minor !== null)
    .map((r) => ({
      trackedRouteId: r.id,
      userId: r.user_id,
      observedAt: new Date(r.checked_at).toISOString(),
      priceMinor: Number(r.current_price_minor),
      previousPriceMinor: r.previous_price_minor === null ? null : Number(r.previous_price_minor),
      firstPriceMinor: Number(r.first_price_minor),
      currency: r.currency,
      departureDate: r.current_departure_date,
      returnDate: r.current_return_date,
      itineraryKey: r.current_itinerary_key,
      provider: r.current_provider,
    }));
  if (events.length === 0) return [];
  await db
    .insert(trackedRoutePoint)
    .values(events.map((e) => ({ trackedRouteId: e.trackedRouteId, hour: hourOf(e.observedAt), priceMinor: e.priceMinor })))
    .onConflictDoUpdate({ target: [trackedRoutePoint.trackedRouteId, trackedRoutePoint.hour], set: { priceMinor: sql`excluded.price_minor` } });
  await db
    .insert(eventOutbox)
    .values(events.map((e) => ({ topic: TRACKED_ROUTE_OBSERVED, key: `${e.trackedRouteId}@${e.observedAt}`, payload: { ...e } })))
    .onConflictDoNothing();
  return events;
}

function hourOf(iso: string): Date {
  const at = new Date(iso);
  at.setUTCMinutes(0, 0, 0);
  return at;
}

/**
 * The latest observation of each query within `since`, read back from the price history: how a
 * route tracked from a search just made gets its first price at once.
 */
export async function latestObservations(db: Db, queryIds: number[], since: Date): Promise<ObservedOffers[]> {
  if (queryIds.length === 0) return [];
  const rows = await queryRows<{
    query_id: number | string;
    observed_at: string | Date;
    price_minor: number | string;
    simulated: boolean;
    stops: number;
    carriers: string[];
    flight_numbers: string[];
    itinerary_key: string;
    provider: string;
    return_date: string | null;
    departure_date: string;
  }>(
    db,
    sql`WITH latest AS (
          SELECT query_id, max(observed_at) AS at FROM ${priceSnapshot}
          WHERE ${inArray(priceSnapshot.queryId, queryIds)} AND observed_at >= ${since.toISOString()}::timestamptz
          GROUP BY query_id
        )
        SELECT s.query_id, s.observed_at, s.price_minor, s.simulated, s.stops, s.carriers, s.flight_numbers, s.itinerary_key, s.provider, s.return_date::text, s.departure_date::text
        FROM ${priceSnapshot} s JOIN latest ON s.query_id = latest.query_id AND s.observed_at = latest.at`,
  );
  const byQuery = new Map<number, ObservedOffers>();
  for (const row of rows) {
    const queryId = Number(row.query_id);
    let observation = byQuery.get(queryId);
    if (!observation) {
      observation = { queryId, observedAt: new Date(row.observed_at), answered: true, roundTrip: row.return_date !== null, departureDate: row.departure_date, offers: [] };
      byQuery.set(queryId, observation);
    }
    observation.offers.push({
      priceMinor: Number(row.price_minor),
      stops: row.stops,
      carriers: row.carriers,
      flightNumbers: row.flight_numbers,
      itineraryKey: row.itinerary_key,
      provider: row.provider,
      simulated: row.simulated,
    });
  }
  return [...byQuery.values()];
}
