CREATE TABLE "event_outbox" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "event_outbox_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"topic" text NOT NULL,
	"key" text NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone,
	CONSTRAINT "event_outbox_topic_key_key" UNIQUE("topic","key")
);
--> statement-breakpoint
CREATE TABLE "ingestion_run" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "ingestion_run_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"job_id" text NOT NULL,
	"attempt" smallint NOT NULL,
	"query_id" bigint NOT NULL,
	"status" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"duration_ms" integer,
	"due_at" timestamp with time zone,
	"providers" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"offers" integer DEFAULT 0 NOT NULL,
	"snapshots_written" integer DEFAULT 0 NOT NULL,
	"observed_at" timestamp with time zone,
	"error" text,
	CONSTRAINT "ingestion_run_job_attempt_key" UNIQUE("job_id","attempt"),
	CONSTRAINT "ingestion_run_status_check" CHECK ("ingestion_run"."status" IN ('running', 'succeeded', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "ingestion_target" (
	"query_id" bigint PRIMARY KEY NOT NULL,
	"next_due_at" timestamp with time zone NOT NULL,
	"last_observed_at" timestamp with time zone,
	"enqueued_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "tracked_route" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"origin" text NOT NULL,
	"destination" text NOT NULL,
	"departure_date" date,
	"return_date" date,
	"depart_from" date,
	"depart_to" date,
	"nights_min" smallint,
	"nights_max" smallint,
	"cabin" "cabin" NOT NULL,
	"adults" smallint DEFAULT 1 NOT NULL,
	"children" smallint DEFAULT 0 NOT NULL,
	"infants" smallint DEFAULT 0 NOT NULL,
	"currency" text NOT NULL,
	"max_stops" smallint,
	"airlines" text[],
	"flight_numbers" text[],
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"first_price_minor" bigint,
	"current_price_minor" bigint,
	"current_departure_date" date,
	"current_return_date" date,
	"current_itinerary_key" text,
	"current_provider" text,
	"current_simulated" boolean,
	"previous_price_minor" bigint,
	"last_checked_at" timestamp with time zone,
	CONSTRAINT "tracked_route_kind_check" CHECK ("tracked_route"."kind" IN ('exact', 'flexible', 'itinerary')),
	CONSTRAINT "tracked_route_status_check" CHECK ("tracked_route"."status" IN ('active', 'paused')),
	CONSTRAINT "tracked_route_dates_check" CHECK (CASE "tracked_route"."kind" WHEN 'flexible' THEN "tracked_route"."depart_from" IS NOT NULL AND "tracked_route"."depart_to" >= "tracked_route"."depart_from" AND "tracked_route"."departure_date" IS NULL
        ELSE "tracked_route"."departure_date" IS NOT NULL AND ("tracked_route"."return_date" IS NULL OR "tracked_route"."return_date" >= "tracked_route"."departure_date") END),
	CONSTRAINT "tracked_route_nights_check" CHECK (("tracked_route"."nights_min" IS NULL) = ("tracked_route"."nights_max" IS NULL) AND ("tracked_route"."nights_min" IS NULL OR "tracked_route"."nights_min" BETWEEN 0 AND "tracked_route"."nights_max")),
	CONSTRAINT "tracked_route_itinerary_check" CHECK (("tracked_route"."kind" = 'itinerary') = ("tracked_route"."flight_numbers" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "tracked_route_point" (
	"tracked_route_id" uuid NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"price_minor" bigint NOT NULL,
	CONSTRAINT "tracked_route_point_pk" PRIMARY KEY("tracked_route_id","hour")
);
--> statement-breakpoint
CREATE TABLE "tracked_route_query" (
	"tracked_route_id" uuid NOT NULL,
	"query_id" bigint NOT NULL,
	"observed_at" timestamp with time zone,
	"low_price_minor" bigint,
	"low_itinerary_key" text,
	"low_provider" text,
	"low_simulated" boolean,
	CONSTRAINT "tracked_route_query_pk" PRIMARY KEY("tracked_route_id","query_id")
);
--> statement-breakpoint
ALTER TABLE "ingestion_run" ADD CONSTRAINT "ingestion_run_query_id_flight_query_id_fk" FOREIGN KEY ("query_id") REFERENCES "public"."flight_query"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ingestion_target" ADD CONSTRAINT "ingestion_target_query_id_flight_query_id_fk" FOREIGN KEY ("query_id") REFERENCES "public"."flight_query"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracked_route" ADD CONSTRAINT "tracked_route_user_id_app_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."app_user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracked_route_point" ADD CONSTRAINT "tracked_route_point_tracked_route_id_tracked_route_id_fk" FOREIGN KEY ("tracked_route_id") REFERENCES "public"."tracked_route"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracked_route_query" ADD CONSTRAINT "tracked_route_query_tracked_route_id_tracked_route_id_fk" FOREIGN KEY ("tracked_route_id") REFERENCES "public"."tracked_route"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracked_route_query" ADD CONSTRAINT "tracked_route_query_query_id_flight_query_id_fk" FOREIGN KEY ("query_id") REFERENCES "public"."flight_query"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "event_outbox_pending_idx" ON "event_outbox" USING btree ("topic","id") WHERE "event_outbox"."processed_at" IS NULL;--> statement-breakpoint
CREATE INDEX "ingestion_run_started_at_idx" ON "ingestion_run" USING btree ("started_at");--> statement-breakpoint
CREATE INDEX "ingestion_run_query_id_started_at_idx" ON "ingestion_run" USING btree ("query_id","started_at");--> statement-breakpoint
CREATE INDEX "ingestion_target_next_due_at_idx" ON "ingestion_target" USING btree ("next_due_at");--> statement-breakpoint
CREATE INDEX "tracked_route_user_id_idx" ON "tracked_route" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "tracked_route_query_query_id_idx" ON "tracked_route_query" USING btree ("query_id");--> statement-breakpoint
-- Hand-written: retention (server/jobs/retention) deletes old snapshots on PostgreSQL without
-- TimescaleDB with the setting flight_tracker.retention on; the daily rollup then keeps the
-- figures of those days instead of recomputing them from what is left (nothing).
DO $outer$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_proc WHERE proname = 'price_daily_rollup_recompute') THEN
    CREATE OR REPLACE FUNCTION price_daily_rollup_recompute() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
      IF current_setting('flight_tracker.retention', true) = 'on' THEN
        RETURN NULL;
      END IF;
      DELETE FROM price_daily_rollup r
      USING (
        SELECT DISTINCT date_trunc('day', observed_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS day,
               origin, destination, departure_date, return_date, cabin, currency
        FROM changed_rows
      ) a
      WHERE r.origin = a.origin AND r.destination = a.destination AND r.day = a.day
        AND r.departure_date = a.departure_date AND r.return_date IS NOT DISTINCT FROM a.return_date
        AND r.cabin = a.cabin AND r.currency = a.currency;

      INSERT INTO price_daily_rollup
        (day, origin, destination, departure_date, return_date, cabin, currency,
         min_price_minor, sum_price_minor, max_price_minor, sample_count)
      SELECT a.day, a.origin, a.destination, a.departure_date, a.return_date, a.cabin, a.currency,
             min(s.price_per_adult_minor), sum(s.price_per_adult_minor), max(s.price_per_adult_minor), count(*)
      FROM (
        SELECT DISTINCT date_trunc('day', observed_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS day,
               origin, destination, departure_date, return_date, cabin, currency
        FROM changed_rows
      ) a
      JOIN price_snapshot s
        ON s.origin = a.origin AND s.destination = a.destination AND s.departure_date = a.departure_date
       AND s.observed_at >= a.day AND s.observed_at < a.day + INTERVAL '1 day'
       AND s.return_date IS NOT DISTINCT FROM a.return_date AND s.cabin = a.cabin AND s.currency = a.currency
      GROUP BY 1, 2, 3, 4, 5, 6, 7
      ORDER BY 2, 3, 1, 4, 5, 6, 7
      ON CONFLICT ON CONSTRAINT price_daily_rollup_key DO UPDATE SET
        min_price_minor = excluded.min_price_minor,
        sum_price_minor = excluded.sum_price_minor,
        max_price_minor = excluded.max_price_minor,
        sample_count = excluded.sample_count;
      RETURN NULL;
    END
    $fn$;
  END IF;
END
$outer$;
