/**
 * A Signer over an in-process node:crypto private key, for tests: the keystore's
 * digest signing (src/signature/keystore/sign-digest.ts: RSASSA-PKCS1-v1_5 over DigestInfo,
 * prehashed ECDSA), without Pkcs12Signer's check that the chain belongs to the key, so tests
 * can also build the mismatched or certificate-less signers that signing must refuse.
 * Interoperability is proved by openssl verifying what these signers make (test/signature).
 */
import type { KeyObject } from "node:crypto";
import { keyAlgorithmOf, signDigestWithKey } from "../../src/signature/keystore/sign-digest.js";
import type { DigestAlgorithm, Signer } from "../../src/signature/signer.js";

export function createKeySigner(privateKey: KeyObject, certificateChain: readonly Uint8Array[]): Signer {
  return {
    certificateChain,
    keyAlgorithm: keyAlgorithmOf(privateKey),
    async sign(digest: Uint8Array, algorithm: DigestAlgorithm): Promise<Uint8Array> {
      return signDigestWithKey(privateKey, digest, algorithm);
    },
  };
}
