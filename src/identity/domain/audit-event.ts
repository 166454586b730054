import { z } from "zod";

/**
 * What the audit log records (issue 7): logins, configuration changes, report approval, signing,
 * dispatch, evidence downloads, and staff and token management. The same closed list is the check
 * constraint `audit_event_action_check` (src/db/schema/audit.ts): a new action needs a migration.
 */
export const AuditAction = z.enum([
  "login",
  "logout",
  "login_refused",
  "config_change",
  "report_approve",
  "report_reopen",
  "report_sign",
  "report_dispatch",
  "evidence_download",
  "user_add",
  "user_role_change",
  "user_remove",
  "token_create",
  "token_revoke",
]);
export type AuditAction = z.infer<typeof AuditAction>;

/** A JSON value as jsonb stores it and gives back. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** The actor of events the CLI causes (`faccia users add`) and of those nobody causes. */
export const CLI_ACTOR = "cli";
export const SYSTEM_ACTOR = "system";

/** An event to append: who did what, to what, in which entity. */
export interface AuditEventInput {
  /** A fiscal code, an access token's name, `cli` or `system`. */
  actor: string;
  action: AuditAction;
  entityId?: string | null;
  /** What it is about: a report id, a dispatch id, a fiscal code... */
  subject?: string | null;
  details?: JsonObject;
}

/** The fields a row's hash covers, besides the previous row's hash. */
export interface AuditEventFields {
  seq: number;
  at: Date;
  actor: string;
  entityId: string | null;
  /** A string, not `AuditAction`: verification reads whatever is stored. */
  action: string;
  subject: string | null;
  details: JsonObject;
}

/** A stored row of the log. */
export interface AuditRecord extends AuditEventFields {
  previousHash: string;
  hash: string;
}

/** The last row of the log, worth writing down elsewhere: it is what detects rows deleted from the end. */
export interface ChainHead {
  seq: number;
  hash: string;
}
