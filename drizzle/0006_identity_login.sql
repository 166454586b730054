CREATE TABLE "saml_exchange" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"federation" text NOT NULL,
	"kind" text NOT NULL,
	"idp_entity_id" text NOT NULL,
	"request_id" text NOT NULL,
	"request_issue_instant" timestamp (3) with time zone NOT NULL,
	"request_xml" text NOT NULL,
	"response_id" text,
	"response_issue_instant" text,
	"response_issuer" text,
	"assertion_id" text,
	"name_id" text,
	"name_qualifier" text,
	"fiscal_code" text,
	"outcome" text,
	"response_xml" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"responded_at" timestamp with time zone,
	CONSTRAINT "saml_exchange_request_key" UNIQUE("kind","idp_entity_id","request_id"),
	CONSTRAINT "saml_exchange_federation_check" CHECK ("saml_exchange"."federation" in ('spid','cie')),
	CONSTRAINT "saml_exchange_kind_check" CHECK ("saml_exchange"."kind" in ('login','logout'))
);
--> statement-breakpoint
CREATE TABLE "saml_pending_request" (
	"id" text PRIMARY KEY NOT NULL,
	"federation" text NOT NULL,
	"idp_entity_id" text NOT NULL,
	"level" smallint NOT NULL,
	"issue_instant" timestamp (3) with time zone NOT NULL,
	"relay_state" text NOT NULL,
	"browser_binding" text NOT NULL,
	"request_xml" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"consumed_at" timestamp with time zone,
	CONSTRAINT "saml_pending_request_browser_binding_key" UNIQUE("browser_binding"),
	CONSTRAINT "saml_pending_request_federation_check" CHECK ("saml_pending_request"."federation" in ('spid','cie')),
	CONSTRAINT "saml_pending_request_level_check" CHECK ("saml_pending_request"."level" between 1 and 3)
);
--> statement-breakpoint
CREATE TABLE "saml_sp_profile" (
	"entity_id" uuid PRIMARY KEY NOT NULL,
	"organization_url" text NOT NULL,
	"contact_email" text NOT NULL,
	"contact_phone" text,
	"municipality" text,
	"province" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "saml_used_assertion" (
	"assertion_id" text PRIMARY KEY NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "staff_session" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"token_hash" text NOT NULL,
	"fiscal_code" text NOT NULL,
	"name" text NOT NULL,
	"federation" text NOT NULL,
	"idp_entity_id" text NOT NULL,
	"level" smallint NOT NULL,
	"name_id" text NOT NULL,
	"name_qualifier" text,
	"session_index" text,
	"created_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	CONSTRAINT "staff_session_token_hash_key" UNIQUE("token_hash"),
	CONSTRAINT "staff_session_federation_check" CHECK ("staff_session"."federation" in ('spid','cie')),
	CONSTRAINT "staff_session_level_check" CHECK ("staff_session"."level" between 1 and 3)
);
--> statement-breakpoint
ALTER TABLE "saml_sp_profile" ADD CONSTRAINT "saml_sp_profile_entity_id_entity_id_fk" FOREIGN KEY ("entity_id") REFERENCES "public"."entity"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "saml_exchange_created_idx" ON "saml_exchange" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "saml_pending_request_expires_idx" ON "saml_pending_request" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "saml_used_assertion_expires_idx" ON "saml_used_assertion" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "staff_session_fiscal_code_idx" ON "staff_session" USING btree ("fiscal_code");--> statement-breakpoint
CREATE INDEX "staff_session_name_id_idx" ON "staff_session" USING btree ("name_id");