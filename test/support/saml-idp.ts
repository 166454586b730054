/**
 * A test-only SPID IdP: builds the Response spid-sp-test sends (its `base.xml` template shape:
 * Status, Issuer with Format entity, one Assertion with transient NameID, bearer
 * SubjectConfirmationData, Conditions with AudienceRestriction, AuthnStatement SpidL2,
 * AttributeStatement), lets a test break any single field, and signs with xml-crypto the way
 * spid-sp-test signs with xmlsec1 (enveloped, exc-c14n, rsa-sha256, sha256); and rewrites a signed
 * Response into the attacks the validator sends (XSW1–XSW8, XSLT, HMAC, DOCTYPE, EncryptedAssertion).
 */
import { createPrivateKey } from "node:crypto";
import { DOMParser, type Document, type Element, XMLSerializer } from "@xmldom/xmldom";
import { SignedXml } from "xml-crypto";
import { derToPem } from "../../src/signature/certificates/pem.js";
import type { DevCertificate } from "../../src/signature/index.js";

export interface IdpKey {
  readonly certificate: Uint8Array;
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

export function idpKeyFrom(dev: DevCertificate): IdpKey {
  const privateKeyPem = createPrivateKey({ key: Buffer.from(dev.privateKey), format: "der", type: "pkcs8" })
    .export({ format: "pem", type: "pkcs8" })
    .toString();
  return { certificate: dev.certificate, certificatePem: derToPem(dev.certificate, "CERTIFICATE"), privateKeyPem };
}

/** The AuthnRequest the Response answers, and the ACS clock. */
export const SCENARIO = {
  spEntityId: "https://faccia.comune.demo.it/spid",
  acsUrl: "https://faccia.comune.demo.it/spid/acs",
  idpEntityId: "https://idp.spid.example.it",
  requestId: "_4d6f0a3c-8f1e-4b2a-9c1d-2e7f5a6b8c90",
  requestIssueInstant: "2026-11-04T09:00:00Z",
  now: new Date("2026-11-04T09:00:30Z"),
} as const;

/** Every value of the Response; `null` leaves the attribute or element out. */
export interface ResponseFields {
  responseId: string | null;
  responseVersion: string | null;
  responseIssueInstant: string | null;
  destination: string | null;
  inResponseTo: string | null;
  responseIssuer: string | null;
  responseIssuerFormat: string | null;
  statusCode: string | null;
  subStatusCode: string | null;
  statusMessage: string | null;
  assertionId: string | null;
  assertionVersion: string | null;
  assertionIssueInstant: string | null;
  assertionIssuer: string | null;
  assertionIssuerFormat: string | null;
  nameId: string | null;
  nameIdFormat: string | null;
  nameQualifier: string | null;
  confirmationMethod: string | null;
  recipient: string | null;
  confirmationInResponseTo: string | null;
  confirmationNotOnOrAfter: string | null;
  notBefore: string | null;
  notOnOrAfter: string | null;
  audience: string | null;
  authnContextClassRef: string | null;
  sessionIndex: string | null;
  /** `null`: no AttributeStatement; `{}`: an empty one. */
  attributes: Record<string, string> | null;
  attributeNameFormat: string | null;
}

/** Whole elements a case can leave out. */
export type OmittableElement =
  | "Status"
  | "Assertion"
  | "Subject"
  | "SubjectConfirmation"
  | "SubjectConfirmationData"
  | "Conditions"
  | "AudienceRestriction"
  | "AuthnStatement"
  | "AuthnContext";

export const DEFAULT_FIELDS: ResponseFields = {
  responseId: "_resp-7b1c9e2a",
  responseVersion: "2.0",
  responseIssueInstant: SCENARIO.requestIssueInstant,
  destination: SCENARIO.acsUrl,
  inResponseTo: SCENARIO.requestId,
  responseIssuer: SCENARIO.idpEntityId,
  responseIssuerFormat: "urn:oasis:names:tc:SAML:2.0:nameid-format:entity",
  statusCode: "urn:oasis:names:tc:SAML:2.0:status:Success",
  subStatusCode: null,
  statusMessage: null,
  assertionId: "_assert-5f3a8d71",
  assertionVersion: "2.0",
  assertionIssueInstant: SCENARIO.requestIssueInstant,
  assertionIssuer: SCENARIO.idpEntityId,
  assertionIssuerFormat: "urn:oasis:names:tc:SAML:2.0:nameid-format:entity",
  nameId: "_nameid-0a1b2c3d",
  nameIdFormat: "urn:oasis:names:tc:SAML:2.0:nameid-format:transient",
  nameQualifier: SCENARIO.idpEntityId,
  confirmationMethod: "urn:oasis:names:tc:SAML:2.0:cm:bearer",
  recipient: SCENARIO.acsUrl,
  confirmationInResponseTo: SCENARIO.requestId,
  confirmationNotOnOrAfter: "2026-11-04T09:05:00Z",
  notBefore: SCENARIO.requestIssueInstant,
  notOnOrAfter: "2026-11-04T09:05:00Z",
  audience: SCENARIO.spEntityId,
  authnContextClassRef: "https://www.spid.gov.it/SpidL2",
  sessionIndex: null,
  attributes: {
    fiscalNumber: "TINIT-RSSMRA80A01H501U",
    name: "Mario",
    familyName: "Rossi",
    email: "mario.rossi@example.it",
  },
  attributeNameFormat: "urn:oasis:names:tc:SAML:2.0:attrname-format:basic",
};

function escapeXml(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function attrs(pairs: Record<string, string | null>): string {
  return Object.entries(pairs)
    .flatMap(([name, value]) => (value === null ? [] : [` ${name}="${escapeXml(value)}"`]))
    .join("");
}

function element(tag: string, attributes: Record<string, string | null>, content: string | null): string {
  return content === null ? "" : `<${tag}${attrs(attributes)}>${content}</${tag}>`;
}

function text(value: string | null): string | null {
  return value === null ? null : escapeXml(value);
}

/** Which elements a case leaves out ("mancante") or leaves empty ("non specificato"). */
type Shapes = ReadonlyMap<OmittableElement, "omit" | "empty">;

const PREFIX: Record<OmittableElement, string> = {
  Status: "samlp",
  Assertion: "saml",
  Subject: "saml",
  SubjectConfirmation: "saml",
  SubjectConfirmationData: "saml",
  Conditions: "saml",
  AudienceRestriction: "saml",
  AuthnStatement: "saml",
  AuthnContext: "saml",
};

function shaped(shapes: Shapes, name: OmittableElement, full: () => string): string {
  const shape = shapes.get(name);
  if (shape === "omit") return "";
  return shape === "empty" ? `<${PREFIX[name]}:${name}/>` : full();
}

function statusXml(f: ResponseFields): string {
  const sub = f.subStatusCode === null ? "" : `<samlp:StatusCode Value="${escapeXml(f.subStatusCode)}"/>`;
  const code =
    f.statusCode === null ? "" : `<samlp:StatusCode${attrs({ Value: f.statusCode })}>${sub}</samlp:StatusCode>`;
  return `<samlp:Status>${code}${element("samlp:StatusMessage", {}, text(f.statusMessage))}</samlp:Status>`;
}

function subjectXml(f: ResponseFields, shapes: Shapes): string {
  const data = shaped(
    shapes,
    "SubjectConfirmationData",
    () =>
      `<saml:SubjectConfirmationData${attrs({
        InResponseTo: f.confirmationInResponseTo,
        NotOnOrAfter: f.confirmationNotOnOrAfter,
        Recipient: f.recipient,
      })}/>`,
  );
  const confirmation = shaped(
    shapes,
    "SubjectConfirmation",
    () => `<saml:SubjectConfirmation${attrs({ Method: f.confirmationMethod })}>${data}</saml:SubjectConfirmation>`,
  );
  // spid-sp-test's templates put line breaks around the NameID value (reference §1.4 "Subject").
  const nameId = element(
    "saml:NameID",
    { Format: f.nameIdFormat, NameQualifier: f.nameQualifier },
    f.nameId === null ? null : `\n      ${escapeXml(f.nameId)}\n    `,
  );
  return shaped(shapes, "Subject", () => `<saml:Subject>${nameId}${confirmation}</saml:Subject>`);
}

function conditionsXml(f: ResponseFields, shapes: Shapes): string {
  const restriction = shaped(
    shapes,
    "AudienceRestriction",
    () => `<saml:AudienceRestriction>${element("saml:Audience", {}, text(f.audience))}</saml:AudienceRestriction>`,
  );
  return shaped(
    shapes,
    "Conditions",
    () =>
      `<saml:Conditions${attrs({ NotBefore: f.notBefore, NotOnOrAfter: f.notOnOrAfter })}>${restriction}</saml:Conditions>`,
  );
}

function statementsXml(f: ResponseFields, shapes: Shapes): string {
  const classRef = element("saml:AuthnContextClassRef", {}, text(f.authnContextClassRef));
  const context = shaped(shapes, "AuthnContext", () => `<saml:AuthnContext>${classRef}</saml:AuthnContext>`);
  const authn = shaped(
    shapes,
    "AuthnStatement",
    () =>
      `<saml:AuthnStatement${attrs({ AuthnInstant: f.assertionIssueInstant, SessionIndex: f.sessionIndex })}>${context}</saml:AuthnStatement>`,
  );
  const attributes =
    f.attributes === null
      ? ""
      : `<saml:AttributeStatement>${Object.entries(f.attributes)
          .map(
            ([name, value]) =>
              `<saml:Attribute${attrs({ Name: name, NameFormat: f.attributeNameFormat })}><saml:AttributeValue xsi:type="xs:string">${escapeXml(value)}</saml:AttributeValue></saml:Attribute>`,
          )
          .join("")}</saml:AttributeStatement>`;
  return authn + attributes;
}

function assertionXml(f: ResponseFields, shapes: Shapes): string {
  if (shapes.has("Assertion")) return "";
  const issuer = element("saml:Issuer", { Format: f.assertionIssuerFormat }, text(f.assertionIssuer));
  return (
    `<saml:Assertion xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"` +
    `${attrs({ ID: f.assertionId, Version: f.assertionVersion, IssueInstant: f.assertionIssueInstant })}>` +
    `${issuer}${subjectXml(f, shapes)}${conditionsXml(f, shapes)}${statementsXml(f, shapes)}</saml:Assertion>`
  );
}

/** The unsigned Response with these fields changed and these elements left out or left empty. */
export function responseXml(
  changes: Partial<ResponseFields> = {},
  omit: readonly OmittableElement[] = [],
  empty: readonly OmittableElement[] = [],
): string {
  const f: ResponseFields = { ...DEFAULT_FIELDS, ...changes };
  const shapes: Shapes = new Map([
    ...empty.map((name) => [name, "empty"] as const),
    ...omit.map((name) => [name, "omit"] as const),
  ]);
  const issuer = element("saml:Issuer", { Format: f.responseIssuerFormat }, text(f.responseIssuer));
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"` +
    `${attrs({ ID: f.responseId, Version: f.responseVersion, IssueInstant: f.responseIssueInstant, Destination: f.destination, InResponseTo: f.inResponseTo })}>` +
    `${issuer}${shaped(shapes, "Status", () => statusXml(f))}${assertionXml(f, shapes)}</samlp:Response>`
  );
}

const RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
const SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256";
export const ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
export const EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#";

export interface SignOptions {
  signatureAlgorithm?: string;
  digestAlgorithm?: string;
  /** HMAC-SHA1 keyed with this secret (the key-confusion attack, GHSA-c27r-x354-4m68). */
  hmacSecret?: string;
  /** The certificate written in KeyInfo (default: the signer's). */
  keyInfoCertificatePem?: string;
}

/**
 * Signs the Assertion or the Response with an enveloped signature placed after its Issuer (SAML
 * Core §5.4.2; the schema puts ds:Signature right after Issuer).
 */
export function signElement(xml: string, target: "Assertion" | "Response", key: IdpKey, options: SignOptions = {}) {
  const path = target === "Response" ? "/*" : "//*[local-name(.)='Assertion']";
  const hasIssuer = /<(samlp:Response|saml:Assertion)[^>]*>\s*<saml:Issuer/.test(
    target === "Response" ? xml.slice(xml.indexOf("<samlp:Response")) : xml.slice(xml.indexOf("<saml:Assertion")),
  );
  const signer = new SignedXml({
    privateKey: options.hmacSecret ?? key.privateKeyPem,
    publicCert: options.keyInfoCertificatePem ?? key.certificatePem,
    signatureAlgorithm: options.signatureAlgorithm ?? RSA_SHA256,
    canonicalizationAlgorithm: EXC_C14N,
  });
  if (options.hmacSecret !== undefined) {
    signer.enableHMAC();
    signer.signatureAlgorithm = "http://www.w3.org/2000/09/xmldsig#hmac-sha1";
  }
  signer.addReference({
    xpath: path,
    transforms: [ENVELOPED, EXC_C14N],
    digestAlgorithm: options.digestAlgorithm ?? SHA256,
  });
  const location = hasIssuer
    ? { reference: `${path}/*[local-name(.)='Issuer']`, action: "after" as const }
    : { reference: path, action: "prepend" as const };
  signer.computeSignature(xml, { prefix: "ds", location });
  return signer.getSignedXml();
}

export interface BuildOptions {
  readonly fields?: Partial<ResponseFields>;
  readonly omit?: readonly OmittableElement[];
  readonly empty?: readonly OmittableElement[];
  /** Default true. */
  readonly signAssertion?: boolean;
  /** Default false (SPID IdPs may sign either or both). */
  readonly signResponse?: boolean;
  /** Sign with this key instead of the IdP's (an attacker, or another IdP). */
  readonly signer?: IdpKey;
  readonly sign?: SignOptions;
}

/** A Response as the IdP would POST it, signed with `idp` unless told otherwise. */
export function buildResponse(idp: IdpKey, options: BuildOptions = {}): string {
  let xml = responseXml(options.fields, options.omit, options.empty);
  const key = options.signer ?? idp;
  if ((options.signAssertion ?? true) && !(options.omit ?? []).includes("Assertion")) {
    xml = signElement(xml, "Assertion", key, options.sign);
  }
  if (options.signResponse ?? false) xml = signElement(xml, "Response", key, options.sign);
  return xml;
}

/** The `SAMLResponse` form field (SAML Bindings §3.5.4). */
export function encodeForPost(xml: string): string {
  return Buffer.from(xml, "utf8").toString("base64");
}

// ---------------------------------------------------------------------------------------------
// Attacks on a signed Response. XSW1–XSW8 follow the catalogue of Somorovsky et al., "On Breaking
// SAML: Be Whoever You Want to Be" (USENIX Security 2012), as SAML Raider implements it and
// spid-sp-test ships it (`responses/xsw/`): the signed element stays intact somewhere in the tree
// (so its digest still matches) while an evil, unsigned copy sits where a naive consumer reads.

const SAML_NS = "urn:oasis:names:tc:SAML:2.0:assertion";
const SAMLP_NS = "urn:oasis:names:tc:SAML:2.0:protocol";
const DS_NS = "http://www.w3.org/2000/09/xmldsig#";
export const EVIL_FISCAL_NUMBER = "TINIT-VLLMLL80A01H501X";

function rewrite(xml: string, change: (doc: Document, root: Element) => void): string {
  const doc = new DOMParser().parseFromString(xml, "application/xml");
  const root = doc.documentElement;
  if (root === null) throw new Error("no document element");
  change(doc, root);
  return new XMLSerializer().serializeToString(doc);
}

function child(parent: Element, namespace: string, localName: string): Element {
  for (let node = parent.firstChild; node !== null; node = node.nextSibling) {
    const candidate = node as Element;
    if (node.nodeType === 1 && candidate.namespaceURI === namespace && candidate.localName === localName) {
      return candidate;
    }
  }
  throw new Error(`no ${localName} in ${parent.localName}`);
}

/** A copy of `element` without its own ds:Signature. */
function unsignedCopy(element: Element): Element {
  const copy = element.cloneNode(true) as Element;
  for (let node = copy.firstChild; node !== null; node = node.nextSibling) {
    if (node.nodeType === 1 && (node as Element).namespaceURI === DS_NS) copy.removeChild(node);
  }
  return copy;
}

/** The attacker's identity: another fiscal number in the copy a naive consumer would read. */
function makeEvil(assertion: Element): void {
  for (const value of Array.from(assertion.getElementsByTagNameNS(SAML_NS, "AttributeValue"))) {
    if ((value.textContent ?? "").startsWith("TINIT-")) value.textContent = EVIL_FISCAL_NUMBER;
  }
}

export type XswVariant = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;

/**
 * XSW1 and XSW2 need a signed Response; XSW3–XSW8 a signed Assertion (build with
 * `signResponse: true` for 1–2).
 */
export function wrapSignature(signedXml: string, variant: XswVariant): string {
  return rewrite(signedXml, (doc, root) => {
    const assertion = child(root, SAML_NS, "Assertion");
    switch (variant) {
      case 1:
      case 2: {
        // A new evil root Response; the signed original moves inside its Signature (1) or before it (2).
        const evil = root.cloneNode(true) as Element;
        evil.setAttribute("ID", "_evil-response");
        makeEvil(child(evil, SAML_NS, "Assertion"));
        const signature = child(evil, DS_NS, "Signature");
        const original = unsignedCopy(root);
        if (variant === 1) signature.appendChild(original);
        else evil.insertBefore(original, signature);
        doc.replaceChild(evil, root);
        return;
      }
      case 3:
      case 4: {
        // An evil unsigned Assertion before the signed one (3) or wrapping it (4).
        const evil = unsignedCopy(assertion);
        evil.setAttribute("ID", "_evil-assertion");
        makeEvil(evil);
        root.insertBefore(evil, assertion);
        if (variant === 4) evil.appendChild(assertion);
        return;
      }
      case 5:
      case 6:
      case 8: {
        // The signed Assertion is altered; an untouched unsigned copy (same ID) carries the digest,
        // at the end of the Response (5), inside the Signature (6), inside a ds:Object (8).
        const original = unsignedCopy(assertion);
        makeEvil(assertion);
        const signature = child(assertion, DS_NS, "Signature");
        if (variant === 5) root.appendChild(original);
        if (variant === 6) signature.appendChild(original);
        if (variant === 8) {
          const object = doc.createElementNS(DS_NS, "ds:Object");
          object.appendChild(original);
          signature.appendChild(object);
        }
        return;
      }
      case 7: {
        // An evil unsigned Assertion inside samlp:Extensions, before Status.
        const extensions = doc.createElementNS(SAMLP_NS, "samlp:Extensions");
        const evil = unsignedCopy(assertion);
        makeEvil(evil);
        extensions.appendChild(evil);
        root.insertBefore(extensions, child(root, SAMLP_NS, "Status"));
        return;
      }
    }
  });
}

/** The Assertion's Reference gains an XSLT transform (spid-sp-test "xslt", XMLDSig §6.6.5). */
export function addXsltTransform(signedXml: string): string {
  return rewrite(signedXml, (doc, root) => {
    const reference = child(
      child(child(child(root, SAML_NS, "Assertion"), DS_NS, "Signature"), DS_NS, "SignedInfo"),
      DS_NS,
      "Reference",
    );
    const transforms = child(reference, DS_NS, "Transforms");
    const transform = doc.createElementNS(DS_NS, "ds:Transform");
    transform.setAttribute("Algorithm", "http://www.w3.org/TR/1999/REC-xslt-19991116");
    const stylesheet = doc.createElementNS("http://www.w3.org/1999/XSL/Transform", "xsl:stylesheet");
    stylesheet.setAttribute("version", "1.0");
    stylesheet.appendChild(doc.createElementNS("http://www.w3.org/1999/XSL/Transform", "xsl:template"));
    transform.appendChild(stylesheet);
    transforms.insertBefore(transform, transforms.firstChild);
  });
}

/** A DTD with an internal entity right after the XML declaration (XXE / billion-laughs shape). */
export function addDoctype(xml: string): string {
  return xml.replace("?>", '?><!DOCTYPE samlp:Response [<!ENTITY who "attacker">]>');
}

/** The Assertion replaced by (or joined by) an EncryptedAssertion. */
export function encryptAssertion(xml: string, keepAssertion = false): string {
  return rewrite(xml, (doc, root) => {
    const assertion = child(root, SAML_NS, "Assertion");
    const encrypted = doc.createElementNS(SAML_NS, "saml:EncryptedAssertion");
    const data = doc.createElementNS("http://www.w3.org/2001/04/xmlenc#", "xenc:EncryptedData");
    data.setAttribute("Type", "http://www.w3.org/2001/04/xmlenc#Element");
    encrypted.appendChild(data);
    root.insertBefore(encrypted, assertion);
    if (!keepAssertion) root.removeChild(assertion);
  });
}

/** Changes an attribute of the first element with this local name, after signing. */
export function tamper(xml: string, localName: string, attribute: string, value: string): string {
  return rewrite(xml, (doc) => {
    const target = doc.getElementsByTagName("*");
    const found = Array.from(target).find((element) => element.localName === localName);
    if (found === undefined) throw new Error(`no ${localName}`);
    found.setAttribute(attribute, value);
  });
}

/** Replaces the text of the first element with this local name, after signing. */
export function tamperText(xml: string, localName: string, value: string): string {
  return rewrite(xml, (doc) => {
    const found = Array.from(doc.getElementsByTagName("*")).find((element) => element.localName === localName);
    if (found === undefined) throw new Error(`no ${localName}`);
    found.textContent = value;
  });
}
