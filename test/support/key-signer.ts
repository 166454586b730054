/**
 * A Signer over an in-process node:crypto private key, for tests. It signs a precomputed
 * digest the way an HSM "sign hash" API does, independently of src/signature/keystore:
 * - RSA: RSASSA-PKCS1-v1_5 (RFC 8017 §8.2.1) = private-key operation over EMSA-PKCS1-v1_5
 *   padding of DigestInfo(algorithm, digest); OpenSSL's RSA_PKCS1_PADDING adds the padding.
 * - ECDSA (FIPS 186-4 §6.4 / SEC 1 §4.1.3) over the digest, returned as DER ECDSA-Sig-Value.
 *   node:crypto has no prehashed ECDSA, so the nonce point k·G comes from an ECDH key pair
 *   and s = k⁻¹(z + r·d) mod n is computed with bigint arithmetic.
 */
import { constants, createECDH, type KeyObject, privateEncrypt } from "node:crypto";
import type { DigestAlgorithm, KeyAlgorithm, Signer } from "../../src/signature/signer.js";

/** DER prefixes of DigestInfo ::= SEQUENCE { AlgorithmIdentifier (with NULL), OCTET STRING } (RFC 8017 §9.2 note 1). */
const DIGEST_INFO_PREFIX: Record<DigestAlgorithm, string> = {
  sha256: "3031300d060960864801650304020105000420",
  sha384: "3041300d060960864801650304020205000430",
  sha512: "3051300d060960864801650304020305000440",
};

const CURVES = {
  "P-256": {
    ecdh: "prime256v1",
    order: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
    bytes: 32,
  },
  "P-384": {
    ecdh: "secp384r1",
    order: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
    bytes: 48,
  },
} as const;

export function createKeySigner(privateKey: KeyObject, certificateChain: readonly Uint8Array[]): Signer {
  const keyAlgorithm = keyAlgorithmOf(privateKey);
  return {
    certificateChain,
    keyAlgorithm,
    async sign(digest: Uint8Array, algorithm: DigestAlgorithm): Promise<Uint8Array> {
      if (keyAlgorithm.kind === "rsa") {
        const digestInfo = Buffer.concat([Buffer.from(DIGEST_INFO_PREFIX[algorithm], "hex"), digest]);
        return new Uint8Array(privateEncrypt({ key: privateKey, padding: constants.RSA_PKCS1_PADDING }, digestInfo));
      }
      return signEcdsaDigest(privateKey, keyAlgorithm.namedCurve, digest);
    },
  };
}

function keyAlgorithmOf(key: KeyObject): KeyAlgorithm {
  const details = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType === "rsa") return { kind: "rsa", modulusBits: details?.modulusLength ?? 0 };
  if (details?.namedCurve === "prime256v1") return { kind: "ec", namedCurve: "P-256" };
  if (details?.namedCurve === "secp384r1") return { kind: "ec", namedCurve: "P-384" };
  throw new Error(`unsupported test key ${key.asymmetricKeyType} ${details?.namedCurve ?? ""}`);
}

function signEcdsaDigest(key: KeyObject, curveName: "P-256" | "P-384", digest: Uint8Array): Uint8Array {
  const curve = CURVES[curveName];
  const d = toBigInt(Buffer.from(String(key.export({ format: "jwk" }).d), "base64url"));
  const z = toBigInt(digest.subarray(0, curve.bytes)); // leftmost bits of the hash (SEC 1 §4.1.3 step 5)
  for (;;) {
    const nonce = createECDH(curve.ecdh);
    const point = nonce.generateKeys(); // 04 || x || y
    const k = toBigInt(nonce.getPrivateKey());
    const r = toBigInt(point.subarray(1, 1 + curve.bytes)) % curve.order;
    const s = (modPow(k, curve.order - 2n, curve.order) * (z + r * d)) % curve.order;
    if (r !== 0n && s !== 0n) return derSequence([derInteger(r), derInteger(s)]);
  }
}

function toBigInt(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString("hex")}`);
}

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
}

function derInteger(value: bigint): Uint8Array {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  if (Number.parseInt(hex.slice(0, 2), 16) & 0x80) hex = `00${hex}`;
  return derTlv(0x02, Buffer.from(hex, "hex"));
}

function derSequence(items: Uint8Array[]): Uint8Array {
  return derTlv(0x30, Buffer.concat(items));
}

function derTlv(tag: number, value: Uint8Array): Uint8Array {
  const length = value.length < 0x80 ? [value.length] : [0x81, value.length];
  return Buffer.concat([Uint8Array.from([tag, ...length]), value]);
}
