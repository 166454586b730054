CREATE TABLE "access_token" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"entity_id" uuid,
	"role" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	CONSTRAINT "access_token_token_hash_key" UNIQUE("token_hash"),
	CONSTRAINT "access_token_role_check" CHECK ("access_token"."role" in ('admin','secretary','operator'))
);
--> statement-breakpoint
CREATE TABLE "kiosk_heartbeat_day" (
	"kiosk_id" uuid NOT NULL,
	"day" date NOT NULL,
	"beats" integer DEFAULT 1 NOT NULL,
	"first_at" timestamp with time zone NOT NULL,
	"last_at" timestamp with time zone NOT NULL,
	CONSTRAINT "kiosk_heartbeat_day_pkey" PRIMARY KEY("kiosk_id","day")
);
--> statement-breakpoint
CREATE TABLE "kiosk_service" (
	"kiosk_id" uuid NOT NULL,
	"service_id" uuid NOT NULL,
	CONSTRAINT "kiosk_service_pkey" PRIMARY KEY("kiosk_id","service_id")
);
--> statement-breakpoint
CREATE TABLE "kiosk" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"entity_id" uuid NOT NULL,
	"office_id" uuid NOT NULL,
	"desk_id" uuid,
	"name" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"token_hash" text,
	"paired_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"last_seen_at" timestamp with time zone,
	"app_version" text,
	"queue_depth" integer,
	"last_sync_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "kiosk_entity_name_key" UNIQUE("entity_id","name"),
	CONSTRAINT "kiosk_token_hash_key" UNIQUE("token_hash"),
	CONSTRAINT "kiosk_status_check" CHECK ("kiosk"."status" in ('pending','active','revoked'))
);
--> statement-breakpoint
CREATE TABLE "pairing_code" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kiosk_id" uuid NOT NULL,
	"code_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pairing_code_code_hash_key" UNIQUE("code_hash")
);
--> statement-breakpoint
CREATE TABLE "vote_rejection" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"entity_id" uuid NOT NULL,
	"kiosk_id" uuid,
	"vote_id" text,
	"code" text NOT NULL,
	"rejected_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vote" (
	"id" uuid PRIMARY KEY NOT NULL,
	"entity_id" uuid NOT NULL,
	"kiosk_id" uuid,
	"office_id" uuid NOT NULL,
	"desk_id" uuid,
	"service_id" uuid NOT NULL,
	"channel" text DEFAULT 'desk' NOT NULL,
	"judgment" text NOT NULL,
	"reason_id" uuid,
	"cast_at" timestamp (3) with time zone NOT NULL,
	"cast_at_corrected" timestamp (3) with time zone,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"suspected_repeat" boolean DEFAULT false NOT NULL,
	"late" boolean DEFAULT false NOT NULL,
	CONSTRAINT "vote_judgment_check" CHECK ("vote"."judgment" in ('positive','sufficient','negative')),
	CONSTRAINT "vote_channel_check" CHECK ("vote"."channel" in ('desk','web','phone')),
	CONSTRAINT "vote_reason_negative_check" CHECK ("vote"."reason_id" is null or "vote"."judgment" = 'negative')
);
--> statement-breakpoint
CREATE TABLE "desk" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"entity_id" uuid NOT NULL,
	"office_id" uuid NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "desk_office_name_key" UNIQUE("office_id","name")
);
--> statement-breakpoint
CREATE TABLE "entity" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"ipa_code" text NOT NULL,
	"name" text NOT NULL,
	"timezone" text DEFAULT 'Europe/Rome' NOT NULL,
	"default_language" text DEFAULT 'it' NOT NULL,
	"languages" text[] DEFAULT ARRAY['it','en','de','fr','sl']::text[] NOT NULL,
	"face_labels" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"repeat_interval_seconds" integer DEFAULT 3 NOT NULL,
	"thank_you_seconds" integer DEFAULT 3 NOT NULL,
	"idle_seconds" integer DEFAULT 20 NOT NULL,
	"min_cell_size" integer DEFAULT 5 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "entity_ipa_code_key" UNIQUE("ipa_code"),
	CONSTRAINT "entity_repeat_interval_check" CHECK ("entity"."repeat_interval_seconds" >= 0)
);
--> statement-breakpoint
CREATE TABLE "office" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"entity_id" uuid NOT NULL,
	"name" text NOT NULL,
	"address" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "office_entity_name_key" UNIQUE("entity_id","name")
);
--> statement-breakpoint
CREATE TABLE "reason" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"entity_id" uuid NOT NULL,
	"code" text NOT NULL,
	"label" text NOT NULL,
	"labels" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reason_entity_code_key" UNIQUE("entity_id","code")
);
--> statement-breakpoint
CREATE TABLE "served_count" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"entity_id" uuid NOT NULL,
	"service_id" uuid NOT NULL,
	"channel" text DEFAULT 'desk' NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"count" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "served_count_service_channel_period_key" UNIQUE("service_id","channel","period_start","period_end"),
	CONSTRAINT "served_count_count_check" CHECK ("served_count"."count" >= 0),
	CONSTRAINT "served_count_period_check" CHECK ("served_count"."period_end" >= "served_count"."period_start"),
	CONSTRAINT "served_count_channel_check" CHECK ("served_count"."channel" in ('desk','web','phone'))
);
--> statement-breakpoint
CREATE TABLE "service" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"entity_id" uuid NOT NULL,
	"desk_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"names" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "service_desk_code_key" UNIQUE("desk_id","code")
);
--> statement-breakpoint
ALTER TABLE "access_token" ADD CONSTRAINT "access_token_entity_id_entity_id_fk" FOREIGN KEY ("entity_id") REFERENCES "public"."entity"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kiosk_heartbeat_day" ADD CONSTRAINT "kiosk_heartbeat_day_kiosk_id_kiosk_id_fk" FOREIGN KEY ("kiosk_id") REFERENCES "public"."kiosk"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kiosk_service" ADD CONSTRAINT "kiosk_service_kiosk_id_kiosk_id_fk" FOREIGN KEY ("kiosk_id") REFERENCES "public"."kiosk"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kiosk_service" ADD CONSTRAINT "kiosk_service_service_id_service_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."service"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kiosk" ADD CONSTRAINT "kiosk_entity_id_entity_id_fk" FOREIGN KEY ("entity_id") REFERENCES "public"."entity"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kiosk" ADD CONSTRAINT "kiosk_office_id_office_id_fk" FOREIGN KEY ("office_id") REFERENCES "public"."office"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kiosk" ADD CONSTRAINT "kiosk_desk_id_desk_id_fk" FOREIGN KEY ("desk_id") REFERENCES "public"."desk"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pairing_code" ADD CONSTRAINT "pairing_code_kiosk_id_kiosk_id_fk" FOREIGN KEY ("kiosk_id") REFERENCES "public"."kiosk"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vote_rejection" ADD CONSTRAINT "vote_rejection_entity_id_entity_id_fk" FOREIGN KEY ("entity_id") REFERENCES "public"."entity"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vote_rejection" ADD CONSTRAINT "vote_rejection_kiosk_id_kiosk_id_fk" FOREIGN KEY ("kiosk_id") REFERENCES "public"."kiosk"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vote" ADD CONSTRAINT "vote_entity_id_entity_id_fk" FOREIGN KEY ("entity_id") REFERENCES "public"."entity"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vote" ADD CONSTRAINT "vote_kiosk_id_kiosk_id_fk" FOREIGN KEY ("kiosk_id") REFERENCES "public"."kiosk"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vote" ADD CONSTRAINT "vote_office_id_office_id_fk" FOREIGN KEY ("office_id") REFERENCES "public"."office"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vote" ADD CONSTRAINT "vote_desk_id_desk_id_fk" FOREIGN KEY ("desk_id") REFERENCES "public"."desk"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vote" ADD CONSTRAINT "vote_service_id_service_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."service"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vote" ADD CONSTRAINT "vote_reason_id_reason_id_fk" FOREIGN KEY ("reason_id") REFERENCES "public"."reason"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "desk" ADD CONSTRAINT "desk_entity_id_entity_id_fk" FOREIGN KEY ("entity_id") REFERENCES "public"."entity"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "desk" ADD CONSTRAINT "desk_office_id_office_id_fk" FOREIGN KEY ("office_id") REFERENCES "public"."office"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "office" ADD CONSTRAINT "office_entity_id_entity_id_fk" FOREIGN KEY ("entity_id") REFERENCES "public"."entity"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reason" ADD CONSTRAINT "reason_entity_id_entity_id_fk" FOREIGN KEY ("entity_id") REFERENCES "public"."entity"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "served_count" ADD CONSTRAINT "served_count_entity_id_entity_id_fk" FOREIGN KEY ("entity_id") REFERENCES "public"."entity"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "served_count" ADD CONSTRAINT "served_count_service_id_service_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."service"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service" ADD CONSTRAINT "service_entity_id_entity_id_fk" FOREIGN KEY ("entity_id") REFERENCES "public"."entity"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service" ADD CONSTRAINT "service_desk_id_desk_id_fk" FOREIGN KEY ("desk_id") REFERENCES "public"."desk"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "access_token_entity_idx" ON "access_token" USING btree ("entity_id");--> statement-breakpoint
CREATE INDEX "pairing_code_kiosk_idx" ON "pairing_code" USING btree ("kiosk_id");--> statement-breakpoint
CREATE INDEX "vote_rejection_entity_rejected_at_idx" ON "vote_rejection" USING btree ("entity_id","rejected_at");--> statement-breakpoint
CREATE INDEX "vote_entity_cast_at_idx" ON "vote" USING btree ("entity_id","cast_at");--> statement-breakpoint
CREATE INDEX "vote_kiosk_cast_at_idx" ON "vote" USING btree ("kiosk_id","cast_at");--> statement-breakpoint
CREATE INDEX "desk_entity_idx" ON "desk" USING btree ("entity_id");--> statement-breakpoint
CREATE INDEX "served_count_entity_period_idx" ON "served_count" USING btree ("entity_id","period_start");--> statement-breakpoint
CREATE INDEX "service_entity_idx" ON "service" USING btree ("entity_id");