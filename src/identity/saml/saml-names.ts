/** Namespaces and fixed URIs of SAML 2.0 and the SPID/CIE profiles, named after their specs. */

export const SAML_METADATA_NAMESPACE = "urn:oasis:names:tc:SAML:2.0:metadata";
export const SAML_ASSERTION_NAMESPACE = "urn:oasis:names:tc:SAML:2.0:assertion";
export const SAML_PROTOCOL_NAMESPACE = "urn:oasis:names:tc:SAML:2.0:protocol";
/** AgID "Regole tecniche" metadata.rst */
export const SPID_NAMESPACE = "https://spid.gov.it/saml-extensions";
/** CIE manuale tecnico (federazione) */
export const CIE_NAMESPACE = "https://www.cartaidentita.interno.gov.it/saml-extensions";

/** SAML Bindings §3.4 and §3.5 */
export const HTTP_REDIRECT_BINDING = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
export const HTTP_POST_BINDING = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";
/** SAML Core §8.3.6 and §8.3.8 */
export const ENTITY_NAME_ID_FORMAT = "urn:oasis:names:tc:SAML:2.0:nameid-format:entity";
export const TRANSIENT_NAME_ID_FORMAT = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient";
/** SAML Core §8.2.1 */
export const BASIC_ATTRIBUTE_NAME_FORMAT = "urn:oasis:names:tc:SAML:2.0:attrname-format:basic";

export type SamlFederation = "spid" | "cie";

/** AgID "Regole tecniche" attributi.rst: the names an SPID AttributeConsumingService may request. */
export const SPID_ATTRIBUTES = [
  "spidCode",
  "name",
  "familyName",
  "placeOfBirth",
  "countyOfBirth",
  "dateOfBirth",
  "gender",
  "companyName",
  "registeredOffice",
  "fiscalNumber",
  "ivaCode",
  "idCard",
  "mobilePhone",
  "email",
  "address",
  "expirationDate",
  "digitalAddress",
  "domicileStreetAddress",
  "domicilePostalCode",
  "domicileMunicipality",
  "domicileProvince",
  "domicileNation",
  "companyFiscalNumber",
] as const;
export type SpidAttribute = (typeof SPID_ATTRIBUTES)[number];

/** CIE manuale tecnico: only the eIDAS minimum data set is released. */
export const CIE_ATTRIBUTES = [
  "name",
  "familyName",
  "dateOfBirth",
  "fiscalNumber",
] as const satisfies readonly SpidAttribute[];

/** AgID "Regole tecniche" single-sign-on.rst: the SPID authentication levels (CIE uses the same URIs). */
export type SpidLevel = 1 | 2 | 3;
export function spidLevelUri(level: SpidLevel): string {
  return `https://www.spid.gov.it/SpidL${level}`;
}
