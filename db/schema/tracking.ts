import { sql } from "drizzle-orm";
import { bigint, boolean, check, date, index, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { appUser } from "./auth";
import { cabin, flightQuery } from "./prices";

/**
 * Tracked routes and their scheduled ingestion (issue 11): what users follow, the distinct
 * canonical queries that refresh them, each refresh run, and the events the alerts consume.
 */

// The same lists as TRACKED_KINDS and TRACKED_STATUSES in server/core/tracking.ts (a test checks).
export const trackedKindValues = ["exact", "flexible", "itinerary"] as const;
export const trackedStatusValues = ["active", "paused"] as const;
export const ingestionRunStatusValues = ["running", "succeeded", "failed"] as const;
/** What became of a job whose every attempt failed (its last run carries it): see server/services/admin/failures.ts. */
export const ingestionResolutionValues = ["dead", "retried", "discarded"] as const;

/**
 * A route a user follows. Exact dates: `departure_date` (and `return_date`). Flexible:
 * departures from `depart_from` to `depart_to`, for a round trip `nights_min`..`nights_max`
 * nights away; its price is the lowest across all of them. One itinerary: exact dates plus the
 * `flight_numbers` of that itinerary, followed even when others are cheaper. The `current_*`,
 * `first_*` and `previous_*` columns are the state that each observation of its queries updates.
 */
export const trackedRoute = pgTable(
  "tracked_route",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => appUser.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: trackedKindValues }).notNull(),
    status: text("status", { enum: trackedStatusValues }).notNull().default("active"),
    origin: text("origin").notNull(),
    destination: text("destination").notNull(),
    departureDate: date("departure_date", { mode: "string" }),
    returnDate: date("return_date", { mode: "string" }),
    departFrom: date("depart_from", { mode: "string" }),
    departTo: date("depart_to", { mode: "string" }),
    nightsMin: smallint("nights_min"),
    nightsMax: smallint("nights_max"),
    cabin: cabin("cabin").notNull(),
    adults: smallint("adults").notNull().default(1),
    children: smallint("children").notNull().default(0),
    infants: smallint("infants").notNull().default(0),
    currency: text("currency").notNull(),
    maxStops: smallint("max_stops"),
    /** Only itineraries flown entirely by these airlines. */
    airlines: text("airlines").array(),
    /** One itinerary: its flight numbers, outbound then return, as price_snapshot keeps them. */
    flightNumbers: text("flight_numbers").array(),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    /** The price when tracking began (its first observation), for "change since tracking began". */
    firstPriceMinor: bigint("first_price_minor", { mode: "number" }),
    /** The lowest total price for the party at the last check, and where it was found. */
    currentPriceMinor: bigint("current_price_minor", { mode: "number" }),
    currentDepartureDate: date("current_departure_date", { mode: "string" }),
    currentReturnDate: date("current_return_date", { mode: "string" }),
    currentItineraryKey: text("current_itinerary_key"),
    currentProvider: text("current_provider"),
    /** The price came from the simulated market: shown labelled as such. */
    currentSimulated: boolean("current_simulated"),
    /** The price at the check before, for "change since the last check". */
    previousPriceMinor: bigint("previous_price_minor", { mode: "number" }),
    lastCheckedAt: timestamp("last_checked_at", { withTimezone: true, mode: "date" }),
  },
  (t) => [
    index("tracked_route_user_id_idx").on(t.userId, t.createdAt),
    check("tracked_route_kind_check", sql`${t.kind} IN ('exact', 'flexible', 'itinerary')`),
    check("tracked_route_status_check", sql`${t.status} IN ('active', 'paused')`),
    check(
      "tracked_route_dates_check",
      sql`CASE ${t.kind} WHEN 'flexible' THEN ${t.departFrom} IS NOT NULL AND ${t.departTo} >= ${t.departFrom} AND ${t.departureDate} IS NULL
        ELSE ${t.departureDate} IS NOT NULL AND (${t.returnDate} IS NULL OR ${t.returnDate} >= ${t.departureDate}) END`,
    ),
    check("tracked_route_nights_check", sql`(${t.nightsMin} IS NULL) = (${t.nightsMax} IS NULL) AND (${t.nightsMin} IS NULL OR ${t.nightsMin} BETWEEN 0 AND ${t.nightsMax})`),
    check("tracked_route_itinerary_check", sql`(${t.kind} = 'itinerary') = (${t.flightNumbers} IS NOT NULL)`),
  ],
);

/**
 * The concrete canonical queries a tracked route is refreshed by (one; a flexible one, several),
 * each with the lowest price that passes the route's filters at its latest observation: the
 * route's price is the lowest of these.
 */
export const trackedRouteQuery = pgTable(
  "tracked_route_query",
  {
    trackedRouteId: uuid("tracked_route_id")
      .notNull()
      .references(() => trackedRoute.id, { onDelete: "cascade" }),
    queryId: bigint("query_id", { mode: "number" })
      .notNull()
      .references(() => flightQuery.id, { onDelete: "cascade" }),
    observedAt: timestamp("observed_at", { withTimezone: true, mode: "date" }),
    lowPriceMinor: bigint("low_price_minor", { mode: "number" }),
    lowItineraryKey: text("low_itinerary_key"),
    lowProvider: text("low_provider"),
    lowSimulated: boolean("low_simulated"),
  },
  (t) => [primaryKey({ name: "tracked_route_query_pk", columns: [t.trackedRouteId, t.queryId] }), index("tracked_route_query_query_id_idx").on(t.queryId)],
);

/**
 * When each distinct query that an active tracked route needs is next refreshed: one row per
 * query however many routes and users track it. A live search of the query counts as a refresh.
 */
export const ingestionTarget = pgTable(
  "ingestion_target",
  {
    queryId: bigint("query_id", { mode: "number" })
      .primaryKey()
      .references(() => flightQuery.id, { onDelete: "cascade" }),
    nextDueAt: timestamp("next_due_at", { withTimezone: true, mode: "date" }).notNull(),
    lastObservedAt: timestamp("last_observed_at", { withTimezone: true, mode: "date" }),
    /** When the scheduler last handed it to the queue; it is not handed again while that job may run. */
    enqueuedAt: timestamp("enqueued_at", { withTimezone: true, mode: "date" }),
  },
  (t) => [index("ingestion_target_next_due_at_idx").on(t.nextDueAt)],
);

/** What one provider did in one run, as ingestion_run.providers keeps it. */
export interface RunProviderReport {
  provider: string;
  status: string;
  offers: number;
  latencyMs: number;
  error?: string;
}

/** One attempt of one ingestion job: what it asked, what came back, what it wrote. */
export const ingestionRun = pgTable(
  "ingestion_run",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    jobId: text("job_id").notNull(),
    attempt: smallint("attempt").notNull(),
    queryId: bigint("query_id", { mode: "number" })
      .notNull()
      .references(() => flightQuery.id, { onDelete: "cascade" }),
    status: text("status", { enum: ingestionRunStatusValues }).notNull(),
    startedAt: timestamp("started_at", { withTimezone: true, mode: "date" }).notNull(),
    finishedAt: timestamp("finished_at", { withTimezone: true, mode: "date" }),
    durationMs: integer("duration_ms"),
    /** When the target was due: start minus this is the scheduler's lag. */
    dueAt: timestamp("due_at", { withTimezone: true, mode: "date" }),
    providers: jsonb("providers").$type<RunProviderReport[]>().notNull().default([]),
    offers: integer("offers").notNull().default(0),
    snapshotsWritten: integer("snapshots_written").notNull().default(0),
    /** The observation it wrote (its snapshots' observed_at). */
    observedAt: timestamp("observed_at", { withTimezone: true, mode: "date" }),
    error: text("error"),
    /**
     * On the last attempt of a job that failed every one: `dead` (dead-lettered, waiting for an
     * admin), then `retried` (a new job runs it again: `retry_job_id`) or `discarded`.
     */
    resolution: text("resolution", { enum: ingestionResolutionValues }),
    resolvedAt: timestamp("resolved_at", { withTimezone: true, mode: "date" }),
    resolvedBy: uuid("resolved_by").references(() => appUser.id, { onDelete: "set null" }),
    retryJobId: text("retry_job_id"),
  },
  (t) => [
    unique("ingestion_run_job_attempt_key").on(t.jobId, t.attempt),
    index("ingestion_run_started_at_idx").on(t.startedAt),
    index("ingestion_run_query_id_started_at_idx").on(t.queryId, t.startedAt),
    // The console's runs filtered by state, and its failures (grouped) and dead letters.
    index("ingestion_run_status_started_at_idx").on(t.status, t.startedAt),
    index("ingestion_run_dead_idx").on(t.startedAt).where(sql`${t.resolution} = 'dead'`),
    check("ingestion_run_status_check", sql`${t.status} IN ('running', 'succeeded', 'failed')`),
    check("ingestion_run_resolution_check", sql`${t.resolution} IS NULL OR ${t.resolution} IN ('dead', 'retried', 'discarded')`),
  ],
);

/** A tracked route's price, one point per hour it was checked: its sparkline and history. */
export const trackedRoutePoint = pgTable(
  "tracked_route_point",
  {
    trackedRouteId: uuid("tracked_route_id")
      .notNull()
      .references(() => trackedRoute.id, { onDelete: "cascade" }),
    hour: timestamp("hour", { withTimezone: true, mode: "date" }).notNull(),
    priceMinor: bigint("price_minor", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ name: "tracked_route_point_pk", columns: [t.trackedRouteId, t.hour] })],
);

/**
 * Events written in the same transaction as what caused them (an observation of a tracked
 * route's prices): none is lost when the process dies after the commit, and the unique key makes
 * writing one twice a no-op. Consumers (the alerts) mark what they have handled.
 */
export const eventOutbox = pgTable(
  "event_outbox",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    topic: text("topic").notNull(),
    key: text("key").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    processedAt: timestamp("processed_at", { withTimezone: true, mode: "date" }),
  },
  (t) => [unique("event_outbox_topic_key_key").on(t.topic, t.key), index("event_outbox_pending_idx").on(t.topic, t.id).where(sql`${t.processedAt} IS NULL`)],
);
