import type { Clock } from "../shared/clock.js";
import { AppError } from "../shared/errors.js";
import { addSignatureTimestamp, signCades } from "./cades/index.js";
import { type CertificateInfo, parseCertificateInfo } from "./certificates/certificate-info.js";
import { isPadesError, signPades } from "./pades/index.js";
import type { Signer } from "./signer.js";
import type { TimestampClient } from "./timestamp/tsa-client.js";
import { type Verification, verifySignature } from "./verify-signature.js";

/**
 * The gateway's signing and verification, configured once (src/main.ts): who signs (a PKCS#12
 * seal or a remote signer), the optional time-stamping authority, and the trust anchors that
 * uploaded signatures are checked against.
 */
export interface SignatureServiceOptions {
  /** The signer of an entity's reports, by IPA code; null when the entity has none. */
  signerFor: (ipaCode: string) => Promise<Signer | null>;
  timestamps?: TimestampClient | null;
  trust: readonly Uint8Array[];
  clock: Clock;
}

export function createSignatureService({ signerFor, timestamps, trust, clock }: SignatureServiceOptions) {
  const requestToken = timestamps ? async (digest: Uint8Array) => (await timestamps.timestamp(digest)).token : null;

  async function requireSigner(ipaCode: string): Promise<Signer> {
    const signer = await signerFor(ipaCode);
    if (!signer)
      throw new AppError("SIGNER_NOT_CONFIGURED", `no signer is configured for ${ipaCode}: set FACCIA_SIGNER`);
    return signer;
  }

  /** CAdES-B-B (CAdES-T with a TSA) over `content`, or the detached form PAdES embeds. */
  async function cades(signer: Signer, content: Uint8Array, detached: boolean): Promise<Uint8Array> {
    const p7m = await signCades(content, signer, {
      detached,
      // PAdES B-B carries the time in the signature dictionary's /M, never as a signed attribute
      // (ETSI EN 319 142-1 §5.4.2.1).
      signingTime: detached ? null : clock.now(),
    });
    return requestToken ? addSignatureTimestamp(p7m, requestToken) : p7m;
  }

  return {
    /** The certificate of the entity's signer, or null when it has none. */
    async signerCertificate(ipaCode: string): Promise<CertificateInfo | null> {
      const certificate = (await signerFor(ipaCode))?.certificateChain[0];
      return certificate ? parseCertificateInfo(certificate) : null;
    },
    signCades: async (ipaCode: string, content: Uint8Array) => cades(await requireSigner(ipaCode), content, false),
    async signPades(ipaCode: string, pdf: Uint8Array, details: { reason: string; location: string }) {
      const signer = await requireSigner(ipaCode);
      const name = parseCertificateInfo(signer.certificateChain[0] as Uint8Array).commonName;
      return signPdfOrExplain(pdf, (bytes) => cades(signer, bytes, true), {
        signingTime: clock.now(),
        reason: details.reason,
        location: details.location,
        ...(name ? { name } : {}),
      });
    },
    verify: (bytes: Uint8Array, at?: Date): Verification => verifySignature(bytes, { trust, ...(at ? { at } : {}) }),
  };
}

/** PAdES plumbing errors become the gateway's own: the stored PDF cannot be signed in place. */
async function signPdfOrExplain(...args: Parameters<typeof signPades>): Promise<Uint8Array> {
  try {
    return await signPades(...args);
  } catch (error) {
    if (!isPadesError(error)) throw error;
    throw new AppError("PDF_NOT_SIGNABLE", `the PDF could not be signed as PAdES (${error.code}): ${error.message}`, {
      cause: error,
    });
  }
}

export type SignatureService = ReturnType<typeof createSignatureService>;
