import { createCipheriv, createDecipheriv, createHash, createHmac, pbkdf2Sync, randomBytes } from "node:crypto";
import * as asn1js from "asn1js";
import { OID } from "../oids.js";
import { der, integerOf, octetsOf, oidOf, sequenceItems } from "./der.js";

/**
 * The password-based cryptography of PKCS#12 (RFC 7292), all through node:crypto:
 * the PKCS#12 key derivation (App. B.2) for the MAC and the legacy PBE schemes, and
 * PBES2/PBKDF2 (RFC 8018 §6.2) for the shrouded key and certificate bags.
 */

export class Pkcs12UnsupportedError extends Error {
  override readonly name = "Pkcs12UnsupportedError";
}

/** Decryption failed: with a MAC-less file this is how a wrong password shows. */
export class Pkcs12DecryptError extends Error {
  override readonly name = "Pkcs12DecryptError";
}

const HASH_OF_OID: Record<string, { name: string; blockBytes: number }> = {
  [OID.sha1]: { name: "sha1", blockBytes: 64 },
  [OID.sha256]: { name: "sha256", blockBytes: 64 },
  [OID.sha384]: { name: "sha384", blockBytes: 128 },
  [OID.sha512]: { name: "sha512", blockBytes: 128 },
};

const PRF_OF_OID: Record<string, string> = {
  [OID.hmacWithSha1]: "sha1",
  [OID.hmacWithSha256]: "sha256",
  [OID.hmacWithSha384]: "sha384",
  [OID.hmacWithSha512]: "sha512",
};

const CIPHER_OF_OID: Record<string, { name: string; keyBytes: number }> = {
  [OID.aes128Cbc]: { name: "aes-128-cbc", keyBytes: 16 },
  [OID.aes192Cbc]: { name: "aes-192-cbc", keyBytes: 24 },
  [OID.aes256Cbc]: { name: "aes-256-cbc", keyBytes: 32 },
  [OID.desEde3Cbc]: { name: "des-ede3-cbc", keyBytes: 24 },
};

/** RFC 7292 App. B.1: the password as a BMPString with its two-byte NUL terminator. */
function bmpPassword(password: string): Buffer {
  const bytes = Buffer.alloc(password.length * 2 + 2);
  for (let i = 0; i < password.length; i++) bytes.writeUInt16BE(password.charCodeAt(i), i * 2);
  return bytes;
}

function repeatTo(source: Buffer, multiple: number): Buffer {
  if (source.length === 0) return Buffer.alloc(0);
  const length = multiple * Math.ceil(source.length / multiple);
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = source[i % source.length] ?? 0;
  return out;
}

/** RFC 7292 App. B.2: ID 1 = key, 2 = IV, 3 = MAC key. */
export function pkcs12Kdf(
  hashName: string,
  blockBytes: number,
  password: string,
  salt: Uint8Array,
  id: 1 | 2 | 3,
  iterations: number,
  length: number,
): Buffer {
  const diversifier = Buffer.alloc(blockBytes, id);
  const input = Buffer.concat([repeatTo(Buffer.from(salt), blockBytes), repeatTo(bmpPassword(password), blockBytes)]);
  const blocks: Buffer[] = [];
  let produced = 0;
  while (produced < length) {
    let a = createHash(hashName).update(diversifier).update(input).digest();
    for (let r = 1; r < iterations; r++) a = createHash(hashName).update(a).digest();
    blocks.push(a);
    produced += a.length;
    const b = repeatTo(a, blockBytes);
    for (let j = 0; j < input.length; j += blockBytes) addBlock(input, j, b, blockBytes);
  }
  return Buffer.concat(blocks).subarray(0, length);
}

/** I_j = (I_j + B + 1) mod 2^(v·8), big-endian, in place. */
function addBlock(input: Buffer, offset: number, b: Buffer, blockBytes: number): void {
  let carry = 1;
  for (let k = blockBytes - 1; k >= 0; k--) {
    const sum = (input[offset + k] ?? 0) + (b[k] ?? 0) + carry;
    input[offset + k] = sum & 0xff;
    carry = sum >> 8;
  }
}

/** RFC 7292 §5.1 and App. B.4: the integrity MAC over the AuthenticatedSafe content. */
export function pkcs12Mac(
  digestOid: string,
  password: string,
  salt: Uint8Array,
  iterations: number,
  content: Uint8Array,
): Buffer {
  const hash = HASH_OF_OID[digestOid];
  if (!hash) throw new Pkcs12UnsupportedError(`MAC digest ${digestOid} is not supported`);
  const outputBytes = createHash(hash.name).digest().length;
  const key = pkcs12Kdf(hash.name, hash.blockBytes, password, salt, 3, iterations, outputBytes);
  return createHmac(hash.name, key).update(content).digest();
}

/** Decrypts data protected by `algorithm` (an AlgorithmIdentifier): PBES2, or legacy PKCS#12 3DES. */
export function decryptWithPassword(algorithm: asn1js.AsnType, password: string, data: Uint8Array): Uint8Array {
  const [oidBlock, params] = sequenceItems(algorithm, "encryption AlgorithmIdentifier");
  const oid = oidOf(oidBlock, "encryption algorithm");
  if (oid === OID.pbes2) return decryptPbes2(params, password, data);
  if (oid === OID.pbeWithSha1And3KeyTripleDesCbc) {
    // RFC 7292 App. C: pkcs-12PbeParams ::= SEQUENCE { salt OCTET STRING, iterations INTEGER }
    const [saltBlock, countBlock] = sequenceItems(params, "pkcs-12PbeParams");
    const salt = octetsOf(saltBlock, "PBE salt");
    const count = integerOf(countBlock, "PBE iterations");
    const key = pkcs12Kdf("sha1", 64, password, salt, 1, count, 24);
    const iv = pkcs12Kdf("sha1", 64, password, salt, 2, count, 8);
    return decipher("des-ede3-cbc", key, iv, data);
  }
  if (oid === OID.pbeWithSha1And40BitRc2Cbc) {
    throw new Pkcs12UnsupportedError("RC2-40 encryption (openssl pkcs12 -legacy) is not supported: re-export it");
  }
  throw new Pkcs12UnsupportedError(`encryption algorithm ${oid} is not supported`);
}

function decryptPbes2(params: asn1js.AsnType | undefined, password: string, data: Uint8Array): Uint8Array {
  // RFC 8018 App. A.4: PBES2-params ::= SEQUENCE { keyDerivationFunc, encryptionScheme }
  const [kdf, scheme] = sequenceItems(params, "PBES2-params");
  const [kdfOid, kdfParams] = sequenceItems(kdf, "keyDerivationFunc");
  if (oidOf(kdfOid, "key derivation function") !== OID.pbkdf2) {
    throw new Pkcs12UnsupportedError("only PBKDF2 is supported as PBES2 key derivation");
  }
  const [schemeOid, ivBlock] = sequenceItems(scheme, "encryptionScheme");
  const cipher = CIPHER_OF_OID[oidOf(schemeOid, "encryption scheme")];
  if (!cipher) throw new Pkcs12UnsupportedError("PBES2 cipher not supported (expected AES-CBC or 3DES)");
  // RFC 8018 App. A.2: PBKDF2-params ::= SEQUENCE { salt, iterationCount, keyLength OPTIONAL, prf DEFAULT hmacWithSHA1 }
  const items = sequenceItems(kdfParams, "PBKDF2-params");
  const salt = octetsOf(items[0], "PBKDF2 salt");
  const iterations = integerOf(items[1], "PBKDF2 iterations");
  const prfBlock = items.slice(2).find((item) => item instanceof asn1js.Sequence);
  const prf = prfBlock ? PRF_OF_OID[oidOf(sequenceItems(prfBlock, "PBKDF2 prf")[0], "PBKDF2 prf")] : "sha1";
  if (!prf) throw new Pkcs12UnsupportedError("PBKDF2 PRF not supported");
  // RFC 8018 §6.2.2 leaves the password encoding to the application; OpenSSL and others use UTF-8.
  const key = pbkdf2Sync(Buffer.from(password, "utf8"), salt, iterations, cipher.keyBytes, prf);
  return decipher(cipher.name, key, octetsOf(ivBlock, "cipher IV"), data);
}

function decipher(name: string, key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  try {
    const decipher = createDecipheriv(name, key, iv);
    return new Uint8Array(Buffer.concat([decipher.update(data), decipher.final()]));
  } catch (error) {
    throw new Pkcs12DecryptError("decryption failed", { cause: error });
  }
}

export interface Pbes2Settings {
  iterations: number;
}

/**
 * Encrypts with PBES2: PBKDF2-HMAC-SHA256 and AES-256-CBC, OpenSSL 3's `pkcs12 -export`
 * defaults. Returns the AlgorithmIdentifier and the ciphertext.
 */
export function encryptPbes2(
  password: string,
  plaintext: Uint8Array,
  settings: Pbes2Settings,
): { algorithm: asn1js.Sequence; ciphertext: Uint8Array } {
  const salt = randomBytes(16);
  const iv = randomBytes(16);
  const key = pbkdf2Sync(Buffer.from(password, "utf8"), salt, settings.iterations, 32, "sha256");
  const cipher = createCipheriv("aes-256-cbc", key, iv);
  const ciphertext = new Uint8Array(Buffer.concat([cipher.update(plaintext), cipher.final()]));
  const pbkdf2Params = der.sequence(
    der.octets(salt),
    der.integer(settings.iterations),
    // RFC 8018 App. B.1.2: the HMAC PRF identifiers carry NULL parameters.
    der.sequence(der.oid(OID.hmacWithSha256), new asn1js.Null()),
  );
  const algorithm = der.sequence(
    der.oid(OID.pbes2),
    der.sequence(der.sequence(der.oid(OID.pbkdf2), pbkdf2Params), der.sequence(der.oid(OID.aes256Cbc), der.octets(iv))),
  );
  return { algorithm, ciphertext };
}
