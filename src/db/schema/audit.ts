import { sql } from "drizzle-orm";
import { bigint, check, index, jsonb, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";

/**
 * The audit log (issue 7): append-only and hash-chained. Each row's `hash` is SHA-256 over a canonical
 * form of its fields and the previous row's hash (src/identity/audit/audit-chain.ts), so an altered
 * or deleted row breaks the chain. `seq` is assigned by the writer as the previous row's seq + 1
 * under a lock, not by a sequence: a sequence leaves gaps on rollback, and here a gap means a
 * deleted row. Triggers in drizzle/0005_audit.sql refuse UPDATE and DELETE.
 *
 * `entity_id` has no foreign key on purpose: the log outlives what it records.
 * The action list is repeated in `AuditAction` (src/identity/domain/audit-event.ts); keep them equal.
 */
export const auditEvents = pgTable(
  "audit_event",
  {
    seq: bigint("seq", { mode: "number" }).primaryKey(),
    at: timestamp("at", { withTimezone: true }).notNull(),
    /** A fiscal code, an access token's name, `cli` or `system`. */
    actor: text("actor").notNull(),
    entityId: uuid("entity_id"),
    action: text("action").notNull(),
    /** What the event is about: a report id, a dispatch id, a fiscal code... */
    subject: text("subject"),
    details: jsonb("details").notNull().default({}),
    previousHash: text("previous_hash").notNull(),
    hash: text("hash").notNull(),
  },
  (t) => [
    // Two appends can never share a predecessor, whatever the writer does.
    unique("audit_event_previous_hash_key").on(t.previousHash),
    index("audit_event_entity_at_idx").on(t.entityId, t.at),
    check(
      "audit_event_action_check",
      sql`${t.action} in ('login','logout','login_refused','config_change','report_approve','report_reopen','report_sign','report_dispatch','evidence_download','user_add','user_role_change','user_remove','token_create','token_revoke')`,
    ),
    check("audit_event_hash_check", sql`${t.hash} ~ '^[0-9a-f]{64}$' and ${t.previousHash} ~ '^[0-9a-f]{64}$'`),
    check("audit_event_seq_check", sql`${t.seq} >= 1`),
  ],
);
