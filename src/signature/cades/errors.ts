/**
 * Errors of the signing side. Verification never throws (its failures are reasons); signing
 * refuses bad input and misbehaving signers with an AppError. The codes are the closest in
 * the shared catalogue; this is the one place to change when signature codes are added there.
 */
import { AppError } from "../../shared/errors.js";

/** The caller passed something that cannot be signed or extended (not a SignedData, no content…). */
export function signatureInputError(message: string, cause?: unknown): AppError {
  return new AppError("REQUEST_VALIDATION_FAILED", message, cause === undefined ? {} : { cause });
}

/** The signer (key store, remote service, TSA) returned something unusable. */
export function signerFailure(message: string, cause?: unknown): AppError {
  return new AppError("INTERNAL_ERROR", message, cause === undefined ? {} : { cause });
}
