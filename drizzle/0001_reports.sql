CREATE TABLE "report_artifact" (
	"report_id" uuid NOT NULL,
	"format" text NOT NULL,
	"content" "bytea" NOT NULL,
	"sha256" text NOT NULL,
	"bytes" integer NOT NULL,
	CONSTRAINT "report_artifact_pkey" PRIMARY KEY("report_id","format"),
	CONSTRAINT "report_artifact_format_check" CHECK ("report_artifact"."format" in ('json','csv','pdf'))
);
--> statement-breakpoint
CREATE TABLE "report" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"entity_id" uuid NOT NULL,
	"period_kind" text NOT NULL,
	"period_label" text NOT NULL,
	"first_day" date NOT NULL,
	"last_day" date NOT NULL,
	"language" text DEFAULT 'it' NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"generation" integer DEFAULT 1 NOT NULL,
	"generated_at" timestamp (3) with time zone NOT NULL,
	"generated_by" text NOT NULL,
	"approved_at" timestamp with time zone,
	"approved_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "report_entity_period_language_key" UNIQUE("entity_id","period_kind","period_label","language"),
	CONSTRAINT "report_period_kind_check" CHECK ("report"."period_kind" in ('month','quarter','year','custom')),
	CONSTRAINT "report_status_check" CHECK ("report"."status" in ('draft','approved','signed','dispatched','delivered','partially_delivered','failed')),
	CONSTRAINT "report_days_check" CHECK ("report"."last_day" >= "report"."first_day")
);
--> statement-breakpoint
ALTER TABLE "entity" ADD COLUMN "report_day_of_month" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "entity" ADD COLUMN "report_hour" integer DEFAULT 3 NOT NULL;--> statement-breakpoint
ALTER TABLE "report_artifact" ADD CONSTRAINT "report_artifact_report_id_report_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."report"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report" ADD CONSTRAINT "report_entity_id_entity_id_fk" FOREIGN KEY ("entity_id") REFERENCES "public"."entity"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "report_entity_first_day_idx" ON "report" USING btree ("entity_id","first_day");--> statement-breakpoint
CREATE INDEX "vote_entity_effective_cast_idx" ON "vote" USING btree ("entity_id",coalesce("cast_at_corrected", "cast_at"));--> statement-breakpoint
CREATE INDEX "vote_effective_cast_idx" ON "vote" USING btree (coalesce("cast_at_corrected", "cast_at"));--> statement-breakpoint
ALTER TABLE "entity" ADD CONSTRAINT "entity_report_day_check" CHECK ("entity"."report_day_of_month" between 1 and 28);--> statement-breakpoint
ALTER TABLE "entity" ADD CONSTRAINT "entity_report_hour_check" CHECK ("entity"."report_hour" between 0 and 23);