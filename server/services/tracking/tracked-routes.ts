import {
  countTrackedRoutes,
  deleteTrackedRoute,
  ensureFlightQueries,
  findTrackedRoute,
  insertTrackedRoute,
  linkRouteQueries,
  listTrackedRoutes,
  nextChecks,
  routePoints,
  unlinkRouteQueries,
  updateTrackedRouteRow,
  type TrackedRouteRow,
} from "@/db/queries/tracking";
import type { Db } from "@/db/client";
import { addDefaultAlerts, resetRuleStates } from "@/db/queries/alerts";
import { applyObservations, latestObservations } from "@/db/queries/tracked-state";
import { targetsObserved } from "@/db/queries/ingestion";
import { nextRefresh } from "@/server/core/ingestion-schedule";
import { countryCurrency } from "@/server/core/country-currency";
import { LimitReachedError, NotFoundError, ValidationError } from "@/server/core/errors";
import { toMajor } from "@/server/core/money";
import { airportsOf, knownPlace, timeZoneOf } from "@/server/core/places";
import { earliestToday, localDate } from "@/server/core/time";
import {
  definitionProblems,
  queriesOf,
  stateOf,
  type TrackedDefinition,
  type TrackedState,
  type TrackRouteInput,
  type UpdateTrackedRouteInput,
} from "@/server/core/tracking";
import type { AppContext } from "@/server/context";

/** What tracking needs from the app context. */
export type TrackingContext = Pick<AppContext, "db" | "reference" | "clock" | "config">;

const DAY_MS = 86_400_000;
/** A search this recent gives a new tracked route its first price at once. */
const FIRST_PRICE_WINDOW_MS = DAY_MS;
/** The sparkline's span. */
const HISTORY_DAYS = 30;

interface Amount {
  amount: number;
  currency: string;
}

/** A tracked route as every surface shows it (tRPC, REST, the Tracked page). */
export interface TrackedRouteView {
  id: string;
  kind: TrackedDefinition["kind"];
  status: TrackedRouteRow["status"];
  /** active, paused, or expired once its last departure has passed. */
  state: TrackedState;
  originCode: string;
  destinationCode: string;
  departureDate: string | null;
  returnDate: string | null;
  departFrom: string | null;
  departTo: string | null;
  nights: { min: number; max: number } | null;
  cabin: TrackedDefinition["cabin"];
  passengers: { adults: number; children: number; infants: number };
  currency: string;
  filters: { maxStops: number | null; airlines: string[] | null };
  flightNumbers: string[] | null;
  /** The lowest price found at the last check (total for the party), null before the first. */
  price: (Amount & { departureDate: string | null; returnDate: string | null; itineraryKey: string | null; provider: string | null; simulated: boolean }) | null;
  /** Since tracking began and since the check before, in the route's currency (negative: cheaper). */
  change: { sinceFirst: Amount | null; sinceLast: Amount | null };
  lastCheckedAt: string | null;
  /** When the scheduler refreshes it next; null when paused or expired. */
  nextCheckAt: string | null;
  /** The price at each hour it was checked over the last 30 days, oldest first. */
  history: { at: string; amount: number }[];
  createdAt: string;
  updatedAt: string;
}

function amount(minor: number | null, currency: string): Amount | null {
  return minor === null ? null : { amount: toMajor({ amountMinor: minor, currency }), currency };
}

function difference(a: number | null, b: number | null, currency: string): Amount | null {
  return a === null || b === null ? null : amount(a - b, currency);
}

function view(row: TrackedRouteRow, today: string, extra: { next: Date | undefined; points: { hour: Date; priceMinor: number }[] }): TrackedRouteView {
  const state = stateOf(row, today);
  const current = row.currentPriceMinor === null ? null : Number(row.currentPriceMinor);
  const first = row.firstPriceMinor === null ? null : Number(row.firstPriceMinor);
  const previous = row.previousPriceMinor === null ? null : Number(row.previousPriceMinor);
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    state,
    originCode: row.origin,
    destinationCode: row.destination,
    departureDate: row.departureDate,
    returnDate: row.returnDate,
    departFrom: row.departFrom,
    departTo: row.departTo,
    nights: row.nightsMin === null ? null : { min: row.nightsMin, max: row.nightsMax! },
    cabin: row.cabin,
    passengers: { adults: row.adults, children: row.children, infants: row.infants },
    currency: row.currency,
    filters: { maxStops: row.maxStops, airlines: row.airlines },
    flightNumbers: row.flightNumbers,
    price:
      current === null
        ? null
        : {
            ...amount(current, row.currency)!,
            departureDate: row.currentDepartureDate,
            returnDate: row.currentReturnDate,
            itineraryKey: row.currentItineraryKey,
            provider: row.currentProvider,
            simulated: row.currentSimulated ?? false,
          },
    change: { sinceFirst: difference(current, first, row.currency), sinceLast: difference(current, previous, row.currency) },
    lastCheckedAt: row.lastCheckedAt?.toISOString() ?? null,
    nextCheckAt: state === "active" && extra.next ? extra.next.toISOString() : null,
    history: extra.points.map((p) => ({ at: p.hour.toISOString(), amount: toMajor({ amountMinor: p.priceMinor, currency: row.currency }) })),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

async function views(ctx: TrackingContext, rows: TrackedRouteRow[]): Promise<TrackedRouteView[]> {
  const now = ctx.clock();
  const today = earliestToday(now);
  const ids = rows.map((r) => r.id);
  const [next, points] = await Promise.all([nextChecks(ctx.db, ids, today), routePoints(ctx.db, ids, new Date(now.getTime() - HISTORY_DAYS * DAY_MS))]);
  return rows.map((row) => view(row, today, { next: next.get(row.id), points: points.get(row.id) ?? [] }));
}

/** The definition to store: codes checked against the reference data, the currency chosen, every rule applied. */
function definitionFrom(ctx: TrackingContext, input: TrackRouteInput): TrackedDefinition {
  const origin = knownPlace(ctx.reference, input.originCode, "originCode");
  const destination = knownPlace(ctx.reference, input.destinationCode, "destinationCode");
  if (airportsOf(origin).some((code) => airportsOf(destination).includes(code))) {
    throw ValidationError.of("destinationCode", `${destination.code} and ${origin.code} are the same place`);
  }
  const today = localDate(ctx.clock(), timeZoneOf(ctx.reference, origin));
  const lastDate = input.kind === "flexible" ? input.departTo : input.departureDate;
  if (lastDate && lastDate < today) {
    throw ValidationError.of(input.kind === "flexible" ? "departTo" : "departureDate", `must not be in the past (it is ${today} in ${origin.city ?? origin.name})`);
  }
  const flexible = input.kind === "flexible";
  return {
    kind: input.kind,
    origin: origin.code,
    destination: destination.code,
    departureDate: flexible ? null : input.departureDate!,
    returnDate: flexible ? null : (input.returnDate ?? null),
    departFrom: flexible ? input.departFrom! : null,
    departTo: flexible ? input.departTo! : null,
    nightsMin: flexible && input.nights ? input.nights.min : null,
    nightsMax: flexible && input.nights ? input.nights.max : null,
    cabin: input.cabin,
    adults: input.adults,
    children: input.children,
    infants: input.infants,
    currency: input.currency ?? countryCurrency(origin.countryCode),
    maxStops: input.maxStops ?? null,
    airlines: input.airlines?.length ? input.airlines : null,
    flightNumbers: input.kind === "itinerary" ? input.flightNumbers! : null,
  };
}

/**
 * Links the route to the queries that refresh it and gives it the price of any search of them
 * in the last day. A query new to the scheduler is due at once (its first price comes
 * promptly), unless such a search counts as its first refresh.
 */
async function attachQueries(ctx: TrackingContext, db: Db, route: TrackedRouteRow, now: Date): Promise<void> {
  const queryIds = await ensureFlightQueries(db, queriesOf(route, earliestToday(now)), now);
  await linkRouteQueries(db, route.id, queryIds, now);
  const recent = await latestObservations(db, queryIds, new Date(now.getTime() - FIRST_PRICE_WINDOW_MS));
  await applyObservations(db, recent, earliestToday(now));
  await targetsObserved(
    db,
    recent.map((o) => ({ queryId: o.queryId, observedAt: o.observedAt, nextDueAt: nextRefresh(o.queryId, o.departureDate, o.observedAt, ctx.config.tracking.cadence) })),
  );
}

/** Starts tracking a route for the user, within their allowance. */
export async function trackRoute(ctx: TrackingContext, userId: string, input: TrackRouteInput): Promise<TrackedRouteView> {
  const definition = definitionFrom(ctx, input);
  const now = ctx.clock();
  const limit = ctx.config.tracking.routesPerUser;
  const id = await ctx.db.transaction(async (tx) => {
    if ((await countTrackedRoutes(tx, userId)) >= limit) {
      throw new LimitReachedError(`You are tracking ${limit} routes, the most an account may; delete one to track another.`);
    }
    const route = await insertTrackedRoute(tx, userId, definition, now);
    await addDefaultAlerts(tx, userId, route.id, now);
    await attachQueries(ctx, tx, route, now);
    return route.id;
  });
  return getTrackedRoute(ctx, userId, id);
}

export async function listTracked(ctx: TrackingContext, userId: string): Promise<TrackedRouteView[]> {
  return views(ctx, await listTrackedRoutes(ctx.db, userId));
}

const NOT_YOURS = "You have no tracked route with this id.";

export async function getTrackedRoute(ctx: TrackingContext, userId: string, id: string): Promise<TrackedRouteView> {
  const row = await findTrackedRoute(ctx.db, userId, id);
  if (!row) throw new NotFoundError(NOT_YOURS);
  return (await views(ctx, [row]))[0]!;
}

/** The stored route as input again, to merge a change into and check as a whole. */
function inputOf(row: TrackedRouteRow): TrackRouteInput {
  return {
    kind: row.kind,
    originCode: row.origin,
    destinationCode: row.destination,
    departureDate: row.departureDate ?? undefined,
    returnDate: row.returnDate ?? undefined,
    departFrom: row.departFrom ?? undefined,
    departTo: row.departTo ?? undefined,
    nights: row.nightsMin === null ? undefined : { min: row.nightsMin, max: row.nightsMax! },
    cabin: row.cabin,
    adults: row.adults,
    children: row.children,
    infants: row.infants,
    currency: row.currency,
    maxStops: row.maxStops,
    airlines: row.airlines,
    flightNumbers: row.flightNumbers ?? undefined,
  };
}

/**
 * Pauses, resumes or redefines one of the user's routes. A new definition is checked whole and
 * starts the route's price history again (the old one was of another search).
 */
export async function updateTracked(ctx: TrackingContext, userId: string, id: string, patch: UpdateTrackedRouteInput): Promise<TrackedRouteView> {
  const now = ctx.clock();
  await ctx.db.transaction(async (tx) => {
    const row = await findTrackedRoute(tx, userId, id);
    if (!row) throw new NotFoundError(NOT_YOURS);
    const { status, ...changes } = patch;
    const merged: TrackRouteInput = { ...inputOf(row) };
    for (const [key, value] of Object.entries(changes) as [keyof typeof changes, unknown][]) {
      if (value === undefined) continue;
      (merged as unknown as Record<string, unknown>)[key] = value === null ? undefined : value;
    }
    const redefined = Object.values(changes).some((v) => v !== undefined);
    if (!redefined) {
      await updateTrackedRouteRow(tx, userId, id, { status }, { resetState: false, at: now });
      return;
    }
    const problems = definitionProblems(merged, earliestToday(now));
    if (problems.length > 0) {
      const fields: Record<string, string[]> = {};
      for (const [field, message] of problems) (fields[field] ??= []).push(message);
      throw new ValidationError(fields);
    }
    const definition = definitionFrom(ctx, merged);
    const updated = await updateTrackedRouteRow(tx, userId, id, { ...definition, ...(status ? { status } : {}) }, { resetState: true, at: now });
    await unlinkRouteQueries(tx, id);
    await resetRuleStates(tx, id, now);
    await attachQueries(ctx, tx, updated!, now);
  });
  return getTrackedRoute(ctx, userId, id);
}

export async function untrack(ctx: TrackingContext, userId: string, id: string): Promise<void> {
  if (!(await deleteTrackedRoute(ctx.db, userId, id))) throw new NotFoundError(NOT_YOURS);
}
