import type { Clock } from "../shared/clock.js";
import { addSignatureTimestamp, signCades } from "./cades/index.js";
import { parseCertificateInfo } from "./certificates/certificate-info.js";
import { signPades } from "./pades/index.js";
import type { Signer } from "./signer.js";
import type { TimestampClient } from "./timestamp/tsa-client.js";
import { type Verification, verifySignature } from "./verify-signature.js";

/**
 * The gateway's signing and verification, configured once (src/main.ts): who signs (a PKCS#12
 * seal or a remote signer), the optional time-stamping authority, and the trust anchors that
 * uploaded signatures are checked against.
 */
export interface SignatureServiceOptions {
  signer: Signer | null;
  timestamps?: TimestampClient | null;
  trust: readonly Uint8Array[];
  clock: Clock;
}

export function createSignatureService({ signer, timestamps, trust, clock }: SignatureServiceOptions) {
  const requestToken = timestamps ? async (digest: Uint8Array) => (await timestamps.timestamp(digest)).token : null;

  function requireSigner(): Signer {
    if (!signer) throw new Error("no signer configured");
    return signer;
  }

  /** CAdES-B-B (CAdES-T with a TSA) over `content`, or the detached form PAdES embeds. */
  async function cades(content: Uint8Array, detached: boolean): Promise<Uint8Array> {
    const p7m = await signCades(content, requireSigner(), {
      detached,
      // PAdES B-B carries the time in the signature dictionary's /M, never as a signed attribute
      // (ETSI EN 319 142-1 §5.4.2.1).
      signingTime: detached ? null : clock.now(),
    });
    return requestToken ? addSignatureTimestamp(p7m, requestToken) : p7m;
  }

  return {
    /** The signer certificate's subject, or null when this gateway has no signer. */
    async signerSubject(): Promise<string | null> {
      const certificate = signer?.certificateChain[0];
      return certificate ? parseCertificateInfo(certificate).subject : null;
    },
    signCades: (content: Uint8Array) => cades(content, false),
    signPades(pdf: Uint8Array, details: { reason: string; location: string }): Promise<Uint8Array> {
      const name = signer?.certificateChain[0] ? parseCertificateInfo(signer.certificateChain[0]).commonName : null;
      return signPades(pdf, (bytes) => cades(bytes, true), {
        signingTime: clock.now(),
        reason: details.reason,
        location: details.location,
        ...(name ? { name } : {}),
      });
    },
    verify: (bytes: Uint8Array, at?: Date): Verification => verifySignature(bytes, { trust, ...(at ? { at } : {}) }),
  };
}

export type SignatureService = ReturnType<typeof createSignatureService>;
