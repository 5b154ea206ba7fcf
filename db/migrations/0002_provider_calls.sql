CREATE TABLE "provider_call" (
	"observed_at" timestamp with time zone NOT NULL,
	"query_id" bigint NOT NULL,
	"provider" text NOT NULL,
	"status" text NOT NULL,
	"latency_ms" integer NOT NULL,
	"offer_count" integer NOT NULL,
	"attempts" smallint NOT NULL,
	"error" text,
	CONSTRAINT "provider_call_pk" PRIMARY KEY("query_id","provider","observed_at"),
	CONSTRAINT "provider_call_status_check" CHECK ("provider_call"."status" IN ('ok', 'error', 'timeout', 'circuit_open')),
	CONSTRAINT "provider_call_counts_check" CHECK ("provider_call"."latency_ms" >= 0 AND "provider_call"."offer_count" >= 0 AND "provider_call"."attempts" >= 0)
);
--> statement-breakpoint
ALTER TABLE "price_snapshot" ADD COLUMN "simulated" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "provider_call" ADD CONSTRAINT "provider_call_query_id_flight_query_id_fk" FOREIGN KEY ("query_id") REFERENCES "public"."flight_query"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "provider_call_provider_observed_at_idx" ON "provider_call" USING btree ("provider","observed_at");