import { generateKeyPair, type KeyObject, randomBytes, sign } from "node:crypto";
import { promisify } from "node:util";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { type SamlSigningCredential, samlSigningCredential } from "../saml/index.js";

/**
 * The development IdP's signing credential: an RSA 2048 key and a self-signed X.509 v3
 * certificate (RFC 5280 §4.1), made in memory at every start. The SAML metadata profile only asks
 * for the key in a KeyDescriptor (SAML Metadata §2.4.1.1): no CA, no SPID certificate profile.
 *
 * Written here with pkijs rather than with `signature`'s certificate builder: `signature` imports
 * `identity` (its HTTP routes check staff access), so `identity` importing it back would be a cycle.
 */

export const DEV_IDP_COMMON_NAME = "Faccia IdP di sviluppo";
const ORGANIZATION = "Faccia sviluppo (non attendibile)";
const VALIDITY_YEARS = 10;

/** RFC 5280 §4.1.1.2 and §4.2.1; X.520 attribute types. */
const OIDS = {
  sha256WithRSAEncryption: "1.2.840.113549.1.1.11",
  basicConstraints: "2.5.29.19",
  keyUsage: "2.5.29.15",
  countryName: "2.5.4.6",
  organizationName: "2.5.4.10",
  commonName: "2.5.4.3",
} as const;

const generate = promisify(generateKeyPair);

/** Makes the IdP's signing credential: RSA 2048, self-signed, CN "Faccia IdP di sviluppo", valid 10 years from `now`. */
export async function createDevIdpCredential(now: Date): Promise<SamlSigningCredential> {
  const { publicKey, privateKey } = await generate("rsa", { modulusLength: 2048 });
  const notAfter = new Date(now);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + VALIDITY_YEARS);
  const certificate = selfSignedCertificate(publicKey, privateKey, now, notAfter);
  const pkcs8 = new Uint8Array(privateKey.export({ type: "pkcs8", format: "der" }));
  return samlSigningCredential(pkcs8, certificate);
}

function selfSignedCertificate(publicKey: KeyObject, privateKey: KeyObject, notBefore: Date, notAfter: Date) {
  // RFC 4055 §5: sha256WithRSAEncryption carries an explicit NULL parameter.
  const algorithm = new pkijs.AlgorithmIdentifier({
    algorithmId: OIDS.sha256WithRSAEncryption,
    algorithmParams: new asn1js.Null(),
  });
  const name = distinguishedName();
  const certificate = new pkijs.Certificate({
    version: 2,
    serialNumber: new asn1js.Integer({ valueHex: positiveSerial() }),
    signature: algorithm,
    signatureAlgorithm: algorithm,
    issuer: name,
    subject: name,
    notBefore: certificateTime(notBefore),
    notAfter: certificateTime(notAfter),
    subjectPublicKeyInfo: pkijs.PublicKeyInfo.fromBER(toArrayBuffer(publicKey.export({ type: "spki", format: "der" }))),
    extensions: [
      // RFC 5280 §4.2.1.9 (an end entity) and §4.2.1.3: digitalSignature only.
      extension(OIDS.basicConstraints, new pkijs.BasicConstraints({ cA: false }).toSchema()),
      extension(OIDS.keyUsage, new asn1js.BitString({ valueHex: Uint8Array.of(0x80).buffer, unusedBits: 7 })),
    ],
  });
  const tbs = new Uint8Array(certificate.encodeTBS().toBER(false));
  certificate.signatureValue = new asn1js.BitString({ valueHex: toArrayBuffer(sign("sha256", tbs, privateKey)) });
  certificate.tbsView = tbs;
  return new Uint8Array(certificate.toSchema(false).toBER(false));
}

/** C=IT, O=…, CN=…: one attribute per RDN; countryName is a PrintableString (RFC 5280 App. A). */
function distinguishedName(): pkijs.RelativeDistinguishedNames {
  const rdn = (type: string, value: asn1js.BaseBlock) =>
    new asn1js.Set({ value: [new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: type }), value] })] });
  const rdns = [
    rdn(OIDS.countryName, new asn1js.PrintableString({ value: "IT" })),
    rdn(OIDS.organizationName, new asn1js.Utf8String({ value: ORGANIZATION })),
    rdn(OIDS.commonName, new asn1js.Utf8String({ value: DEV_IDP_COMMON_NAME })),
  ];
  return pkijs.RelativeDistinguishedNames.fromBER(new asn1js.Sequence({ value: rdns }).toBER(false));
}

/** RFC 5280 §4.1.2.2: positive, at most 20 octets; 16 random octets, top bit clear, next bit set. */
function positiveSerial(): ArrayBuffer {
  const serial = randomBytes(16);
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x40;
  return toArrayBuffer(serial);
}

/** RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050; whole seconds. */
function certificateTime(date: Date): pkijs.Time {
  const seconds = new Date(Math.floor(date.getTime() / 1000) * 1000);
  return new pkijs.Time({ type: seconds.getUTCFullYear() >= 2050 ? 1 : 0, value: seconds });
}

function extension(extnID: string, value: asn1js.BaseBlock): pkijs.Extension {
  return new pkijs.Extension({ extnID, critical: true, extnValue: value.toBER(false) });
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy.buffer;
}
