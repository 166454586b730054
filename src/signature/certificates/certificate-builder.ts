import { createHash, type KeyObject, sign } from "node:crypto";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { OID } from "../oids.js";
import { type NameAttribute, toRelativeDistinguishedNames } from "./distinguished-name.js";

/** RFC 5280 §4.2.1.3 KeyUsage named bits, in bit order (digitalSignature is bit 0). */
export const KEY_USAGE_FLAGS = [
  "digitalSignature",
  "nonRepudiation",
  "keyEncipherment",
  "dataEncipherment",
  "keyAgreement",
  "keyCertSign",
  "cRLSign",
  "encipherOnly",
  "decipherOnly",
] as const;
export type KeyUsageFlag = (typeof KEY_USAGE_FLAGS)[number];

export interface CertificateTemplate {
  /** Positive, at most 20 octets (RFC 5280 §4.1.2.2). */
  serialNumber: Uint8Array;
  subject: readonly NameAttribute[];
  issuer: readonly NameAttribute[];
  notBefore: Date;
  notAfter: Date;
  publicKey: KeyObject;
  /** The key that signs the certificate (the subject's own key for a self-signed root). */
  issuerKey: KeyObject;
  /** The issuer's public key, for the authorityKeyIdentifier (RFC 5280 §4.2.1.1). */
  issuerPublicKey: KeyObject;
  ca: boolean;
  keyUsage: readonly KeyUsageFlag[];
  extendedKeyUsage?: { purposes: readonly string[]; critical: boolean };
  /** RFC 5280 §4.2.1.4 certificatePolicies (not critical), each with an optional UserNotice explicitText. */
  policies?: readonly { oid: string; userNotice?: string }[];
}

/**
 * Builds and signs an X.509 v3 certificate (RFC 5280 §4.1) with node:crypto. TBSCertificate and
 * the outer structure come from pkijs; the signature is computed here so no WebCrypto key is needed.
 */
export function issueCertificate(template: CertificateTemplate): Uint8Array {
  const signatureAlgorithm = signatureAlgorithmOf(template.issuerKey);
  const certificate = new pkijs.Certificate({
    version: 2,
    serialNumber: new asn1js.Integer({ valueHex: toArrayBuffer(template.serialNumber) }),
    signature: signatureAlgorithm.identifier,
    signatureAlgorithm: signatureAlgorithm.identifier,
    issuer: toRelativeDistinguishedNames(template.issuer),
    subject: toRelativeDistinguishedNames(template.subject),
    notBefore: certificateTime(template.notBefore),
    notAfter: certificateTime(template.notAfter),
    subjectPublicKeyInfo: pkijs.PublicKeyInfo.fromBER(spkiOf(template.publicKey)),
    extensions: extensionsOf(template),
  });
  const tbs = new Uint8Array(certificate.encodeTBS().toBER(false));
  const signature = sign(signatureAlgorithm.digest, tbs, template.issuerKey);
  certificate.signatureValue = new asn1js.BitString({ valueHex: toArrayBuffer(signature) });
  // Keep the exact signed TBS bytes rather than re-encoding them.
  certificate.tbsView = tbs;
  return new Uint8Array(certificate.toSchema(false).toBER(false));
}

/** A positive 16-octet serial from random bytes: top bit clear (positive), second bit set (no leading zero). */
export function serialFromRandom(random: Uint8Array): Uint8Array {
  const serial = Uint8Array.from(random.subarray(0, 16));
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x40;
  return serial;
}

function signatureAlgorithmOf(key: KeyObject): { identifier: pkijs.AlgorithmIdentifier; digest: string } {
  if (key.asymmetricKeyType === "rsa") {
    // RFC 4055 §5: the parameters of sha256WithRSAEncryption are an explicit NULL.
    return {
      identifier: new pkijs.AlgorithmIdentifier({
        algorithmId: OID.sha256WithRSAEncryption,
        algorithmParams: new asn1js.Null(),
      }),
      digest: "sha256",
    };
  }
  if (key.asymmetricKeyType === "ec") {
    // RFC 5758 §3.2: ECDSA algorithm identifiers have no parameters.
    const p384 = key.asymmetricKeyDetails?.namedCurve === "secp384r1";
    return {
      identifier: new pkijs.AlgorithmIdentifier({ algorithmId: p384 ? OID.ecdsaWithSha384 : OID.ecdsaWithSha256 }),
      digest: p384 ? "sha384" : "sha256",
    };
  }
  throw new Error(`unsupported issuer key type ${key.asymmetricKeyType}`);
}

/** RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050; whole seconds. */
function certificateTime(date: Date): pkijs.Time {
  const seconds = new Date(Math.floor(date.getTime() / 1000) * 1000);
  return new pkijs.Time({ type: seconds.getUTCFullYear() >= 2050 ? 1 : 0, value: seconds });
}

function extensionsOf(template: CertificateTemplate): pkijs.Extension[] {
  const extensions = [
    extension(OID.basicConstraints, true, new pkijs.BasicConstraints({ cA: template.ca }).toSchema()),
    extension(OID.keyUsage, true, keyUsageBits(template.keyUsage)),
    extension(OID.subjectKeyIdentifier, false, new asn1js.OctetString({ valueHex: keyIdentifier(template.publicKey) })),
  ];
  if (template.issuerPublicKey !== template.publicKey) {
    const authority = new pkijs.AuthorityKeyIdentifier({
      keyIdentifier: new asn1js.OctetString({ valueHex: keyIdentifier(template.issuerPublicKey) }),
    });
    extensions.push(extension(OID.authorityKeyIdentifier, false, authority.toSchema()));
  }
  if (template.extendedKeyUsage) {
    const usage = new pkijs.ExtKeyUsage({ keyPurposes: [...template.extendedKeyUsage.purposes] });
    extensions.push(extension(OID.extKeyUsage, template.extendedKeyUsage.critical, usage.toSchema()));
  }
  if (template.policies && template.policies.length > 0) {
    extensions.push(extension(CERTIFICATE_POLICIES, false, certificatePolicies(template.policies)));
  }
  return extensions;
}

/** RFC 5280 §4.2.1.4 id-ce-certificatePolicies and id-qt-unotice. */
const CERTIFICATE_POLICIES = "2.5.29.32";
const USER_NOTICE_QUALIFIER = "1.3.6.1.5.5.7.2.2";

/** SEQUENCE OF PolicyInformation; a UserNotice carries only explicitText, as a UTF8String (RFC 5280 §4.2.1.4). */
function certificatePolicies(policies: NonNullable<CertificateTemplate["policies"]>): asn1js.Sequence {
  return new asn1js.Sequence({
    value: policies.map((policy) => {
      const qualifiers =
        policy.userNotice === undefined
          ? []
          : [
              new asn1js.Sequence({
                value: [
                  new asn1js.Sequence({
                    value: [
                      new asn1js.ObjectIdentifier({ value: USER_NOTICE_QUALIFIER }),
                      new asn1js.Sequence({ value: [new asn1js.Utf8String({ value: policy.userNotice })] }),
                    ],
                  }),
                ],
              }),
            ];
      return new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: policy.oid }), ...qualifiers] });
    }),
  });
}

function extension(extnID: string, critical: boolean, value: asn1js.BaseBlock): pkijs.Extension {
  return new pkijs.Extension({ extnID, critical, extnValue: value.toBER(false) });
}

/** KeyUsage as a DER named BIT STRING: trailing zero bits dropped (X.690 §11.2.2). */
function keyUsageBits(flags: readonly KeyUsageFlag[]): asn1js.BitString {
  const positions = flags.map((flag) => KEY_USAGE_FLAGS.indexOf(flag));
  const last = Math.max(...positions);
  const bytes = new Uint8Array(Math.floor(last / 8) + 1);
  for (const bit of positions) bytes[bit >> 3] = (bytes[bit >> 3] ?? 0) | (0x80 >> (bit & 7));
  return new asn1js.BitString({ valueHex: toArrayBuffer(bytes), unusedBits: 7 - (last % 8) });
}

/** RFC 5280 §4.2.1.2 method (1): SHA-1 of the subjectPublicKey BIT STRING value. */
function keyIdentifier(publicKey: KeyObject): ArrayBuffer {
  const info = pkijs.PublicKeyInfo.fromBER(spkiOf(publicKey));
  const bits = new Uint8Array(info.subjectPublicKey.valueBlock.valueHexView);
  return toArrayBuffer(createHash("sha1").update(bits).digest());
}

function spkiOf(key: KeyObject): ArrayBuffer {
  return toArrayBuffer(key.export({ type: "spki", format: "der" }));
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy.buffer;
}
