/**
 * Errors of the trusted-list loader. Each has a stable `code`; the gateway maps them to
 * `AppError` codes of the same name (see the shared error table) at the module boundary.
 */

export type TrustedListErrorCode =
  /** No expected signer configured: a list checked only against its own KeyInfo proves nothing. */
  | "TRUSTED_LIST_SIGNER_NOT_CONFIGURED"
  /** The file or URL could not be read (network, HTTP status, timeout, file system). */
  | "TRUSTED_LIST_UNAVAILABLE"
  | "TRUSTED_LIST_TOO_LARGE"
  /** Not UTF-8, not well-formed XML, a DTD, not a TrustServiceStatusList, or a mandatory field missing. */
  | "TRUSTED_LIST_MALFORMED"
  | "TRUSTED_LIST_SIGNATURE_MISSING"
  /** The signature is not one enveloped signature over the whole document (signature wrapping guard). */
  | "TRUSTED_LIST_SIGNATURE_NOT_ENVELOPED"
  | "TRUSTED_LIST_SIGNATURE_ALGORITHM_UNSUPPORTED"
  /** The signing certificate is not one of the configured expected signers. */
  | "TRUSTED_LIST_SIGNER_UNTRUSTED"
  /** Digest or signature value does not verify: the list was altered or signed by another key. */
  | "TRUSTED_LIST_SIGNATURE_INVALID";

export class TrustedListError extends Error {
  readonly code: TrustedListErrorCode;
  readonly retryable: boolean;

  constructor(code: TrustedListErrorCode, message: string, options: { cause?: unknown; retryable?: boolean } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "TrustedListError";
    this.code = code;
    this.retryable = options.retryable ?? false;
  }
}

export function isTrustedListError(value: unknown): value is TrustedListError {
  return value instanceof TrustedListError;
}
