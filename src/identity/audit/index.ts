export { AUDIT_LOCK_KEY, type AuditLog, createAuditLog } from "../adapters/audit-log.js";
export {
  AuditAction,
  type AuditEventFields,
  type AuditEventInput,
  type AuditRecord,
  type ChainHead,
  CLI_ACTOR,
  type JsonObject,
  type JsonValue,
  SYSTEM_ACTOR,
} from "../domain/audit-event.js";
export {
  type ChainProblem,
  type ChainProblemKind,
  type ChainVerdict,
  type ChainVerifierOptions,
  canonicalEvent,
  canonicalJson,
  chainEvent,
  createChainVerifier,
  GENESIS_HASH,
  hashEvent,
  verifyChain,
} from "./audit-chain.js";
