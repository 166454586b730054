import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { bytea, timestamps } from "./columns.js";
import { entities, entityReference } from "./organization.js";
import { reports } from "./report.js";

/**
 * An entity's PEC box (issue 6): the address reports are sent from and receipts come back to, and
 * how far the gateway has read it (IMAP UIDVALIDITY and last committed UID, RFC 3501 §2.3.1.1).
 */
export const pecMailboxes = pgTable(
  "pec_mailbox",
  {
    entityId: uuid("entity_id")
      .primaryKey()
      .references(() => entities.id, { onDelete: "restrict" }),
    /** Lower-cased; one entity per box, so no entity reads another's receipts. */
    address: text("address").notNull(),
    uidValidity: text("uid_validity"),
    /** IMAP UIDs are unsigned 32-bit numbers (RFC 3501 §2.3.1.1): beyond `integer`. */
    lastUid: bigint("last_uid", { mode: "number" }),
    /** The last pass, whatever its outcome, and its error. */
    lastSyncAt: timestamp("last_sync_at", { withTimezone: true }),
    lastError: text("last_error"),
    /** The last pass that read the box successfully: recovery may resend only after one. */
    lastReadAt: timestamp("last_read_at", { withTimezone: true }),
    ...timestamps,
  },
  (t) => [unique("pec_mailbox_address_key").on(t.address)],
);

/** An oversight body that receives the entity's reports (DFP, Regione, OIV, ANCI...). */
export const oversightRecipients = pgTable(
  "oversight_recipient",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    entityId: entityReference(),
    name: text("name").notNull(),
    /** Lower-cased PEC address. */
    address: text("address").notNull(),
    ipaCode: text("ipa_code"),
    /** In Cc rather than To (RFC 6109 §3.1.1: no Bcc in PEC). */
    copy: boolean("copy").notNull().default(false),
    ...timestamps,
  },
  (t) => [unique("oversight_recipient_entity_address_key").on(t.entityId, t.address)],
);

/**
 * One PEC message carrying a signed report (the outbox row, committed before any SMTP call) and
 * what its receipts add up to. `outbox`: queued → sending → submitted, or refused (permanent 5xx).
 * `status` follows src/pec/domain/dispatch-status.ts.
 */
export const pecDispatches = pgTable(
  "pec_dispatch",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    entityId: entityReference(),
    reportId: uuid("report_id")
      .notNull()
      .references(() => reports.id, { onDelete: "restrict" }),
    /** Our own Message-ID, without angle brackets: every receipt is correlated by it. */
    messageId: text("message_id").notNull(),
    fromAddress: text("from_address").notNull(),
    subject: text("subject").notNull(),
    outbox: text("outbox").notNull().default("queued"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull(),
    /** When the current SMTP attempt started: a crash leaves it set, recovery looks for the acceptance. */
    sendingSince: timestamp("sending_since", { withTimezone: true }),
    lastError: text("last_error"),
    smtpResponse: text("smtp_response"),
    submittedAt: timestamp("submitted_at", { withTimezone: true }),
    /** The provider's id of the message, from the verified ricevuta di accettazione. */
    identificativo: text("identificativo"),
    status: text("status").notNull().default("in_progress"),
    acceptance: text("acceptance").notNull().default("pending"),
    alerts: jsonb("alerts").$type<unknown[]>().notNull().default([]),
    nextDeadline: timestamp("next_deadline", { withTimezone: true }),
    createdBy: text("created_by").notNull(),
    ...timestamps,
  },
  (t) => [
    unique("pec_dispatch_message_id_key").on(t.messageId),
    index("pec_dispatch_report_idx").on(t.reportId),
    index("pec_dispatch_outbox_idx").on(t.outbox, t.nextAttemptAt),
    check("pec_dispatch_outbox_check", sql`${t.outbox} in ('queued','sending','submitted','refused')`),
    check("pec_dispatch_status_check", sql`${t.status} in ('in_progress','delivered','partially_delivered','failed')`),
    check("pec_dispatch_acceptance_check", sql`${t.acceptance} in ('pending','accepted','refused')`),
  ],
);

/** A recipient of a dispatch and its delivery status (derived from the receipts, stored for queries). */
export const pecDispatchRecipients = pgTable(
  "pec_dispatch_recipient",
  {
    dispatchId: uuid("dispatch_id")
      .notNull()
      .references(() => pecDispatches.id, { onDelete: "cascade" }),
    address: text("address").notNull(),
    name: text("name").notNull(),
    ipaCode: text("ipa_code"),
    copy: boolean("copy").notNull().default(false),
    status: text("status").notNull().default("pending"),
    /** The Message-ID of the receipt that decided the status. */
    decidedBy: text("decided_by"),
    failure: jsonb("failure"),
    warning: jsonb("warning"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "pec_dispatch_recipient_pkey", columns: [t.dispatchId, t.address] }),
    check(
      "pec_dispatch_recipient_status_check",
      sql`${t.status} in ('pending','accepted','warned','failed','delivered')`,
    ),
  ],
);

/**
 * Legal evidence: every PEC message sent or read, byte for byte, with its SHA-256 (issue 6). A
 * receipt's facts (kind, time, error, recipients) are kept as read from its signed daticert;
 * `verified` says whether the provider's signature held and matched the dispatch.
 */
export const pecMessages = pgTable(
  "pec_message",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    entityId: entityReference(),
    dispatchId: uuid("dispatch_id").references(() => pecDispatches.id, { onDelete: "restrict" }),
    direction: text("direction").notNull(),
    type: text("type").notNull(),
    messageId: text("message_id"),
    subject: text("subject"),
    sender: text("sender"),
    raw: bytea("raw").notNull(),
    sha256: text("sha256").notNull(),
    bytes: integer("bytes").notNull(),
    /** Where it was read: `imap:<uidValidity>:<uid>` or `maildir:<name>`; null for what we sent. */
    mailboxKey: text("mailbox_key"),
    receivedAt: timestamp("received_at", { withTimezone: true }),
    verified: boolean("verified").notNull().default(false),
    signature: jsonb("signature"),
    problems: jsonb("problems").$type<unknown[]>().notNull().default([]),
    references: jsonb("references"),
    /** The receipt as the state machine reads it; null for what is not a receipt of ours. */
    receipt: jsonb("receipt"),
    storedAt: timestamp("stored_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("pec_message_entity_sha256_key").on(t.entityId, t.sha256),
    index("pec_message_dispatch_idx").on(t.dispatchId),
    index("pec_message_entity_message_id_idx").on(t.entityId, t.messageId),
    check("pec_message_direction_check", sql`${t.direction} in ('sent','received')`),
  ],
);
