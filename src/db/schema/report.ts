import { sql } from "drizzle-orm";
import { check, date, index, integer, pgTable, primaryKey, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { bytea } from "./columns.js";
import { entityReference } from "./organization.js";

/**
 * A satisfaction report of one entity for one period (issue 4). Its status
 * follows the lifecycle in src/reports/domain/report-lifecycle.ts. A draft
 * may be regenerated (its `generation` grows); from `signed` on, the stored
 * files are final. One report per entity, period and language.
 */
export const reports = pgTable(
  "report",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    entityId: entityReference(),
    periodKind: text("period_kind").notNull(),
    periodLabel: text("period_label").notNull(),
    firstDay: date("first_day", { mode: "string" }).notNull(),
    lastDay: date("last_day", { mode: "string" }).notNull(),
    language: text("language").notNull().default("it"),
    status: text("status").notNull().default("draft"),
    /** 1 for the first generation, +1 at each regeneration of the draft. */
    generation: integer("generation").notNull().default(1),
    /** The time printed in the report: regenerating the same data at the same generation gives the same bytes. */
    generatedAt: timestamp("generated_at", { withTimezone: true, precision: 3 }).notNull(),
    /** Who asked for it: `scheduler`, `cli`, or the staff token's name. */
    generatedBy: text("generated_by").notNull(),
    approvedAt: timestamp("approved_at", { withTimezone: true }),
    approvedBy: text("approved_by"),
    /** When the signed files were stored (issue 5), and how: the gateway's seal or an uploaded signature. */
    signedAt: timestamp("signed_at", { withTimezone: true }),
    signedBy: text("signed_by"),
    signatureSource: text("signature_source"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("report_entity_period_language_key").on(t.entityId, t.periodKind, t.periodLabel, t.language),
    index("report_entity_first_day_idx").on(t.entityId, t.firstDay),
    check("report_period_kind_check", sql`${t.periodKind} in ('month','quarter','year','custom')`),
    check(
      "report_status_check",
      sql`${t.status} in ('draft','approved','signed','dispatched','delivered','partially_delivered','failed')`,
    ),
    check("report_days_check", sql`${t.lastDay} >= ${t.firstDay}`),
    check("report_signature_source_check", sql`${t.signatureSource} in ('gateway','upload')`),
  ],
);

/**
 * The files of a report with their SHA-256: JSON, CSV and PDF; once signed, the CAdES envelopes
 * `pdf.p7m` and `json.p7m` or the PAdES-signed `signed.pdf` (issue 5).
 */
export const reportArtifacts = pgTable(
  "report_artifact",
  {
    reportId: uuid("report_id")
      .notNull()
      .references(() => reports.id, { onDelete: "cascade" }),
    format: text("format").notNull(),
    content: bytea("content").notNull(),
    sha256: text("sha256").notNull(),
    bytes: integer("bytes").notNull(),
  },
  (t) => [
    primaryKey({ name: "report_artifact_pkey", columns: [t.reportId, t.format] }),
    check("report_artifact_format_check", sql`${t.format} in ('json','csv','pdf','pdf.p7m','json.p7m','signed.pdf')`),
  ],
);
