import {
  HTTP_POST_BINDING,
  HTTP_REDIRECT_BINDING,
  newSamlId,
  SAML_ASSERTION_NAMESPACE,
  SAML_METADATA_NAMESPACE,
  SAML_PROTOCOL_NAMESPACE,
  type SamlSigningCredential,
  signEnveloped,
} from "../saml/index.js";
import { BASIC_ATTRIBUTE_NAME_FORMAT, TRANSIENT_NAME_ID_FORMAT } from "../saml/saml-names.js";
import { XMLDSIG_NAMESPACE } from "../saml/xml-signature.js";
import { attributes, textElement } from "../saml/xml-text.js";
import type { DevIdpEndpoints } from "./model.js";

/** The attributes the IdP releases (reference §1.7), listed as saml:Attribute like SPID IdPs do. */
export const DEV_IDP_ATTRIBUTES = ["fiscalNumber", "name", "familyName", "email"] as const;

export const DEV_IDP_ORGANIZATION = "Faccia IdP di sviluppo";

/**
 * The IdP's metadata (SAML Metadata §2.3.2 EntityDescriptor, §2.4.3 IDPSSODescriptor), signed
 * with an enveloped signature as its first child (§3.1). IDPSSODescriptor children in XSD order:
 * KeyDescriptor, SingleLogoutService, NameIDFormat, SingleSignOnService, saml:Attribute; then the
 * EntityDescriptor's Organization.
 */
export function buildIdpMetadata(endpoints: DevIdpEndpoints, credential: SamlSigningCredential): string {
  const service = (name: string, binding: string, location: string) =>
    `<md:${name}${attributes({ Binding: binding, Location: location })}/>`;
  const bothBindings = (name: string, location: string) =>
    service(name, HTTP_REDIRECT_BINDING, location) + service(name, HTTP_POST_BINDING, location);
  const descriptor =
    `<md:IDPSSODescriptor${attributes({ protocolSupportEnumeration: SAML_PROTOCOL_NAMESPACE, WantAuthnRequestsSigned: "true" })}>` +
    '<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>' +
    `${Buffer.from(credential.certificate).toString("base64")}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>` +
    bothBindings("SingleLogoutService", endpoints.singleLogout) +
    textElement("md:NameIDFormat", TRANSIENT_NAME_ID_FORMAT) +
    bothBindings("SingleSignOnService", endpoints.singleSignOn) +
    DEV_IDP_ATTRIBUTES.map(
      (name) => `<saml:Attribute${attributes({ Name: name, NameFormat: BASIC_ATTRIBUTE_NAME_FORMAT })}/>`,
    ).join("") +
    "</md:IDPSSODescriptor>";
  const organization =
    "<md:Organization>" +
    textElement("md:OrganizationName", DEV_IDP_ORGANIZATION, { "xml:lang": "it" }) +
    textElement("md:OrganizationDisplayName", DEV_IDP_ORGANIZATION, { "xml:lang": "it" }) +
    textElement("md:OrganizationURL", endpoints.entityId, { "xml:lang": "it" }) +
    "</md:Organization>";
  const root = attributes({
    "xmlns:md": SAML_METADATA_NAMESPACE,
    "xmlns:ds": XMLDSIG_NAMESPACE,
    "xmlns:saml": SAML_ASSERTION_NAMESPACE,
    ID: newSamlId(),
    entityID: endpoints.entityId,
  });
  const xml = `<md:EntityDescriptor${root}>${descriptor}${organization}</md:EntityDescriptor>`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${signEnveloped(xml, credential, "first-child")}`;
}
