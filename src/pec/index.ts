/**
 * PEC (posta elettronica certificata): dispatch of signed reports and
 * receipt tracking. Other modules import this module only through this file.
 */

// parsing
export {
  DATICERT_ERRORS,
  DATICERT_PROBLEM_CODES,
  DATICERT_TYPES,
  type Daticert,
  type DaticertDate,
  type DaticertError,
  type DaticertProblem,
  type DaticertProblemCode,
  type DaticertRecipient,
  type DaticertResult,
  type DaticertType,
  daticertInstant,
  type ReceiptDetail,
  type RecipientKind,
} from "./domain/daticert.js";
export {
  classifyPecMessage,
  PEC_PROBLEM_CODES,
  type PecMarkers,
  type PecMessage,
  type PecMessageType,
  type PecParseErrorCode,
  type PecParseResult,
  type PecProblem,
  type PecProblemCode,
  type PecRecipient,
  type PecReferences,
  type PecSignature,
  type PecSignatureReason,
} from "./domain/pec-message.js";
export { parseDaticert } from "./parse-daticert.js";
export { type ParsePecMessageOptions, parsePecMessage } from "./parse-pec-message.js";
export { type PecSignatureOptions, verifyPecSignature } from "./verify-pec-signature.js";
// end parsing

// receipts: the per-recipient state machine and deadlines
export { ACCEPTANCE_TIMEOUT_MS, DELIVERY_TIMEOUT_MS, nextDeadline } from "./domain/deadlines.js";
export {
  type DispatchAlert,
  type DispatchStatus,
  type DispatchView,
  describeDispatch,
  describeRecipient,
  dispatchStatus,
  type RecipientView,
} from "./domain/dispatch-status.js";
export {
  applyDispatchEvent,
  applyDispatchEvents,
  type DispatchEvent,
  type DispatchState,
  ErroreCode,
  isPermanentError,
  RECIPIENT_STATUSES,
  type ReceiptEvent,
  ReceiptKind,
  type RecipientStatus,
  startDispatch,
  type TickEvent,
} from "./domain/recipient-state.js";
// end receipts

// sandbox provider: signed receipts our own parser reads back
export { type AnomalyEnvelopeInput, buildAnomalyEnvelope } from "./sandbox/anomaly-builder.js";
export { type DaticertInput, writeDaticert } from "./sandbox/daticert-writer.js";
export { buildTransportEnvelope, deliveredMessage, type TransportEnvelopeInput } from "./sandbox/envelope-builder.js";
export { deliverToMaildir, type MaildirMessage, readMaildir } from "./sandbox/maildir.js";
export { MANCATA_CONSEGNA_AFTER_MS, PREAVVISO_AFTER_MS } from "./sandbox/post-office.js";
export { PROVIDER_TIME_ZONE, type ProviderTime, providerTime } from "./sandbox/provider-time.js";
export { buildReceipt, type SandboxReceiptOptions } from "./sandbox/receipt-builder.js";
export { NO_FAULTS, type SandboxFaults } from "./sandbox/sandbox-faults.js";
export { parseSandboxUsers, SandboxUsersError } from "./sandbox/sandbox-mailboxes.js";
export {
  SANDBOX_DOMAIN,
  SANDBOX_MAX_BYTES,
  SANDBOX_MAX_RECIPIENTS,
  SANDBOX_PASSWORD,
  type SandboxProvider,
  type SandboxProviderOptions,
  startSandboxProvider,
} from "./sandbox/sandbox-provider.js";
export type { SandboxReceiptInput, SandboxReceiptKind } from "./sandbox/sandbox-receipt.js";
// end sandbox provider

// dispatch and mailbox: outbox, SMTP, receipts, evidence
export { createDispatchRepository, type DispatchRepository } from "./adapters/dispatch-repository.js";
export { createImapMailbox, type ImapMailboxOptions } from "./adapters/imap-mailbox.js";
export { createMaildirMailbox } from "./adapters/maildir-mailbox.js";
export {
  createPecSettingsRepository,
  type PecBox,
  type PecSettingsRepository,
} from "./adapters/pec-settings-repository.js";
export { createSmtpSender, type SmtpSender, type SmtpSettings } from "./adapters/smtp-sender.js";
export {
  MailboxAuthenticationError,
  type MailboxCursor,
  type MailboxMessage,
  type MailboxReader,
  MailboxUnavailableError,
  PROCESSED_FOLDER,
} from "./domain/mailbox.js";
export { DEFAULT_MAX_MESSAGE_BYTES, type SmtpFailure, type SmtpOutcome } from "./domain/outbox.js";
export { staffDispatchApi } from "./http/staff-dispatch-api.js";
export { staffPecSettingsApi } from "./http/staff-pec-settings-api.js";
export { createPecWorker, PEC_LOCK_KEY, type PecWorker } from "./pec-worker.js";
export type { DispatchReportsPort, PecAccountsPort, ReportDispatchEvent, ReportForDispatch } from "./ports.js";
export { createOutbox, type Outbox } from "./run-outbox.js";
export { createDispatching, type Dispatching } from "./send-dispatch.js";
export { createMailboxSync, type MailboxSync } from "./sync-mailbox.js";
export { createDispatchTracker, type DispatchTracker } from "./track-dispatches.js";
// end dispatch and mailbox
