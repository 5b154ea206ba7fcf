ALTER TABLE "ingestion_run" ADD COLUMN "resolution" text;--> statement-breakpoint
ALTER TABLE "ingestion_run" ADD COLUMN "resolved_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "ingestion_run" ADD COLUMN "resolved_by" uuid;--> statement-breakpoint
ALTER TABLE "ingestion_run" ADD COLUMN "retry_job_id" text;--> statement-breakpoint
ALTER TABLE "ingestion_run" ADD CONSTRAINT "ingestion_run_resolved_by_app_user_id_fk" FOREIGN KEY ("resolved_by") REFERENCES "public"."app_user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
-- Hand-edited: IF NOT EXISTS. TimescaleDB made this index with the hypertable (its default time
-- index, same name and column), so only plain PostgreSQL creates it here.
CREATE INDEX IF NOT EXISTS "provider_call_observed_at_idx" ON "provider_call" USING btree ("observed_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "ingestion_run_status_started_at_idx" ON "ingestion_run" USING btree ("status","started_at");--> statement-breakpoint
CREATE INDEX "ingestion_run_dead_idx" ON "ingestion_run" USING btree ("started_at") WHERE "ingestion_run"."resolution" = 'dead';--> statement-breakpoint
CREATE INDEX "notification_delivery_created_at_idx" ON "notification_delivery" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "notification_delivery_failed_idx" ON "notification_delivery" USING btree ("created_at") WHERE "notification_delivery"."status" = 'failed';--> statement-breakpoint
ALTER TABLE "ingestion_run" ADD CONSTRAINT "ingestion_run_resolution_check" CHECK ("ingestion_run"."resolution" IS NULL OR "ingestion_run"."resolution" IN ('dead', 'retried', 'discarded'));