CREATE TABLE "staff_user" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"entity_id" uuid NOT NULL,
	"fiscal_code" text NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "staff_user_entity_fiscal_code_key" UNIQUE("entity_id","fiscal_code"),
	CONSTRAINT "staff_user_role_check" CHECK ("staff_user"."role" in ('admin','secretary','operator'))
);
--> statement-breakpoint
ALTER TABLE "report_artifact" DROP CONSTRAINT "report_artifact_format_check";--> statement-breakpoint
ALTER TABLE "report" ADD COLUMN "signed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "report" ADD COLUMN "signed_by" text;--> statement-breakpoint
ALTER TABLE "report" ADD COLUMN "signature_source" text;--> statement-breakpoint
ALTER TABLE "staff_user" ADD CONSTRAINT "staff_user_entity_id_entity_id_fk" FOREIGN KEY ("entity_id") REFERENCES "public"."entity"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_artifact" ADD CONSTRAINT "report_artifact_format_check" CHECK ("report_artifact"."format" in ('json','csv','pdf','pdf.p7m','json.p7m','signed.pdf'));--> statement-breakpoint
ALTER TABLE "report" ADD CONSTRAINT "report_signature_source_check" CHECK ("report"."signature_source" in ('gateway','upload'));