/**
 * CAdES verification: DER, BER or base64 `.p7m`, parallel signers, nested `.p7m.p7m`
 * envelopes (Deliberazione CNIPA 45/2009 art. 21 c.6). Never throws: every failure is a
 * reason with a stable code.
 */
import { createHash } from "node:crypto";
import type { HashName } from "../oids.js";
import { CmsFormatError } from "./ber.js";
import { type CertificateRecord, loadCertificate } from "./certificate-record.js";
import { decodeCmsInput } from "./input.js";
import type { CadesReason } from "./reasons.js";
import { parseSignedData, type SignedDataParts } from "./signed-data.js";
import type { SignedContent } from "./signer-core.js";
import { type CadesSigner, verifySigner } from "./verify-signer.js";

/** How many envelopes inside envelopes are opened. */
const MAX_LAYERS = 8;

export interface CadesVerifyOptions {
  /** Trust anchors, DER (see `parsePemBundle`). */
  readonly trust: readonly Uint8Array[];
  /** Validation time when the signature has no valid time-stamp (signing-time is only a claim). Default: now. */
  readonly at?: Date;
  /**
   * The signed content of a detached signature (outer envelope). When given, the envelope must
   * not carry content of its own: PAdES verifies the PDF's bytes, never an embedded copy.
   */
  readonly detachedContent?: Uint8Array;
}

export interface CadesVerification {
  readonly valid: boolean;
  /** The innermost content; null when it could not be reached. */
  readonly content: Uint8Array | null;
  /** Every signer of every layer, outer layer first. */
  readonly signers: readonly CadesSigner[];
  readonly reasons: readonly CadesReason[];
}

interface Collected {
  content: Uint8Array | null;
  readonly signers: CadesSigner[];
  readonly reasons: CadesReason[];
}

/**
 * Verifies a `.p7m`. Valid means: at least one signer, and no reason at all.
 *
 * @example
 * const result = verifyCades(p7m, { trust: parsePemBundle(caBundle) });
 * if (!result.valid) log.warn({ reasons: result.reasons.map((r) => r.code) }, "signature not valid");
 */
export function verifyCades(input: Uint8Array, options: CadesVerifyOptions): CadesVerification {
  const collected: Collected = { content: null, signers: [], reasons: [] };
  try {
    verifyLayers(input, options, collected);
  } catch (error) {
    // Last resort: the contract is "never throws", whatever a library does with hostile input.
    collected.reasons.push({ code: "MALFORMED", message: `verification aborted: ${describe(error)}` });
  }
  const valid = collected.signers.length > 0 && collected.reasons.length === 0;
  return { valid, content: collected.content, signers: collected.signers, reasons: collected.reasons };
}

function verifyLayers(input: Uint8Array, options: CadesVerifyOptions, collected: Collected): void {
  const trust = options.trust.map(loadCertificate).filter((certificate) => certificate !== null);
  const context = { trust, fallbackTime: options.at ?? new Date() };
  let bytes: Uint8Array | null = decodeOrReport(input, collected);
  let detached = options.detachedContent ?? null;
  for (let layer = 0; bytes !== null; layer++) {
    if (layer === MAX_LAYERS) {
      collected.reasons.push({ code: "MALFORMED", message: `more than ${MAX_LAYERS} nested envelopes` });
      return;
    }
    const content = verifyLayer(bytes, detached, layer, context, collected);
    if (content === null) return;
    collected.content = content;
    bytes = isEnvelope(content) ? content : null;
    detached = null;
  }
}

function decodeOrReport(input: Uint8Array, collected: Collected): Uint8Array | null {
  try {
    return decodeCmsInput(input);
  } catch (error) {
    collected.reasons.push({ code: "MALFORMED", message: describe(error) });
    return null;
  }
}

function verifyLayer(
  bytes: Uint8Array,
  detachedContent: Uint8Array | null,
  layer: number,
  context: { trust: readonly CertificateRecord[]; fallbackTime: Date },
  collected: Collected,
): Uint8Array | null {
  let parts: SignedDataParts;
  try {
    parts = parseSignedData(bytes);
  } catch (error) {
    const code = error instanceof CmsFormatError ? error.code : "MALFORMED";
    collected.reasons.push({ code, message: `layer ${layer}: ${describe(error)}` });
    return null;
  }
  if (detachedContent !== null && parts.content !== null) {
    collected.reasons.push({
      code: "CONTENT_NOT_DETACHED",
      message: `layer ${layer}: the envelope carries its own content where a detached signature was expected`,
    });
  }
  const content = detachedContent ?? parts.content;
  if (content === null)
    collected.reasons.push({ code: "DETACHED_CONTENT_MISSING", message: `layer ${layer}: detached, no content given` });
  if (parts.signerInfos.length === 0)
    collected.reasons.push({ code: "NO_SIGNERS", message: `layer ${layer}: no SignerInfo` });
  const signed = signedContentOf(parts, content);
  for (const [index, raw] of parts.signerInfos.entries()) {
    try {
      const { signer, problems } = verifySigner(raw, layer, signed, context);
      const signerIndex = collected.signers.push(signer) - 1;
      for (const problem of problems) collected.reasons.push({ ...problem, signerIndex });
    } catch (error) {
      collected.reasons.push({ code: "MALFORMED", message: `layer ${layer}, SignerInfo ${index}: ${describe(error)}` });
    }
  }
  return content;
}

/** What the SignerInfos of one SignedData are checked against; each digest is computed once. */
function signedContentOf(parts: SignedDataParts, content: Uint8Array | null): SignedContent {
  const digests = new Map<HashName, Uint8Array>();
  return {
    contentType: parts.contentType,
    content,
    certificates: parts.certificates.map(loadCertificate).filter((certificate) => certificate !== null),
    digest: (hash) => {
      if (content === null) return null;
      const digest = digests.get(hash) ?? createHash(hash).update(content).digest();
      digests.set(hash, digest);
      return digest;
    },
  };
}

/**
 * A content that is itself a signed SignedData is an inner envelope (.p7m.p7m). A
 * certificates-only SignedData (a .p7b that someone signed) is content, not an envelope.
 */
function isEnvelope(content: Uint8Array): boolean {
  if (content[0] !== 0x30) return false;
  try {
    return parseSignedData(content).signerInfos.length > 0;
  } catch {
    return false;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : "unknown error";
}
