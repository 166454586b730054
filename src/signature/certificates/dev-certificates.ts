import { generateKeyPair, type KeyObject, randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { OID } from "../oids.js";
import type { KeyAlgorithm } from "../signer.js";
import { type CertificateTemplate, issueCertificate, serialFromRandom } from "./certificate-builder.js";
import type { NameAttribute } from "./distinguished-name.js";
import { writePkcs12 } from "./pkcs12.js";

/**
 * Development certificates: a throw-away CA and the four end-entity certificates the gateway
 * uses (entity seal, PEC provider, SAML SP, TSA). Made in-process with node:crypto (no openssl
 * at run time), returned as bytes so callers cache or write them as they like.
 */

export const DEV_CERTIFICATE_ROLES = ["ca", "seal", "pecProvider", "samlSp", "tsa"] as const;
export type DevCertificateRole = (typeof DEV_CERTIFICATE_ROLES)[number];

export interface DevCertificate {
  /** X.509 DER. */
  certificate: Uint8Array;
  /** PrivateKeyInfo DER (PKCS#8, unencrypted). */
  privateKey: Uint8Array;
  /** PKCS#12 with the key, this certificate and (for end entities) the CA, under the set's password. */
  p12: Uint8Array;
}

export type DevCertificateSet = Record<DevCertificateRole, DevCertificate> & { password: string };

export interface DevCertificateOptions {
  /** IPA code of the comune, e.g. `c_demo`. */
  ipa: string;
  /** e.g. "Comune di Demo". */
  entityName: string;
  now: Date;
  /** Validity of every certificate from `now` (default 365 days). */
  validityDays?: number;
  /** PKCS#12 password (default: 24 random characters). */
  password?: string;
  /**
   * entityID of the SAML SP, written as the `uri` (2.5.4.83) of the samlSp certificate as AgID
   * Avviso 29 v3 requires (default `https://<ipa>.faccia.invalid`, `_` turned into `-`).
   */
  samlEntityId?: string;
  /** City for the samlSp certificate's L (default: the entity name without a leading "Comune di "). */
  locality?: string;
  /** Key per role. Default RSA 2048, and RSA 3072 for the seal (ETSI TS 119 312 recommends ≥ 3072 for new keys). */
  keys?: Partial<Record<DevCertificateRole, KeyAlgorithm>>;
}

const DAY_MS = 86_400_000;
/** notBefore an hour back: a signer or verifier whose clock runs a little behind still accepts them. */
const BACKDATE_MS = 3_600_000;

const DEFAULT_KEYS: Record<DevCertificateRole, KeyAlgorithm> = {
  ca: { kind: "rsa", modulusBits: 2048 },
  seal: { kind: "rsa", modulusBits: 3072 },
  pecProvider: { kind: "rsa", modulusBits: 2048 },
  samlSp: { kind: "rsa", modulusBits: 2048 },
  tsa: { kind: "rsa", modulusBits: 2048 },
};

const DEV_ORGANIZATION = "Faccia sviluppo (non attendibile)";

/** X.520 uniformResourceIdentifier (the `uri` attribute of AgID Avviso 29 v3). */
const URI_ATTRIBUTE = "2.5.4.83";
/** AgID Avviso 29 v3 §"Certificati": agIDcert, and cert_SP_Pub for public-sector SPs. */
const AGID_CERT_POLICY = "1.3.76.16.6";
const AGID_SP_PUBLIC_POLICY = "1.3.76.16.4.2.1";

interface Profile {
  subject: NameAttribute[];
  keyUsage: CertificateTemplate["keyUsage"];
  extendedKeyUsage?: CertificateTemplate["extendedKeyUsage"];
  policies?: CertificateTemplate["policies"];
}

/**
 * AgID Avviso 29 v3: subject CN, O (the official name, as in the metadata OrganizationName),
 * uri = entityID, organizationIdentifier PA:IT-<IPA>, C=IT, L; keyUsage critical with only
 * digitalSignature and nonRepudiation; certificatePolicies agIDcert and cert_SP_Pub.
 */
function samlSpProfile(options: DevCertificateOptions): Profile {
  const entityId = options.samlEntityId ?? `https://${options.ipa.replace(/_/g, "-")}.faccia.invalid`;
  const locality = options.locality ?? options.entityName.replace(/^Comune di\s+/i, "");
  return {
    // Encoding order C, L, O, …, CN as the other roles (CN last), which Avviso 29 v3 leaves free.
    subject: [
      { type: OID.countryName, value: "IT" },
      { type: OID.localityName, value: locality },
      { type: OID.organizationName, value: options.entityName },
      { type: OID.organizationIdentifier, value: `PA:IT-${options.ipa}` },
      { type: URI_ATTRIBUTE, value: entityId },
      { type: OID.commonName, value: `${options.entityName} SAML SP` },
    ],
    keyUsage: ["digitalSignature", "nonRepudiation"],
    policies: [
      { oid: AGID_CERT_POLICY, userNotice: "agIDcert" },
      { oid: AGID_SP_PUBLIC_POLICY, userNotice: "cert_SP_Pub" },
    ],
  };
}

/** The subject and key usages of each end-entity role. */
function profiles(options: DevCertificateOptions): Record<Exclude<DevCertificateRole, "ca">, Profile> {
  // ETSI EN 319 412-1 §5.1.4: a legal person's semantics identifier is two letters of a national
  // scheme, ":", the country, "-" and the identifier; Italian PA seals use "PA:IT-<IPA code>".
  const entity = [
    { type: OID.countryName, value: "IT" },
    { type: OID.organizationName, value: options.entityName },
    { type: OID.organizationIdentifier, value: `PA:IT-${options.ipa}` },
  ];
  const dev = (commonName: string) => [
    { type: OID.countryName, value: "IT" },
    { type: OID.organizationName, value: DEV_ORGANIZATION },
    { type: OID.commonName, value: commonName },
  ];
  return {
    // nonRepudiation (contentCommitment), as Italian qualified signature and seal certificates carry
    // (reference/signature.md §1.2); digitalSignature too, for CMS tools that look for it.
    seal: {
      subject: [...entity, { type: OID.commonName, value: options.entityName }],
      keyUsage: ["digitalSignature", "nonRepudiation"],
    },
    pecProvider: { subject: dev("PEC sandbox provider"), keyUsage: ["digitalSignature"] },
    samlSp: samlSpProfile(options),
    // RFC 3161 §2.3: the TSA certificate has exactly one extended key usage, timeStamping, critical.
    tsa: {
      subject: dev("Faccia development TSA"),
      keyUsage: ["digitalSignature", "nonRepudiation"],
      extendedKeyUsage: { purposes: [OID.timeStamping], critical: true },
    },
  };
}

/** Generates the CA and the four certificates it issues; keys are made in parallel. */
export async function generateDevCertificates(options: DevCertificateOptions): Promise<DevCertificateSet> {
  const password = options.password ?? randomBytes(18).toString("base64url");
  const keyOf = (role: DevCertificateRole) => options.keys?.[role] ?? DEFAULT_KEYS[role];
  const pairs = await Promise.all(DEV_CERTIFICATE_ROLES.map((role) => newKeyPair(keyOf(role))));
  const keys = Object.fromEntries(DEV_CERTIFICATE_ROLES.map((role, i) => [role, pairs[i]])) as Record<
    DevCertificateRole,
    { publicKey: KeyObject; privateKey: KeyObject }
  >;
  const notBefore = new Date(options.now.getTime() - BACKDATE_MS);
  const notAfter = new Date(options.now.getTime() + (options.validityDays ?? 365) * DAY_MS);
  const caSubject = [
    { type: OID.countryName, value: "IT" },
    { type: OID.organizationName, value: DEV_ORGANIZATION },
    { type: OID.commonName, value: "Faccia development CA" },
  ];
  const base = { notBefore, notAfter, issuer: caSubject, issuerKey: keys.ca.privateKey };
  const caCertificate = issueCertificate({
    ...base,
    serialNumber: serialFromRandom(randomBytes(16)),
    subject: caSubject,
    publicKey: keys.ca.publicKey,
    issuerPublicKey: keys.ca.publicKey,
    ca: true,
    // RFC 5280 §4.2.1.3/§4.2.1.9: a CA asserts keyCertSign (and cRLSign) with cA TRUE.
    keyUsage: ["keyCertSign", "cRLSign"],
  });
  const ca = bundle(caCertificate, keys.ca.privateKey, [], password);
  const set = { password, ca } as DevCertificateSet;
  for (const [role, profile] of Object.entries(profiles(options)) as Array<
    [Exclude<DevCertificateRole, "ca">, Profile]
  >) {
    const certificate = issueCertificate({
      ...base,
      ...profile,
      serialNumber: serialFromRandom(randomBytes(16)),
      publicKey: keys[role].publicKey,
      issuerPublicKey: keys.ca.publicKey,
      ca: false,
    });
    set[role] = bundle(certificate, keys[role].privateKey, [caCertificate], password);
  }
  return set;
}

function bundle(certificate: Uint8Array, key: KeyObject, chain: Uint8Array[], password: string): DevCertificate {
  const privateKey = new Uint8Array(key.export({ type: "pkcs8", format: "der" }));
  const p12 = writePkcs12({ privateKey, certificateChain: [certificate, ...chain], password });
  return { certificate, privateKey, p12 };
}

const generate = promisify(generateKeyPair);

function newKeyPair(algorithm: KeyAlgorithm): Promise<{ publicKey: KeyObject; privateKey: KeyObject }> {
  if (algorithm.kind === "rsa") return generate("rsa", { modulusLength: algorithm.modulusBits });
  return generate("ec", { namedCurve: algorithm.namedCurve });
}
