/**
 * What the PEC use cases need from the rest of the gateway, as plain function types: the report to
 * send (from the reports module) and its lifecycle rule, the SMTP account and the mailbox of each
 * entity (from configuration), wired in `src/main.ts`.
 */
import type { SmtpSender } from "./adapters/smtp-sender.js";
import type { MailboxReader } from "./domain/mailbox.js";

export interface ReportForDispatch {
  readonly id: string;
  readonly entityId: string;
  readonly entityName: string;
  readonly ipaCode: string;
  readonly status: string;
  readonly periodLabel: string;
  readonly firstDay: string;
  readonly lastDay: string;
  readonly formats: readonly string[];
}

export interface DispatchReportsPort {
  /** Throws the reports module's not-found error when the entity has no such report. */
  get(ipaCode: string, reportId: string): Promise<ReportForDispatch>;
  file(ipaCode: string, reportId: string, format: string): Promise<Uint8Array>;
  /** The report lifecycle (reports' `report-lifecycle.ts`): the status after `event`, or null if refused. */
  transition(from: string, event: ReportDispatchEvent): string | null;
}

export type ReportDispatchEvent = "dispatch" | "redispatch" | "someDelivered" | "allDelivered" | "dispatchFailed";

/** The PEC accounts: SMTP to send from each entity's box, and a reader of that box. */
export interface PecAccountsPort {
  senderFor(box: { entityId: string; ipaCode: string; address: string }): SmtpSender;
  mailboxFor(box: { entityId: string; ipaCode: string; address: string }): MailboxReader;
  /** Trust anchors (DER) for the providers' S/MIME signatures. */
  readonly trust: readonly Uint8Array[];
  /** The provider's limit on size × recipients, bytes. */
  readonly maxMessageBytes: number;
}
