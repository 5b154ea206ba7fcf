CREATE TABLE "alert_rule" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tracked_route_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"target_minor" bigint,
	"drop_percent" double precision,
	"drop_minor" bigint,
	"floor_minor" bigint,
	"floor_percent" double precision,
	"cooldown_hours" integer DEFAULT 24 NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"state" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "alert_rule_kind_check" CHECK ("alert_rule"."kind" IN ('below_target', 'drop', 'new_low', 'insight_low')),
	CONSTRAINT "alert_rule_target_check" CHECK (("alert_rule"."kind" = 'below_target') = ("alert_rule"."target_minor" IS NOT NULL)),
	CONSTRAINT "alert_rule_drop_check" CHECK ("alert_rule"."kind" <> 'drop' OR "alert_rule"."drop_percent" IS NOT NULL OR "alert_rule"."drop_minor" IS NOT NULL),
	CONSTRAINT "alert_rule_cooldown_check" CHECK ("alert_rule"."cooldown_hours" BETWEEN 0 AND 720)
);
--> statement-breakpoint
CREATE TABLE "delivery_attempt" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "delivery_attempt_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"channel_id" uuid NOT NULL,
	"delivery_id" uuid,
	"attempted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ok" boolean NOT NULL,
	"status_code" integer,
	"error" text,
	"duration_ms" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notification" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"tracked_route_id" uuid NOT NULL,
	"rule_id" uuid,
	"observed_at" timestamp with time zone NOT NULL,
	"kind" text NOT NULL,
	"reasons" jsonb NOT NULL,
	"price_minor" bigint NOT NULL,
	"previous_price_minor" bigint,
	"reference_minor" bigint,
	"currency" text NOT NULL,
	"departure_date" date,
	"return_date" date,
	"level" text,
	"simulated" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"read_at" timestamp with time zone,
	CONSTRAINT "notification_rule_observed_key" UNIQUE("rule_id","observed_at")
);
--> statement-breakpoint
CREATE TABLE "notification_channel" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"target" text NOT NULL,
	"secret_sealed" text,
	"enabled" boolean DEFAULT true NOT NULL,
	"disabled_reason" text,
	"consecutive_failures" integer DEFAULT 0 NOT NULL,
	"last_success_at" timestamp with time zone,
	"last_failure_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notification_channel_user_kind_target_key" UNIQUE("user_id","kind","target"),
	CONSTRAINT "notification_channel_kind_check" CHECK ("notification_channel"."kind" IN ('email', 'webhook', 'ntfy'))
);
--> statement-breakpoint
CREATE TABLE "notification_delivery" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"notification_id" uuid NOT NULL,
	"channel_id" uuid NOT NULL,
	"status" text NOT NULL,
	"attempts" smallint DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone,
	"last_status_code" integer,
	"last_error" text,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notification_delivery_notification_channel_key" UNIQUE("notification_id","channel_id"),
	CONSTRAINT "notification_delivery_status_check" CHECK ("notification_delivery"."status" IN ('pending', 'sent', 'failed', 'skipped', 'digest'))
);
--> statement-breakpoint
CREATE TABLE "notification_preference" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"mode" text DEFAULT 'instant' NOT NULL,
	"time_zone" text DEFAULT 'UTC' NOT NULL,
	"quiet_start" smallint,
	"quiet_end" smallint,
	"daily_cap" integer DEFAULT 20 NOT NULL,
	"digest_hour" smallint DEFAULT 8 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notification_preference_mode_check" CHECK ("notification_preference"."mode" IN ('instant', 'digest')),
	CONSTRAINT "notification_preference_quiet_check" CHECK (("notification_preference"."quiet_start" IS NULL) = ("notification_preference"."quiet_end" IS NULL))
);
--> statement-breakpoint
CREATE TABLE "tracked_route_mute" (
	"tracked_route_id" uuid NOT NULL,
	"channel_id" uuid NOT NULL,
	CONSTRAINT "tracked_route_mute_pk" PRIMARY KEY("tracked_route_id","channel_id")
);
--> statement-breakpoint
ALTER TABLE "alert_rule" ADD CONSTRAINT "alert_rule_tracked_route_id_tracked_route_id_fk" FOREIGN KEY ("tracked_route_id") REFERENCES "public"."tracked_route"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_rule" ADD CONSTRAINT "alert_rule_user_id_app_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."app_user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_attempt" ADD CONSTRAINT "delivery_attempt_channel_id_notification_channel_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."notification_channel"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_attempt" ADD CONSTRAINT "delivery_attempt_delivery_id_notification_delivery_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."notification_delivery"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification" ADD CONSTRAINT "notification_user_id_app_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."app_user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification" ADD CONSTRAINT "notification_tracked_route_id_tracked_route_id_fk" FOREIGN KEY ("tracked_route_id") REFERENCES "public"."tracked_route"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification" ADD CONSTRAINT "notification_rule_id_alert_rule_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."alert_rule"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_channel" ADD CONSTRAINT "notification_channel_user_id_app_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."app_user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_delivery" ADD CONSTRAINT "notification_delivery_notification_id_notification_id_fk" FOREIGN KEY ("notification_id") REFERENCES "public"."notification"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_delivery" ADD CONSTRAINT "notification_delivery_channel_id_notification_channel_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."notification_channel"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_preference" ADD CONSTRAINT "notification_preference_user_id_app_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."app_user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracked_route_mute" ADD CONSTRAINT "tracked_route_mute_tracked_route_id_tracked_route_id_fk" FOREIGN KEY ("tracked_route_id") REFERENCES "public"."tracked_route"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracked_route_mute" ADD CONSTRAINT "tracked_route_mute_channel_id_notification_channel_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."notification_channel"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alert_rule_tracked_route_id_idx" ON "alert_rule" USING btree ("tracked_route_id");--> statement-breakpoint
CREATE INDEX "alert_rule_user_id_idx" ON "alert_rule" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "delivery_attempt_channel_idx" ON "delivery_attempt" USING btree ("channel_id","attempted_at");--> statement-breakpoint
CREATE INDEX "delivery_attempt_delivery_idx" ON "delivery_attempt" USING btree ("delivery_id");--> statement-breakpoint
CREATE INDEX "notification_user_created_idx" ON "notification" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "notification_user_unread_idx" ON "notification" USING btree ("user_id") WHERE "notification"."read_at" IS NULL;--> statement-breakpoint
CREATE INDEX "notification_tracked_route_idx" ON "notification" USING btree ("tracked_route_id","created_at");--> statement-breakpoint
CREATE INDEX "notification_delivery_channel_idx" ON "notification_delivery" USING btree ("channel_id","created_at");--> statement-breakpoint
CREATE INDEX "notification_delivery_waiting_idx" ON "notification_delivery" USING btree ("status") WHERE "notification_delivery"."status" IN ('pending', 'digest');--> statement-breakpoint
-- Routes tracked before alerts existed get the default rules (a new low by 1%, a 10% drop), their
-- baseline at the route's current price.
INSERT INTO "alert_rule" ("tracked_route_id", "user_id", "kind", "floor_percent", "drop_percent", "state")
SELECT r."id", r."user_id", d."kind", d."floor_percent", d."drop_percent",
  jsonb_build_object('baselineMinor', r."current_price_minor", 'lowestMinor', r."current_price_minor", 'lastAlertMinor', NULL, 'lastAlertAt', NULL, 'armed', true)
FROM "tracked_route" r CROSS JOIN (VALUES ('new_low', 1::double precision, NULL::double precision), ('drop', NULL, 10)) AS d("kind", "floor_percent", "drop_percent");
