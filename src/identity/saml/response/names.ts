/**
 * Namespaces and URIs a SPID Response uses (SAML Core §2–§3, XMLDSig Core 1.1, AgID "Regole
 * tecniche" — Avviso SPID n. 29 v3 for the SpidL class references).
 */
export const SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol";
export const SAML = "urn:oasis:names:tc:SAML:2.0:assertion";
export const DS = "http://www.w3.org/2000/09/xmldsig#";

export const STATUS_SUCCESS = "urn:oasis:names:tc:SAML:2.0:status:Success";
export const NAMEID_ENTITY = "urn:oasis:names:tc:SAML:2.0:nameid-format:entity";
export const NAMEID_TRANSIENT = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient";
export const CM_BEARER = "urn:oasis:names:tc:SAML:2.0:cm:bearer";

/** SPID authentication levels, weakest first (Regole tecniche, "AuthnRequest" / AuthnContextClassRef). */
export const SPID_LEVELS = [
  "https://www.spid.gov.it/SpidL1",
  "https://www.spid.gov.it/SpidL2",
  "https://www.spid.gov.it/SpidL3",
] as const;
export type SpidLevel = 1 | 2 | 3;
