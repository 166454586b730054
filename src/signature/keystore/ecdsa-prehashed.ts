import { createECDH, createHmac, type KeyObject, randomBytes } from "node:crypto";

/**
 * ECDSA over a digest computed elsewhere. node:crypto only signs messages (it hashes them
 * itself, even with a null algorithm), and CMS hands the signer the digest of the signed
 * attributes, so the signature equation is done here (FIPS 186-5 §6.4.1, SEC 1 §4.1.3):
 *   k·G comes from node's ECDH (OpenSSL's constant-time scalar multiplication), k from
 *   RFC 6979 §3.2 with fresh random extra data (§3.6, "hedged"), and the scalar arithmetic
 *   with a random blinding factor b: s = (k·b)⁻¹ · (b·z + b·r·d) mod n.
 * Keys on disk are for seals and tests; qualified signatures go through the remote signer.
 */

interface Curve {
  /** OpenSSL name for createECDH. */
  ecdhName: string;
  /** Group order n. */
  n: bigint;
  bytes: number;
}

const CURVES: Record<string, Curve> = {
  prime256v1: {
    ecdhName: "prime256v1",
    n: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
    bytes: 32,
  },
  secp384r1: {
    ecdhName: "secp384r1",
    n: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
    bytes: 48,
  },
};

/** DER ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } (RFC 3279 §2.2.3, as CMS carries it: RFC 5753 §2.1.1). */
export function signDigestEcdsa(privateKey: KeyObject, digest: Uint8Array, hmacHash: string): Uint8Array {
  const curve = CURVES[privateKey.asymmetricKeyDetails?.namedCurve ?? ""];
  const jwkD = privateKey.export({ format: "jwk" }).d;
  if (!curve || !jwkD) throw new Error("not a P-256 or P-384 private key");
  const d = bytesToInt(Buffer.from(jwkD, "base64url"));
  // SEC 1 §4.1.3 step 5: the leftmost bits of the digest, as many as the order has.
  const z = bitsToInt(digest, curve) % curve.n;
  const nonces = rfc6979Nonces(curve, d, z, hmacHash);
  for (;;) {
    const k = nonces.next().value as bigint;
    const ecdh = createECDH(curve.ecdhName);
    ecdh.setPrivateKey(intToBytes(k, curve.bytes));
    const point = ecdh.getPublicKey();
    const r = bytesToInt(point.subarray(1, 1 + curve.bytes)) % curve.n;
    if (r === 0n) continue;
    const b = randomScalar(curve);
    const kbInverse = modPow((k * b) % curve.n, curve.n - 2n, curve.n);
    const s = (kbInverse * ((b * z + ((b * r) % curve.n) * d) % curve.n)) % curve.n;
    if (s !== 0n) return encodeSignature(r, s);
  }
}

/** RFC 6979 §3.2 steps b–h, with 32 random bytes of extra data k' (§3.6). */
function* rfc6979Nonces(curve: Curve, d: bigint, z: bigint, hash: string): Generator<bigint> {
  const hmac = (key: Buffer, ...parts: Uint8Array[]) => {
    const mac = createHmac(hash, key);
    for (const part of parts) mac.update(part);
    return mac.digest();
  };
  const x = intToBytes(d, curve.bytes);
  const h = intToBytes(z, curve.bytes);
  const extra = randomBytes(32);
  const length = hmac(Buffer.alloc(0)).length;
  let v = Buffer.alloc(length, 1);
  let k = Buffer.alloc(length, 0);
  k = hmac(k, v, Uint8Array.of(0), x, h, extra);
  v = hmac(k, v);
  k = hmac(k, v, Uint8Array.of(1), x, h, extra);
  v = hmac(k, v);
  for (;;) {
    let t = Buffer.alloc(0);
    while (t.length < curve.bytes) {
      v = hmac(k, v);
      t = Buffer.concat([t, v]);
    }
    const candidate = bitsToInt(t, curve);
    if (candidate >= 1n && candidate < curve.n) yield candidate;
    k = hmac(k, v, Uint8Array.of(0));
    v = hmac(k, v);
  }
}

function randomScalar(curve: Curve): bigint {
  for (;;) {
    const value = bytesToInt(randomBytes(curve.bytes));
    if (value >= 1n && value < curve.n) return value;
  }
}

/** RFC 6979 §2.3.2 bits2int, for orders whose bit length is a multiple of 8 (P-256, P-384). */
function bitsToInt(bytes: Uint8Array, curve: Curve): bigint {
  return bytesToInt(bytes.subarray(0, curve.bytes));
}

function bytesToInt(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString("hex")}`);
}

function intToBytes(value: bigint, length: number): Buffer {
  return Buffer.from(value.toString(16).padStart(length * 2, "0"), "hex");
}

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

/** DER INTEGERs are two's complement: a leading 0x00 keeps a high first bit positive (X.690 §8.3). */
function derInteger(value: bigint): Buffer {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  const bytes = Buffer.from(hex, "hex");
  const body = (bytes[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.of(0), bytes]) : bytes;
  return Buffer.concat([Buffer.of(0x02, body.length), body]);
}

/** Raw r‖s, each `size` bytes (PKCS#11 CKM_ECDSA, as some HSM gateways answer) → DER ECDSA-Sig-Value. */
export function ecdsaSignatureFromRaw(raw: Uint8Array, size: number): Uint8Array {
  return encodeSignature(bytesToInt(raw.subarray(0, size)), bytesToInt(raw.subarray(size, 2 * size)));
}

function encodeSignature(r: bigint, s: bigint): Uint8Array {
  // At most 2 × (2 + 49) bytes for P-384: always a short-form length.
  const body = Buffer.concat([derInteger(r), derInteger(s)]);
  return new Uint8Array(Buffer.concat([Buffer.of(0x30, body.length), body]));
}
