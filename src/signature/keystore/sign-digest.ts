import { constants, type KeyObject, privateEncrypt } from "node:crypto";
import { AppError } from "../../shared/errors.js";
import type { DigestAlgorithm, KeyAlgorithm } from "../signer.js";
import { signDigestEcdsa } from "./ecdsa-prehashed.js";

/**
 * DigestInfo prefixes of RFC 8017 §9.2 note 1: DER of SEQUENCE { AlgorithmIdentifier(hash, NULL),
 * OCTET STRING (length) }, to which the digest is appended.
 */
const DIGEST_INFO_PREFIX: Record<DigestAlgorithm, Buffer> = {
  sha256: Buffer.from("3031300d060960864801650304020105000420", "hex"),
  sha384: Buffer.from("3041300d060960864801650304020205000430", "hex"),
  sha512: Buffer.from("3051300d060960864801650304020305000440", "hex"),
};

export const DIGEST_LENGTH: Record<DigestAlgorithm, number> = { sha256: 32, sha384: 48, sha512: 64 };

/** DER DigestInfo (RFC 8017 §9.2 step 2): what an RSASSA-PKCS1-v1_5 signature block carries. */
export function digestInfo(algorithm: DigestAlgorithm, digest: Uint8Array): Buffer {
  return Buffer.concat([DIGEST_INFO_PREFIX[algorithm], digest]);
}

const CURVE_NAMES: Record<string, "P-256" | "P-384"> = { prime256v1: "P-256", secp384r1: "P-384" };

/** The signer port's description of a key; AppError SIGNATURE_KEY_UNSUPPORTED outside RSA 2048–4096, P-256, P-384. */
export function keyAlgorithmOf(key: KeyObject): KeyAlgorithm {
  const details = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType === "rsa") {
    const bits = details?.modulusLength ?? 0;
    if (bits >= 2048 && bits <= 4096) return { kind: "rsa", modulusBits: bits };
    throw new AppError("SIGNATURE_KEY_UNSUPPORTED", `RSA keys of ${bits} bits are not supported (2048–4096)`);
  }
  const curve = key.asymmetricKeyType === "ec" ? CURVE_NAMES[details?.namedCurve ?? ""] : undefined;
  if (curve) return { kind: "ec", namedCurve: curve };
  const what = key.asymmetricKeyType === "ec" ? `EC curve ${details?.namedCurve}` : `${key.asymmetricKeyType} keys`;
  throw new AppError("SIGNATURE_KEY_UNSUPPORTED", `${what} are not supported (RSA 2048–4096, EC P-256 or P-384)`);
}

/**
 * Signs a precomputed digest with a private key held in this process.
 * RSA: RSASSA-PKCS1-v1_5 (RFC 8017 §8.2.1) — EMSA-PKCS1-v1_5 is 00 01 FF… 00 ‖ DigestInfo, which is
 * exactly the block-type-1 padding `privateEncrypt` applies to the DigestInfo we pass it.
 * ECDSA: DER ECDSA-Sig-Value (RFC 5753 §2.1.1), see ecdsa-prehashed.ts.
 */
export function signDigestWithKey(privateKey: KeyObject, digest: Uint8Array, algorithm: DigestAlgorithm): Uint8Array {
  if (digest.byteLength !== DIGEST_LENGTH[algorithm]) {
    throw new AppError(
      "SIGNATURE_DIGEST_INVALID",
      `a ${algorithm} digest has ${DIGEST_LENGTH[algorithm]} bytes, got ${digest.byteLength}`,
    );
  }
  const keyAlgorithm = keyAlgorithmOf(privateKey);
  if (keyAlgorithm.kind === "rsa") {
    const block = digestInfo(algorithm, digest);
    return new Uint8Array(privateEncrypt({ key: privateKey, padding: constants.RSA_PKCS1_PADDING }, block));
  }
  return signDigestEcdsa(privateKey, digest, algorithm);
}
