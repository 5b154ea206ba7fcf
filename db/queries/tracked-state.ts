// Tracked routes' prices: what each observation of their queries does to them, and its events.
import { inArray, sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { eventOutbox, flightQuery, priceSnapshot, trackedRoute, trackedRoutePoint, trackedRouteQuery } from "@/db/schema";
import { trackedLow } from "@/server/core/tracking";

/** The topic of the event each check of a tracked route writes to the outbox (the alerts consume it). */
export const TRACKED_ROUTE_OBSERVED = "tracked_route.observed";

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
  /** The price is the simulated market's. */
  simulated: boolean;
  /** The W3C trace context of the write that made the event (when traced): the alerts' evaluation links to it. */
  traceparent?: string;
}

/**
 * Brings the active tracked routes that follow these queries up to date with these
 * observations, in the caller's transaction: each link's lowest counted price (by the route's
 * filters), then each route's price (the lowest of its links still ahead of today), its price
 * point for the hour, and one `tracked_route.observed` event per route checked. Idempotent: a
 * link takes an observation only if it is newer than the one it holds, and an event's key is
 * the route and the time of the check. Returns the events written.
 */
export async function applyObservations(db: Db, observations: ObservedOffers[], today: string, trace: { traceparent?: string } = {}): Promise<TrackedRouteObserved[]> {
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
    current_simulated: boolean | null;
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
          r.current_departure_date::text, r.current_return_date::text, r.current_itinerary_key, r.current_provider, r.current_simulated`,
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
      simulated: r.current_simulated === true,
    }));
  if (events.length === 0) return [];
  await db
    .insert(trackedRoutePoint)
    .values(events.map((e) => ({ trackedRouteId: e.trackedRouteId, hour: hourOf(e.observedAt), priceMinor: e.priceMinor })))
    .onConflictDoUpdate({ target: [trackedRoutePoint.trackedRouteId, trackedRoutePoint.hour], set: { priceMinor: sql`excluded.price_minor` } });
  await db
    .insert(eventOutbox)
    .values(events.map((e) => ({ topic: TRACKED_ROUTE_OBSERVED, key: `${e.trackedRouteId}@${e.observedAt}`, payload: { ...e, ...trace } })))
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
