import { randomBytes } from "node:crypto";
import {
  CIE_ATTRIBUTES,
  CIE_NAMESPACE,
  HTTP_POST_BINDING,
  HTTP_REDIRECT_BINDING,
  SAML_METADATA_NAMESPACE,
  SAML_PROTOCOL_NAMESPACE,
  type SamlFederation,
  SPID_NAMESPACE,
  type SpidAttribute,
  TRANSIENT_NAME_ID_FORMAT,
} from "./saml-names.js";
import { type SamlSigningCredential, signEnveloped, XMLDSIG_NAMESPACE } from "./xml-signature.js";
import { attributes, textElement } from "./xml-text.js";

/**
 * The SP metadata of a public administration (SAML Metadata §2.3–2.4, AgID "Regole tecniche"
 * metadata.rst with Avvisi 6, 19 v4 and 29 v3; CIE manuale tecnico for the CIE variant), built from
 * configuration and signed with the SP key: ds:Signature first child of EntityDescriptor.
 */

export interface LocalizedText {
  readonly it: string;
  readonly en?: string;
}

export interface SingleLogoutService {
  readonly binding: "HTTP-Redirect" | "HTTP-POST";
  readonly location: string;
  readonly responseLocation?: string;
}

export interface AttributeConsumingService {
  readonly serviceName: LocalizedText;
  readonly attributes: readonly SpidAttribute[];
}

/** The public-SP contact (SPID `contactType="other"`, CIE `contactType="administrative"`). */
export interface PublicSpContact {
  /** IndicePA code, e.g. `c_h501`. */
  readonly ipaCode: string;
  /** Institutional address, not a person's (metadata.rst). */
  readonly email: string;
  /** International format without spaces, e.g. `+390612345678`. */
  readonly phone?: string;
  /** CIE only, required there: the Belfiore code of the municipality, e.g. `H501`. */
  readonly municipality?: string;
  /** CIE only: province code, e.g. `RM`. */
  readonly province?: string;
  /** CIE only: ISO 3166-1 alpha-2, e.g. `IT`. */
  readonly country?: string;
}

export interface SpMetadataConfig {
  readonly federation: SamlFederation;
  /** HTTPS URI; equal to the `uri` (2.5.4.83) of the SP certificate (Avviso 29 v3). */
  readonly entityId: string;
  /** EntityDescriptor/@ID; a fresh `_` + random value when omitted. */
  readonly id?: string;
  /** X.509 DER, at least one; each becomes a `KeyDescriptor use="signing"`. */
  readonly signingCertificates: readonly Uint8Array[];
  /** HTTP-POST ACS locations; the position is the `index`, index 0 is the default. */
  readonly assertionConsumerServices: readonly string[];
  readonly singleLogoutServices: readonly SingleLogoutService[];
  /** The position is the `index` that AuthnRequest's AttributeConsumingServiceIndex names. */
  readonly attributeConsumingServices: readonly AttributeConsumingService[];
  readonly organization: {
    /** Full official name, as the certificate's O. */
    readonly name: LocalizedText;
    /** What the IdP shows the user. */
    readonly displayName: LocalizedText;
    readonly url: LocalizedText;
  };
  readonly contact: PublicSpContact;
}

/** Endpoints under one base URL: `/auth/spid/…` or `/auth/cie/…`. */
export function spEndpoints(
  baseUrl: string,
  federation: SamlFederation,
): { metadata: string; assertionConsumerService: string; singleLogoutService: string } {
  const base = `${baseUrl.replace(/\/+$/, "")}/auth/${federation}`;
  return { metadata: `${base}/metadata`, assertionConsumerService: `${base}/acs`, singleLogoutService: `${base}/slo` };
}

/** The signed metadata document (UTF-8 text, with an XML declaration). */
export function buildSpMetadata(config: SpMetadataConfig, credential: SamlSigningCredential): string {
  checkMetadataConfig(config);
  const extension = config.federation === "spid" ? `xmlns:spid="${SPID_NAMESPACE}"` : `xmlns:cie="${CIE_NAMESPACE}"`;
  const root = attributes({
    entityID: config.entityId,
    ID: config.id ?? `_${randomBytes(20).toString("hex")}`,
  });
  const xml =
    `<md:EntityDescriptor xmlns:md="${SAML_METADATA_NAMESPACE}" xmlns:ds="${XMLDSIG_NAMESPACE}" ${extension}${root}>` +
    spSsoDescriptor(config) +
    organization(config) +
    contactPerson(config) +
    "</md:EntityDescriptor>";
  return `<?xml version="1.0" encoding="UTF-8"?>\n${signEnveloped(xml, credential, "first-child")}`;
}

/** SAML Metadata §2.4.4; children in XSD order (KeyDescriptor, SLO, NameIDFormat, ACS, AttributeConsumingService). */
function spSsoDescriptor(config: SpMetadataConfig): string {
  const keys = config.signingCertificates.map(
    (der) =>
      '<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>' +
      `${Buffer.from(der).toString("base64")}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`,
  );
  const logout = config.singleLogoutServices.map(
    (slo) =>
      `<md:SingleLogoutService${attributes({
        Binding: slo.binding === "HTTP-POST" ? HTTP_POST_BINDING : HTTP_REDIRECT_BINDING,
        Location: slo.location,
        ResponseLocation: slo.responseLocation,
      })}/>`,
  );
  const acs = config.assertionConsumerServices.map(
    (location, index) =>
      `<md:AssertionConsumerService${attributes({
        index,
        isDefault: index === 0 ? "true" : undefined,
        Binding: HTTP_POST_BINDING,
        Location: location,
      })}/>`,
  );
  return (
    `<md:SPSSODescriptor${attributes({
      protocolSupportEnumeration: SAML_PROTOCOL_NAMESPACE,
      AuthnRequestsSigned: "true",
      WantAssertionsSigned: "true",
    })}>` +
    [...keys, ...logout, textElement("md:NameIDFormat", TRANSIENT_NAME_ID_FORMAT), ...acs].join("") +
    config.attributeConsumingServices.map(attributeConsumingService).join("") +
    "</md:SPSSODescriptor>"
  );
}

function localized(name: string, text: LocalizedText): string {
  const en = text.en === undefined ? "" : textElement(name, text.en, { "xml:lang": "en" });
  return textElement(name, text.it, { "xml:lang": "it" }) + en;
}

/** SAML Metadata §2.4.4.2; RequestedAttribute names from attributi.rst, NameFormat basic omitted (optional). */
function attributeConsumingService(service: AttributeConsumingService, index: number): string {
  const requested = service.attributes.map((name) => `<md:RequestedAttribute${attributes({ Name: name })}/>`);
  return (
    `<md:AttributeConsumingService${attributes({ index })}>` +
    localized("md:ServiceName", service.serviceName) +
    requested.join("") +
    "</md:AttributeConsumingService>"
  );
}

/** SAML Metadata §2.3.2.1; metadata.rst: each child at least once in Italian. */
function organization(config: SpMetadataConfig): string {
  const { name, displayName, url } = config.organization;
  return (
    "<md:Organization>" +
    localized("md:OrganizationName", name) +
    localized("md:OrganizationDisplayName", displayName) +
    localized("md:OrganizationURL", url) +
    "</md:Organization>"
  );
}

/**
 * SAML Metadata §2.3.2.2. SPID (Avviso 29 v3): one `other` contact with spid:IPACode and spid:Public.
 * CIE (manuale tecnico): an `administrative` contact with cie:Public, cie:IPACode, cie:Municipality
 * and optionally cie:Province, cie:Country. md:Company, when present, equals OrganizationName.
 */
function contactPerson(config: SpMetadataConfig): string {
  const { contact } = config;
  const extensions =
    config.federation === "spid"
      ? `${textElement("spid:IPACode", contact.ipaCode)}<spid:Public/>`
      : "<cie:Public/>" +
        textElement("cie:IPACode", contact.ipaCode) +
        textElement("cie:Municipality", contact.municipality ?? "") +
        (contact.province === undefined ? "" : textElement("cie:Province", contact.province)) +
        (contact.country === undefined ? "" : textElement("cie:Country", contact.country));
  const type = config.federation === "spid" ? "other" : "administrative";
  return (
    `<md:ContactPerson contactType="${type}"><md:Extensions>${extensions}</md:Extensions>` +
    textElement("md:Company", config.organization.name.it) +
    textElement("md:EmailAddress", contact.email) +
    (contact.phone === undefined ? "" : textElement("md:TelephoneNumber", contact.phone)) +
    "</md:ContactPerson>"
  );
}

/** The rules of metadata.rst (and the CIE manual) a configuration can break; throws listing all of them. */
export function checkMetadataConfig(config: SpMetadataConfig): void {
  const problems: string[] = [];
  const need = (ok: boolean, problem: string) => {
    if (!ok) problems.push(problem);
  };
  need(/^https?:\/\/[^\s?#]+$/.test(config.entityId), "entityId must be an http(s) URI without query or fragment");
  need(config.id === undefined || /^[A-Za-z_][\w.-]*$/.test(config.id), "id must be an xs:ID (NCName)");
  need(config.signingCertificates.length > 0, "at least one signing certificate");
  need(config.assertionConsumerServices.length > 0, "at least one AssertionConsumerService");
  need(config.singleLogoutServices.length > 0, "at least one SingleLogoutService");
  need(config.attributeConsumingServices.length > 0, "at least one AttributeConsumingService");
  for (const [index, service] of config.attributeConsumingServices.entries()) {
    need(service.serviceName.it.trim() !== "", `AttributeConsumingService ${index} needs an Italian ServiceName`);
    need(service.attributes.length > 0, `AttributeConsumingService ${index} requests no attribute`);
    need(
      new Set(service.attributes).size === service.attributes.length,
      `AttributeConsumingService ${index} repeats an attribute`,
    );
  }
  const { contact } = config;
  need(contact.ipaCode.trim() !== "", "contact.ipaCode is required for a public SP");
  need(/^[^\s@]+@[^\s@]+$/.test(contact.email), "contact.email must be an e-mail address");
  need(contact.phone === undefined || /^\+\d{6,15}$/.test(contact.phone), "contact.phone must be +<digits>, no spaces");
  if (config.federation === "cie") checkCieConfig(config, need);
  if (problems.length > 0) throw new Error(`SAML SP metadata configuration: ${problems.join("; ")}`);
}

function checkCieConfig(config: SpMetadataConfig, need: (ok: boolean, problem: string) => void): void {
  const allowed: readonly string[] = CIE_ATTRIBUTES;
  for (const service of config.attributeConsumingServices) {
    const extra = service.attributes.filter((name) => !allowed.includes(name));
    need(extra.length === 0, `CIE releases only ${CIE_ATTRIBUTES.join(", ")}, not ${extra.join(", ")}`);
  }
  need(
    config.singleLogoutServices.some((slo) => slo.binding === "HTTP-Redirect"),
    "CIE needs an HTTP-Redirect SingleLogoutService",
  );
  need(/^[A-Z]\d{3}$/.test(config.contact.municipality ?? ""), "CIE needs contact.municipality, a Belfiore code");
}
