/**
 * CAdES baseline B-B signing (ETSI EN 319 122-1 clause 6.3) and parallel signatures
 * (reference/signature.md §1.6: "firme congiunte", one more SignerInfo in the same SignedData).
 */
import { createHash } from "node:crypto";
import { digestOid, OID } from "../oids.js";
import type { DigestAlgorithm, Signer } from "../signer.js";
import { CmsFormatError } from "./ber.js";
import { concatBytes, derAlgorithmIdentifier } from "./der.js";
import { signatureInputError } from "./errors.js";
import { decodeCmsInput } from "./input.js";
import { encodeSignedData, encodeSignedDataChunks, parseSignedData, type SignedDataParts } from "./signed-data.js";
import { createSignerInfo } from "./signer-info.js";

export interface CadesSignOptions {
  /** Leave the content out of the SignedData (PAdES, RFC 5652 §5.2). Default: enveloping. */
  readonly detached?: boolean;
  /** The claimed signing time. Default: now. null omits signing-time (PAdES B-B). */
  readonly signingTime?: Date | null;
  /** Default sha256 (DPCM 22/2/2013 and AgID rules; SHA-1 is never produced). */
  readonly digestAlgorithm?: DigestAlgorithm;
}

export interface CadesCosignOptions {
  readonly signingTime?: Date | null;
  readonly digestAlgorithm?: DigestAlgorithm;
  /** The signed content, when the existing SignedData is detached. */
  readonly detachedContent?: Uint8Array;
}

/**
 * Signs `content` and returns a DER ContentInfo holding SignedData (a `.p7m`), CAdES B-B:
 * content-type, message-digest, signing-time and signing-certificate-v2, DER-sorted.
 *
 * @example
 * const p7m = await signCades(pdfBytes, pkcs12Signer); // report.pdf.p7m
 * const cms = await signCades(byteRanges, signer, { detached: true, signingTime: null }); // PAdES
 */
export async function signCades(
  content: Uint8Array,
  signer: Signer,
  options: CadesSignOptions = {},
): Promise<Uint8Array> {
  return concatBytes(await signCadesChunked(content, signer, options));
}

/**
 * `signCades` without joining: chunks whose concatenation is the `.p7m`, the content chunk
 * being `content` itself. For large files written to disk or a response (writev/stream),
 * this saves the one copy of the content that a contiguous result costs.
 */
export async function signCadesChunked(
  content: Uint8Array,
  signer: Signer,
  options: CadesSignOptions = {},
): Promise<Uint8Array[]> {
  const { signerInfo, digestAlgorithm } = await signContent(signer, content, OID.data, options);
  return encodeSignedDataChunks({
    version: 1,
    digestAlgorithms: [digestAlgorithm],
    contentType: OID.data,
    content: options.detached === true ? null : content,
    certificates: signer.certificateChain,
    crls: [],
    signerInfos: [signerInfo],
  });
}

/**
 * Adds a parallel signature to an existing `.p7m` (DER, BER or base64): same content, one
 * more SignerInfo, certificates and digest algorithms merged; the existing SignerInfos are
 * kept byte for byte. The output is DER at the outer levels.
 */
export async function addCadesSignature(
  p7m: Uint8Array,
  signer: Signer,
  options: CadesCosignOptions = {},
): Promise<Uint8Array> {
  const parts = readExisting(p7m);
  const content = parts.content ?? options.detachedContent;
  if (content === undefined) throw signatureInputError("the SignedData is detached: pass its content");
  const { signerInfo, digestAlgorithm } = await signContent(signer, content, parts.contentType, options);
  return encodeSignedData({
    ...parts,
    // RFC 5652 §5.1: version 1 stays valid for id-data with v1 SignerInfos; a higher one is kept.
    version: Math.max(parts.version, parts.contentType === OID.data ? 1 : 3),
    digestAlgorithms: [...parts.digestAlgorithms, digestAlgorithm],
    certificates: [...parts.certificates, ...signer.certificateChain],
    signerInfos: [...parts.signerInfos, signerInfo],
  });
}

/** A B-B SignerInfo over `content`, and the AlgorithmIdentifier of its digest for SignedData.digestAlgorithms. */
async function signContent(
  signer: Signer,
  content: Uint8Array,
  contentType: string,
  options: Pick<CadesSignOptions, "signingTime" | "digestAlgorithm">,
): Promise<{ signerInfo: Uint8Array; digestAlgorithm: Uint8Array }> {
  const algorithm = options.digestAlgorithm ?? "sha256";
  const signerInfo = await createSignerInfo(signer, {
    contentType,
    contentDigest: createHash(algorithm).update(content).digest(),
    signingTime: options.signingTime === undefined ? new Date() : options.signingTime,
    digestAlgorithm: algorithm,
  });
  return { signerInfo, digestAlgorithm: derAlgorithmIdentifier(digestOid(algorithm)) };
}

/** Decodes a `.p7m` the caller wants to extend; refuses anything that is not SignedData. */
export function readExisting(p7m: Uint8Array): SignedDataParts {
  try {
    return parseSignedData(decodeCmsInput(p7m));
  } catch (error) {
    if (error instanceof CmsFormatError) throw signatureInputError(`not a CAdES .p7m: ${error.message}`, error);
    throw error;
  }
}
