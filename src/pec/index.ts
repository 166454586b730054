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
export { type DaticertInput, writeDaticert } from "./sandbox/daticert-writer.js";
export { PROVIDER_TIME_ZONE, type ProviderTime, providerTime } from "./sandbox/provider-time.js";
export { buildReceipt, type SandboxReceiptOptions } from "./sandbox/receipt-builder.js";
export type { SandboxReceiptInput, SandboxReceiptKind } from "./sandbox/sandbox-receipt.js";
// end sandbox provider
