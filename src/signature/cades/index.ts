/**
 * CAdES (ETSI EN 319 122-1 baseline B-B / B-T) `.p7m`: sign, co-sign, time-stamp, verify.
 * The rest of the gateway imports this module only through src/signature/index.ts.
 */
export { parsePemBundle } from "../certificates/pem.js";
export { CADES_REASON_CODES, type CadesReason, type CadesReasonCode } from "./reasons.js";
export {
  addCadesSignature,
  type CadesCosignOptions,
  type CadesSignOptions,
  signCades,
  signCadesChunked,
} from "./sign.js";
export { addSignatureTimestamp, type SignatureTimestampOptions, type TimestampTokenRequester } from "./timestamp.js";
export { type CadesVerification, type CadesVerifyOptions, verifyCades } from "./verify.js";
export type { CadesSigner, CadesSignerChecks } from "./verify-signer.js";
export type { CadesTimestamp } from "./verify-timestamp.js";
