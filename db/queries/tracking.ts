// Tracked routes: their rows and the queries that refresh them (their prices: tracked-state.ts).
import { and, asc, count, desc, eq, gte, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { flightQuery, ingestionTarget, trackedRoute, trackedRoutePoint, trackedRouteQuery } from "@/db/schema";
import type { CanonicalQuery } from "@/server/core/canonical-query";
import type { TrackedDefinition } from "@/server/core/tracking";
import { canonicalQueryColumns } from "./snapshots";

export type TrackedRouteRow = typeof trackedRoute.$inferSelect;

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
    .onConflictDoUpdate({ target: Object.values(canonicalQueryColumns), set: { origin: sql`excluded.origin` } })
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
