CREATE TABLE "audit_event" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor" text NOT NULL,
	"entity_id" uuid,
	"action" text NOT NULL,
	"subject" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"previous_hash" text NOT NULL,
	"hash" text NOT NULL,
	CONSTRAINT "audit_event_previous_hash_key" UNIQUE("previous_hash"),
	CONSTRAINT "audit_event_action_check" CHECK ("audit_event"."action" in ('login','logout','login_refused','config_change','report_approve','report_reopen','report_sign','report_dispatch','evidence_download','user_add','user_role_change','user_remove','token_create','token_revoke')),
	CONSTRAINT "audit_event_hash_check" CHECK ("audit_event"."hash" ~ '^[0-9a-f]{64}$' and "audit_event"."previous_hash" ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "audit_event_seq_check" CHECK ("audit_event"."seq" >= 1)
);
--> statement-breakpoint
ALTER TABLE "access_token" DROP CONSTRAINT "access_token_role_check";--> statement-breakpoint
ALTER TABLE "staff_user" DROP CONSTRAINT "staff_user_role_check";--> statement-breakpoint
CREATE INDEX "audit_event_entity_at_idx" ON "audit_event" USING btree ("entity_id","at");--> statement-breakpoint
ALTER TABLE "access_token" ADD CONSTRAINT "access_token_role_check" CHECK ("access_token"."role" in ('admin','secretary','operator','viewer'));--> statement-breakpoint
ALTER TABLE "staff_user" ADD CONSTRAINT "staff_user_role_check" CHECK ("staff_user"."role" in ('admin','secretary','operator','viewer'));--> statement-breakpoint
-- The audit log is append-only (issue 7): rows are never updated or deleted, by the application or by
-- hand. A table owner can still disable these triggers; the hash chain is what detects that
-- (`faccia audit verify`).
CREATE FUNCTION "audit_event_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'audit_event is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
--> statement-breakpoint
CREATE TRIGGER "audit_event_append_only" BEFORE UPDATE OR DELETE ON "audit_event"
	FOR EACH ROW EXECUTE FUNCTION "audit_event_refuse_change"();
--> statement-breakpoint
CREATE TRIGGER "audit_event_no_truncate" BEFORE TRUNCATE ON "audit_event"
	FOR EACH STATEMENT EXECUTE FUNCTION "audit_event_refuse_change"();
