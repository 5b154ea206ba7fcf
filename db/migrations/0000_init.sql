CREATE TYPE "public"."cabin" AS ENUM('economy', 'premium_economy', 'business', 'first');--> statement-breakpoint
CREATE TABLE "airline" (
	"code" text PRIMARY KEY NOT NULL,
	"icao_code" text,
	"name" text NOT NULL,
	"callsign" text,
	"country_code" text,
	"country_name" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "airline_code_check" CHECK ("airline"."code" ~ '^[A-Z0-9]{2}$')
);
--> statement-breakpoint
CREATE TABLE "airport" (
	"code" text PRIMARY KEY NOT NULL,
	"icao_code" text,
	"name" text NOT NULL,
	"city" text,
	"country_code" text NOT NULL,
	"country_name" text NOT NULL,
	"latitude" double precision NOT NULL,
	"longitude" double precision NOT NULL,
	"time_zone" text NOT NULL,
	"type" text NOT NULL,
	"size_rank" smallint NOT NULL,
	"longest_runway_ft" integer,
	"metro_code" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "airport_code_check" CHECK ("airport"."code" ~ '^[A-Z]{3}$')
);
--> statement-breakpoint
CREATE TABLE "app_setting" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "metro_area" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"country_code" text NOT NULL,
	"country_name" text NOT NULL,
	CONSTRAINT "metro_area_code_check" CHECK ("metro_area"."code" ~ '^[A-Z]{3}$')
);
--> statement-breakpoint
CREATE TABLE "place_search_term" (
	"term" text COLLATE "C" NOT NULL,
	"code" text NOT NULL,
	"kind" text NOT NULL,
	"weight" smallint NOT NULL,
	CONSTRAINT "place_search_term_pk" PRIMARY KEY("term","code")
);
--> statement-breakpoint
CREATE TABLE "flight_query" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "flight_query_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"origin" text NOT NULL,
	"destination" text NOT NULL,
	"departure_date" date NOT NULL,
	"return_date" date,
	"cabin" "cabin" NOT NULL,
	"adults" smallint DEFAULT 1 NOT NULL,
	"children" smallint DEFAULT 0 NOT NULL,
	"infants" smallint DEFAULT 0 NOT NULL,
	"currency" text NOT NULL,
	"first_searched_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_searched_at" timestamp with time zone DEFAULT now() NOT NULL,
	"search_count" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "flight_query_canonical_key" UNIQUE NULLS NOT DISTINCT("origin","destination","departure_date","return_date","cabin","adults","children","infants","currency"),
	CONSTRAINT "flight_query_codes_check" CHECK ("flight_query"."origin" ~ '^[A-Z]{3}$' AND "flight_query"."destination" ~ '^[A-Z]{3}$' AND "flight_query"."origin" <> "flight_query"."destination"),
	CONSTRAINT "flight_query_dates_check" CHECK ("flight_query"."return_date" IS NULL OR "flight_query"."return_date" >= "flight_query"."departure_date"),
	CONSTRAINT "flight_query_party_check" CHECK ("flight_query"."adults" BETWEEN 1 AND 9 AND "flight_query"."children" >= 0 AND "flight_query"."infants" BETWEEN 0 AND "flight_query"."adults" AND "flight_query"."adults" + "flight_query"."children" + "flight_query"."infants" <= 9),
	CONSTRAINT "flight_query_currency_check" CHECK ("flight_query"."currency" ~ '^[A-Z]{3}$')
);
--> statement-breakpoint
CREATE TABLE "price_snapshot" (
	"observed_at" timestamp with time zone NOT NULL,
	"query_id" bigint NOT NULL,
	"provider" text NOT NULL,
	"itinerary_key" text NOT NULL,
	"origin" text NOT NULL,
	"destination" text NOT NULL,
	"departure_date" date NOT NULL,
	"return_date" date,
	"cabin" "cabin" NOT NULL,
	"carriers" text[] NOT NULL,
	"flight_numbers" text[] NOT NULL,
	"stops" smallint NOT NULL,
	"departure_at" timestamp with time zone NOT NULL,
	"arrival_at" timestamp with time zone NOT NULL,
	"return_departure_at" timestamp with time zone,
	"return_arrival_at" timestamp with time zone,
	"duration_minutes" integer NOT NULL,
	"price_minor" bigint NOT NULL,
	"price_per_adult_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"deep_link" text,
	"offer_ref" text,
	"offer_expires_at" timestamp with time zone,
	CONSTRAINT "price_snapshot_pk" PRIMARY KEY("query_id","provider","itinerary_key","observed_at"),
	CONSTRAINT "price_snapshot_price_check" CHECK ("price_snapshot"."price_minor" >= 0 AND "price_snapshot"."price_per_adult_minor" >= 0),
	CONSTRAINT "price_snapshot_stops_check" CHECK ("price_snapshot"."stops" >= 0 AND "price_snapshot"."duration_minutes" > 0)
);
--> statement-breakpoint
ALTER TABLE "airport" ADD CONSTRAINT "airport_metro_code_metro_area_code_fk" FOREIGN KEY ("metro_code") REFERENCES "public"."metro_area"("code") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "price_snapshot" ADD CONSTRAINT "price_snapshot_query_id_flight_query_id_fk" FOREIGN KEY ("query_id") REFERENCES "public"."flight_query"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "airport_metro_code_idx" ON "airport" USING btree ("metro_code");--> statement-breakpoint
CREATE INDEX "airport_country_code_idx" ON "airport" USING btree ("country_code");--> statement-breakpoint
CREATE INDEX "place_search_term_code_idx" ON "place_search_term" USING btree ("code");--> statement-breakpoint
CREATE INDEX "price_snapshot_route_departure_idx" ON "price_snapshot" USING btree ("origin","destination","departure_date","observed_at");