CREATE TABLE "oversight_recipient" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"entity_id" uuid NOT NULL,
	"name" text NOT NULL,
	"address" text NOT NULL,
	"ipa_code" text,
	"copy" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "oversight_recipient_entity_address_key" UNIQUE("entity_id","address")
);
--> statement-breakpoint
CREATE TABLE "pec_dispatch_recipient" (
	"dispatch_id" uuid NOT NULL,
	"address" text NOT NULL,
	"name" text NOT NULL,
	"ipa_code" text,
	"copy" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"decided_by" text,
	"failure" jsonb,
	"warning" jsonb,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pec_dispatch_recipient_pkey" PRIMARY KEY("dispatch_id","address"),
	CONSTRAINT "pec_dispatch_recipient_status_check" CHECK ("pec_dispatch_recipient"."status" in ('pending','accepted','warned','failed','delivered'))
);
--> statement-breakpoint
CREATE TABLE "pec_dispatch" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"entity_id" uuid NOT NULL,
	"report_id" uuid NOT NULL,
	"message_id" text NOT NULL,
	"from_address" text NOT NULL,
	"subject" text NOT NULL,
	"outbox" text DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"sending_since" timestamp with time zone,
	"last_error" text,
	"smtp_response" text,
	"submitted_at" timestamp with time zone,
	"identificativo" text,
	"status" text DEFAULT 'in_progress' NOT NULL,
	"acceptance" text DEFAULT 'pending' NOT NULL,
	"alerts" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"next_deadline" timestamp with time zone,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pec_dispatch_message_id_key" UNIQUE("message_id"),
	CONSTRAINT "pec_dispatch_outbox_check" CHECK ("pec_dispatch"."outbox" in ('queued','sending','submitted','refused')),
	CONSTRAINT "pec_dispatch_status_check" CHECK ("pec_dispatch"."status" in ('in_progress','delivered','partially_delivered','failed')),
	CONSTRAINT "pec_dispatch_acceptance_check" CHECK ("pec_dispatch"."acceptance" in ('pending','accepted','refused'))
);
--> statement-breakpoint
CREATE TABLE "pec_mailbox" (
	"entity_id" uuid PRIMARY KEY NOT NULL,
	"address" text NOT NULL,
	"uid_validity" text,
	"last_uid" bigint,
	"last_sync_at" timestamp with time zone,
	"last_error" text,
	"last_read_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pec_mailbox_address_key" UNIQUE("address")
);
--> statement-breakpoint
CREATE TABLE "pec_message" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"entity_id" uuid NOT NULL,
	"dispatch_id" uuid,
	"direction" text NOT NULL,
	"type" text NOT NULL,
	"message_id" text,
	"subject" text,
	"sender" text,
	"raw" "bytea" NOT NULL,
	"sha256" text NOT NULL,
	"bytes" integer NOT NULL,
	"mailbox_key" text,
	"received_at" timestamp with time zone,
	"verified" boolean DEFAULT false NOT NULL,
	"signature" jsonb,
	"problems" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"references" jsonb,
	"receipt" jsonb,
	"stored_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pec_message_entity_sha256_key" UNIQUE("entity_id","sha256"),
	CONSTRAINT "pec_message_direction_check" CHECK ("pec_message"."direction" in ('sent','received'))
);
--> statement-breakpoint
ALTER TABLE "oversight_recipient" ADD CONSTRAINT "oversight_recipient_entity_id_entity_id_fk" FOREIGN KEY ("entity_id") REFERENCES "public"."entity"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pec_dispatch_recipient" ADD CONSTRAINT "pec_dispatch_recipient_dispatch_id_pec_dispatch_id_fk" FOREIGN KEY ("dispatch_id") REFERENCES "public"."pec_dispatch"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pec_dispatch" ADD CONSTRAINT "pec_dispatch_entity_id_entity_id_fk" FOREIGN KEY ("entity_id") REFERENCES "public"."entity"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pec_dispatch" ADD CONSTRAINT "pec_dispatch_report_id_report_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."report"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pec_mailbox" ADD CONSTRAINT "pec_mailbox_entity_id_entity_id_fk" FOREIGN KEY ("entity_id") REFERENCES "public"."entity"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pec_message" ADD CONSTRAINT "pec_message_entity_id_entity_id_fk" FOREIGN KEY ("entity_id") REFERENCES "public"."entity"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pec_message" ADD CONSTRAINT "pec_message_dispatch_id_pec_dispatch_id_fk" FOREIGN KEY ("dispatch_id") REFERENCES "public"."pec_dispatch"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "pec_dispatch_report_idx" ON "pec_dispatch" USING btree ("report_id");--> statement-breakpoint
CREATE INDEX "pec_dispatch_outbox_idx" ON "pec_dispatch" USING btree ("outbox","next_attempt_at");--> statement-breakpoint
CREATE INDEX "pec_message_dispatch_idx" ON "pec_message" USING btree ("dispatch_id");--> statement-breakpoint
CREATE INDEX "pec_message_entity_message_id_idx" ON "pec_message" USING btree ("entity_id","message_id");