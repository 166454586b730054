import { execFile } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { SignedXml } from "xml-crypto";
import { TrustedListError, type TrustedListErrorCode } from "../../src/signature/trusted-list/errors.js";
import { SIGNATURE_ALGORITHMS } from "../../src/signature/trusted-list/xml-algorithms.js";

/**
 * Builds small ETSI TS 119 612 trusted lists for tests and signs them with xml-crypto, with keys
 * and certificates made by the openssl CLI. Nothing here is used by the gateway itself.
 */

const run = promisify(execFile);

export const TSL_NS = "http://uri.etsi.org/02231/v2#";
export const CA_QC = "http://uri.etsi.org/TrstSvc/Svctype/CA/QC";
export const GRANTED = "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted";
export const WITHDRAWN = "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/withdrawn";
export const RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
export const ECDSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256";
export const SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256";
export const ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
export const EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#";

export interface TestKeyPair {
  readonly keyPem: string;
  readonly certPem: string;
  readonly certDer: Uint8Array;
  /** A moment inside the certificate's validity window. */
  readonly validAt: Date;
}

/** A self-signed certificate and its key, made by `openssl req -x509`. */
export async function makeTestCertificate(commonName: string, keyType: "rsa" | "ec" = "rsa"): Promise<TestKeyPair> {
  const dir = await mkdtemp(join(tmpdir(), "faccia-tsl-"));
  try {
    const keyArgs =
      keyType === "rsa" ? ["-newkey", "rsa:2048"] : ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"];
    await run("openssl", [
      "req",
      "-x509",
      ...keyArgs,
      "-nodes",
      "-keyout",
      join(dir, "key.pem"),
      "-out",
      join(dir, "cert.pem"),
      "-days",
      "3650",
      "-subj",
      `/CN=${commonName}/C=IT`,
    ]);
    const keyPem = await readFile(join(dir, "key.pem"), "utf8");
    const certPem = await readFile(join(dir, "cert.pem"), "utf8");
    const certificate = new X509Certificate(certPem);
    const validAt = new Date(Date.parse(certificate.validFrom) + 3_600_000);
    return { keyPem, certPem, certDer: new Uint8Array(certificate.raw), validAt };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface TslServiceSpec {
  readonly name: string;
  readonly status: string;
  readonly type?: string;
  readonly certificates: readonly Uint8Array[];
}

export interface TslSpec {
  readonly territory: string;
  readonly issued: Date;
  /** null: an empty NextUpdate, i.e. a closed list. */
  readonly nextUpdate: Date | null;
  readonly providers: ReadonlyArray<{ readonly name: string; readonly services: readonly TslServiceSpec[] }>;
  readonly rootId?: string;
}

const b64 = (der: Uint8Array) => Buffer.from(der).toString("base64");

function serviceXml(service: TslServiceSpec): string {
  const ids = service.certificates
    .map((der) => `<tsl:DigitalId><tsl:X509Certificate>${b64(der)}</tsl:X509Certificate></tsl:DigitalId>`)
    .join("");
  return `<tsl:TSPService><tsl:ServiceInformation>
<tsl:ServiceTypeIdentifier>${service.type ?? CA_QC}</tsl:ServiceTypeIdentifier>
<tsl:ServiceName><tsl:Name xml:lang="it">${service.name} (it)</tsl:Name><tsl:Name xml:lang="en">${service.name}</tsl:Name></tsl:ServiceName>
<tsl:ServiceDigitalIdentity>${ids}</tsl:ServiceDigitalIdentity>
<tsl:ServiceStatus>${service.status}</tsl:ServiceStatus>
<tsl:StatusStartingTime>2020-01-01T00:00:00Z</tsl:StatusStartingTime>
</tsl:ServiceInformation></tsl:TSPService>`;
}

/** A TrustServiceStatusList with the fields the loader reads (TS 119 612 §5.3–5.5). */
export function buildTslXml(spec: TslSpec): string {
  const providers = spec.providers
    .map(
      (
        provider,
      ) => `<tsl:TrustServiceProvider><tsl:TSPInformation><tsl:TSPName><tsl:Name xml:lang="en">${provider.name}</tsl:Name></tsl:TSPName></tsl:TSPInformation>
<tsl:TSPServices>${provider.services.map(serviceXml).join("")}</tsl:TSPServices></tsl:TrustServiceProvider>`,
    )
    .join("\n");
  const nextUpdate = spec.nextUpdate === null ? "" : `<tsl:dateTime>${spec.nextUpdate.toISOString()}</tsl:dateTime>`;
  const id = spec.rootId === undefined ? "" : ` Id="${spec.rootId}"`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<tsl:TrustServiceStatusList xmlns:tsl="${TSL_NS}"${id} TSLTag="http://uri.etsi.org/19612/TSLTag">
<tsl:SchemeInformation>
<tsl:TSLVersionIdentifier>5</tsl:TSLVersionIdentifier>
<tsl:TSLSequenceNumber>42</tsl:TSLSequenceNumber>
<tsl:TSLType>http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUgeneric</tsl:TSLType>
<tsl:SchemeOperatorName><tsl:Name xml:lang="en">Test supervisory body</tsl:Name></tsl:SchemeOperatorName>
<tsl:SchemeTerritory>${spec.territory}</tsl:SchemeTerritory>
<tsl:ListIssueDateTime>${spec.issued.toISOString()}</tsl:ListIssueDateTime>
<tsl:NextUpdate>${nextUpdate}</tsl:NextUpdate>
</tsl:SchemeInformation>
<tsl:TrustServiceProviderList>
${providers}
</tsl:TrustServiceProviderList>
</tsl:TrustServiceStatusList>`;
}

/** Two TSPs: one granted CA/QC with `grantedCa`, one withdrawn with `withdrawnCa`. */
export function sampleTslXml(grantedCa: Uint8Array, withdrawnCa: Uint8Array, at: Date): string {
  return buildTslXml({
    territory: "IT",
    issued: new Date(at.getTime() - 86_400_000),
    nextUpdate: new Date(at.getTime() + 180 * 86_400_000),
    providers: [
      { name: "Granted QTSP", services: [{ name: "Granted CA", status: GRANTED, certificates: [grantedCa] }] },
      { name: "Former QTSP", services: [{ name: "Withdrawn CA", status: WITHDRAWN, certificates: [withdrawnCa] }] },
    ],
  });
}

export interface SignTslOptions {
  readonly signatureAlgorithm?: string;
  readonly digestAlgorithm?: string;
  /** "empty": URI="" (TS 119 612); "id": URI="#<the root's Id>" (refused by the loader). */
  readonly reference?: "empty" | "id";
  readonly transforms?: readonly string[];
  /** Adds a XAdES SignedProperties object and a second Reference to it, as real TLs have. */
  readonly xades?: boolean;
}

const XADES_OBJECT =
  '<xades:QualifyingProperties xmlns:xades="http://uri.etsi.org/01903/v1.3.2#"><xades:SignedProperties Id="xades-sp">' +
  "<xades:SignedSignatureProperties><xades:SigningTime>2026-01-01T00:00:00Z</xades:SigningTime>" +
  "</xades:SignedSignatureProperties></xades:SignedProperties></xades:QualifyingProperties>";

/** Signs a TSL with an enveloped signature appended to the document element, as TS 119 612 requires. */
export function signTslXml(xml: string, signer: TestKeyPair, options: SignTslOptions = {}): string {
  const sig = new SignedXml({
    privateKey: signer.keyPem,
    publicCert: signer.certPem,
    signatureAlgorithm: options.signatureAlgorithm ?? RSA_SHA256,
    canonicalizationAlgorithm: EXC_C14N,
    ...(options.xades ? { objects: [{ content: XADES_OBJECT }] } : {}),
  });
  sig.SignatureAlgorithms = { ...sig.SignatureAlgorithms, ...SIGNATURE_ALGORITHMS };
  const byId = options.reference === "id";
  sig.addReference({
    xpath: "/*",
    ...(byId ? {} : { isEmptyUri: true }),
    transforms: [...(options.transforms ?? [ENVELOPED, EXC_C14N])],
    digestAlgorithm: options.digestAlgorithm ?? SHA256,
  });
  if (options.xades) {
    sig.addReference({
      xpath: "//*[@Id='xades-sp']",
      uri: "#xades-sp",
      transforms: [EXC_C14N],
      digestAlgorithm: SHA256,
    });
  }
  sig.computeSignature(xml, { prefix: "ds", location: { reference: "/*", action: "append" } });
  return sig.getSignedXml();
}

const SIGNATURE = /<ds:Signature[\s\S]*<\/ds:Signature>/;

/** The `<ds:Signature>…</ds:Signature>` substring of a signed list. */
export function signatureOf(xml: string): string {
  return SIGNATURE.exec(xml)?.[0] ?? "";
}

/**
 * The classic XML signature wrapping: a forged list takes the document element and hides the
 * genuine list, signed by Id, inside itself next to the moved signature. The Id-based Reference
 * still verifies (xmlsec1 accepts it, see test/signature); requiring Reference URI="" stops it.
 */
export function wrapSignedById(genuineSignedById: string, forged: string): string {
  const signature = signatureOf(genuineSignedById);
  const genuine = genuineSignedById.replace(signature, "").replace(/^<\?xml[^>]*\?>\s*/, "");
  return forged.replace("</tsl:TrustServiceStatusList>", `${genuine}${signature}</tsl:TrustServiceStatusList>`);
}

/** An empty list signed with a Reference by Id (URI="#tsl-1"): the genuine half of a wrapping attack. */
export function emptyListSignedById(signer: TestKeyPair): string {
  const genuine = buildTslXml({
    territory: "IT",
    issued: signer.validAt,
    nextUpdate: null,
    providers: [],
    rootId: "tsl-1",
  });
  return signTslXml(genuine, signer, { reference: "id" });
}

/** The code of the TrustedListError that `action` throws, or "no error"; any other error is rethrown. */
export function errorCodeOf(action: () => unknown): TrustedListErrorCode | "no error" {
  try {
    action();
    return "no error";
  } catch (error) {
    if (error instanceof TrustedListError) return error.code;
    throw error;
  }
}
