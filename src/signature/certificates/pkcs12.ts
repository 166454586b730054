import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import * as asn1js from "asn1js";
import { AppError } from "../../shared/errors.js";
import { OID } from "../oids.js";
import {
  DerStructureError,
  der,
  derOf,
  explicitOf,
  implicitOctetsOf,
  integerOf,
  octetsOf,
  oidOf,
  parseDer,
  sequenceItems,
  setItems,
} from "./der.js";
import {
  decryptWithPassword,
  encryptPbes2,
  Pkcs12DecryptError,
  Pkcs12UnsupportedError,
  pkcs12Mac,
} from "./pkcs12-crypto.js";

/**
 * PKCS#12 (RFC 7292) in password-integrity and password-privacy mode, the only modes in use:
 * PFX → AuthenticatedSafe → SafeContents → SafeBags. Reads what OpenSSL 3 (`pkcs12 -export`
 * defaults, and `-certpbe/-keypbe PBE-SHA1-3DES`), Windows and Java write; writes OpenSSL 3's
 * defaults, for RSA and EC keys alike. Messages never contain the password.
 */

export interface Pkcs12Item {
  der: Uint8Array;
  /** RFC 7292 §4.2 localKeyId attribute: pairs a key with its certificate. */
  localKeyId?: Uint8Array;
}

export interface Pkcs12Contents {
  /** PrivateKeyInfo (PKCS#8, RFC 5208) DER of each key bag. */
  privateKeys: Pkcs12Item[];
  /** X.509 certificate DER of each certificate bag. */
  certificates: Pkcs12Item[];
}

/** Opens a PKCS#12 file: checks the MAC, decrypts the bags. */
export function readPkcs12(bytes: Uint8Array, password: string): Pkcs12Contents {
  try {
    return readPfx(bytes, password);
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (error instanceof Pkcs12UnsupportedError) throw new AppError("P12_UNSUPPORTED", error.message, { cause: error });
    if (error instanceof Pkcs12DecryptError) {
      throw new AppError("P12_INVALID_PASSWORD", "the PKCS#12 password is wrong (decryption failed)", { cause: error });
    }
    if (error instanceof DerStructureError) {
      throw new AppError("P12_MALFORMED", `not a PKCS#12 file: ${error.message}`, { cause: error });
    }
    throw new AppError("P12_MALFORMED", "not a PKCS#12 file", { cause: error });
  }
}

function readPfx(bytes: Uint8Array, password: string): Pkcs12Contents {
  // RFC 7292 §4: PFX ::= SEQUENCE { version INTEGER {v3(3)}, authSafe ContentInfo, macData MacData OPTIONAL }
  const [version, authSafe, macData] = sequenceItems(parseDer(bytes, "PFX"), "PFX");
  if (integerOf(version, "PFX version") !== 3) throw new DerStructureError("PFX version is not 3");
  const [contentType, content] = sequenceItems(authSafe, "authSafe ContentInfo");
  if (oidOf(contentType, "authSafe content type") !== OID.data) {
    throw new Pkcs12UnsupportedError("public-key integrity mode (signed authSafe) is not supported");
  }
  const safe = octetsOf(explicitOf(content, 0, "authSafe content"), "authSafe data");
  if (macData) checkMac(macData, password, safe);
  const contents: Pkcs12Contents = { privateKeys: [], certificates: [] };
  for (const info of sequenceItems(parseDer(safe, "AuthenticatedSafe"), "AuthenticatedSafe")) {
    readSafeContents(safeContentsOf(info, password), password, contents);
  }
  return contents;
}

/** RFC 7292 §4: MacData ::= SEQUENCE { mac DigestInfo, macSalt OCTET STRING, iterations INTEGER DEFAULT 1 } */
function checkMac(macData: asn1js.AsnType, password: string, safe: Uint8Array): void {
  const [digestInfo, saltBlock, iterationsBlock] = sequenceItems(macData, "MacData");
  const [algorithm, digestBlock] = sequenceItems(digestInfo, "MAC DigestInfo");
  const digestOid = oidOf(sequenceItems(algorithm, "MAC digest algorithm")[0], "MAC digest algorithm");
  const iterations = iterationsBlock ? integerOf(iterationsBlock, "MAC iterations") : 1;
  const expected = octetsOf(digestBlock, "MAC value");
  const actual = pkcs12Mac(digestOid, password, octetsOf(saltBlock, "MAC salt"), iterations, safe);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
    throw new AppError("P12_INVALID_PASSWORD", "the PKCS#12 password is wrong (integrity check failed)");
  }
}

/** One ContentInfo of the AuthenticatedSafe: plain data, or EncryptedData (RFC 5652 §8). */
function safeContentsOf(info: asn1js.AsnType, password: string): Uint8Array {
  const [typeBlock, content] = sequenceItems(info, "AuthenticatedSafe ContentInfo");
  const type = oidOf(typeBlock, "ContentInfo type");
  const inner = explicitOf(content, 0, "ContentInfo content");
  if (type === OID.data) return octetsOf(inner, "SafeContents data");
  if (type !== OID.encryptedData) throw new Pkcs12UnsupportedError(`content type ${type} is not supported`);
  // EncryptedData ::= SEQUENCE { version, encryptedContentInfo } ;
  // EncryptedContentInfo ::= SEQUENCE { contentType, contentEncryptionAlgorithm, encryptedContent [0] IMPLICIT OPTIONAL }
  const [, encryptedContentInfo] = sequenceItems(inner, "EncryptedData");
  const [, algorithm, encrypted] = sequenceItems(encryptedContentInfo, "EncryptedContentInfo");
  if (!algorithm) throw new DerStructureError("EncryptedContentInfo: no algorithm");
  return decryptWithPassword(algorithm, password, implicitOctetsOf(encrypted, 0, "encryptedContent"));
}

/** SafeBag ::= SEQUENCE { bagId OID, bagValue [0] EXPLICIT, bagAttributes SET OF PKCS12Attribute OPTIONAL } */
function readSafeContents(bytes: Uint8Array, password: string, contents: Pkcs12Contents): void {
  for (const bag of sequenceItems(parseDer(bytes, "SafeContents"), "SafeContents")) {
    const [idBlock, valueBlock, attributes] = sequenceItems(bag, "SafeBag");
    const bagId = oidOf(idBlock, "bagId");
    const value = explicitOf(valueBlock, 0, "bagValue");
    const localKeyId = attributes ? localKeyIdOf(attributes) : undefined;
    const withId = (item: Uint8Array): Pkcs12Item => (localKeyId ? { der: item, localKeyId } : { der: item });
    if (bagId === OID.keyBag) contents.privateKeys.push(withId(derOf(value as asn1js.BaseBlock)));
    else if (bagId === OID.pkcs8ShroudedKeyBag) {
      // RFC 5208 §6: EncryptedPrivateKeyInfo ::= SEQUENCE { encryptionAlgorithm, encryptedData OCTET STRING }
      const [algorithm, data] = sequenceItems(value, "EncryptedPrivateKeyInfo");
      if (!algorithm) throw new DerStructureError("EncryptedPrivateKeyInfo: no algorithm");
      contents.privateKeys.push(withId(decryptWithPassword(algorithm, password, octetsOf(data, "encryptedData"))));
    } else if (bagId === OID.certBag) {
      // RFC 7292 §4.2.3: CertBag ::= SEQUENCE { certId OID, certValue [0] EXPLICIT OCTET STRING }
      const [certId, certValue] = sequenceItems(value, "CertBag");
      if (oidOf(certId, "certId") !== OID.x509Certificate) continue;
      contents.certificates.push(withId(octetsOf(explicitOf(certValue, 0, "certValue"), "certificate")));
    }
    // CRL, secret and nested safeContents bags carry nothing a signer needs.
  }
}

function localKeyIdOf(attributes: asn1js.AsnType): Uint8Array | undefined {
  for (const attribute of setItems(attributes, "bagAttributes")) {
    const [type, values] = sequenceItems(attribute, "PKCS12Attribute");
    if (oidOf(type, "attribute type") === OID.localKeyId) {
      return octetsOf(setItems(values, "localKeyId values")[0], "localKeyId");
    }
  }
  return undefined;
}

export interface Pkcs12Input {
  /** PrivateKeyInfo DER (PKCS#8): RSA or EC. */
  privateKey: Uint8Array;
  /** The key's certificate first, then its issuers. */
  certificateChain: readonly Uint8Array[];
  password: string;
  friendlyName?: string;
  /** PBKDF2 and MAC iterations (OpenSSL 3 uses 2048). */
  iterations?: number;
}

/**
 * Writes a PFX the way OpenSSL 3 does by default: certificates in an EncryptedData and the key in
 * a pkcs8ShroudedKeyBag, both PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC), and a SHA-256 MAC.
 */
export function writePkcs12(input: Pkcs12Input): Uint8Array {
  const iterations = input.iterations ?? 10_000;
  const leaf = input.certificateChain[0];
  // localKeyId = SHA-1 of the key's certificate, as OpenSSL sets it.
  const localKeyId = leaf ? createHash("sha1").update(leaf).digest() : randomBytes(20);
  const attributes = bagAttributes(localKeyId, input.friendlyName);
  const certificateBags = input.certificateChain.map((certificate, index) =>
    der.sequence(
      der.oid(OID.certBag),
      der.explicit(0, der.sequence(der.oid(OID.x509Certificate), der.explicit(0, der.octets(certificate)))),
      ...(index === 0 ? [attributes] : []),
    ),
  );
  const certificates = encryptPbes2(input.password, derOf(der.sequence(...certificateBags)), { iterations });
  const key = encryptPbes2(input.password, input.privateKey, { iterations });
  const keyBag = der.sequence(
    der.oid(OID.pkcs8ShroudedKeyBag),
    der.explicit(0, der.sequence(key.algorithm, der.octets(key.ciphertext))),
    attributes,
  );
  const authenticatedSafe = derOf(
    der.sequence(
      der.sequence(
        der.oid(OID.encryptedData),
        der.explicit(
          0,
          der.sequence(
            der.integer(0),
            der.sequence(der.oid(OID.data), certificates.algorithm, der.implicitOctets(0, certificates.ciphertext)),
          ),
        ),
      ),
      dataContentInfo(derOf(der.sequence(keyBag))),
    ),
  );
  const macSalt = randomBytes(16);
  const mac = pkcs12Mac(OID.sha256, input.password, macSalt, iterations, authenticatedSafe);
  const macData = der.sequence(
    der.sequence(der.sequence(der.oid(OID.sha256), new asn1js.Null()), der.octets(mac)),
    der.octets(macSalt),
    der.integer(iterations),
  );
  return derOf(der.sequence(der.integer(3), dataContentInfo(authenticatedSafe), macData));
}

function dataContentInfo(bytes: Uint8Array): asn1js.Sequence {
  return der.sequence(der.oid(OID.data), der.explicit(0, der.octets(bytes)));
}

/** friendlyName (…9.20) before localKeyId (…9.21): a DER SET OF is sorted (X.690 §11.6). */
function bagAttributes(localKeyId: Uint8Array, friendlyName: string | undefined): asn1js.Set {
  const keyId = der.sequence(der.oid(OID.localKeyId), der.set(der.octets(localKeyId)));
  if (friendlyName === undefined) return der.set(keyId);
  const name = der.sequence(der.oid(OID.friendlyName), der.set(new asn1js.BmpString({ value: friendlyName })));
  return der.set(name, keyId);
}
