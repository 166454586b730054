import { type KeyObject, verify, X509Certificate } from "node:crypto";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { type LogoutFailure, refusalAsFailure, refuseLogout } from "./saml-message.js";
import { type SamlSigningCredential, signRedirectQuery } from "./xml-signature.js";

/**
 * The HTTP-Redirect binding for any SAML message (SAML Bindings §3.4): DEFLATE, base64 and URL
 * encoding, and the query-string signature of §3.4.4.1 — which covers the URL-encoded octets as
 * they travel, so the reader verifies the raw query it received and decodes only afterwards.
 */

export type RedirectParameter = "SAMLRequest" | "SAMLResponse";

/** A SPID logout message is a few kilobytes; 256 KiB is far above and still harmless. */
export const DEFAULT_MAX_MESSAGE_BYTES = 256 * 1024;

/** Bindings §3.4.4.1 SigAlg values accepted: RSA PKCS#1 v1.5 and ECDSA with SHA-2 (RFC 6931 §2.3). */
const SIGNATURE_ALGORITHMS: Readonly<Record<string, { hash: string; keyType: "rsa" | "ec" }>> = {
  "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256": { hash: "sha256", keyType: "rsa" },
  "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384": { hash: "sha384", keyType: "rsa" },
  "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512": { hash: "sha512", keyType: "rsa" },
  "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256": { hash: "sha256", keyType: "ec" },
  "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384": { hash: "sha384", keyType: "ec" },
  "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512": { hash: "sha512", keyType: "ec" },
};

/** Bindings §3.4.4: the only SAMLEncoding we know, also the default when the parameter is absent. */
const DEFLATE_ENCODING = "urn:oasis:names:tc:SAML:2.0:bindings:URL-Encoding:DEFLATE";

/** The query parameters the binding defines; any other is ignored (Bindings §3.4.4.1). */
const BINDING_PARAMETERS = ["SAMLRequest", "SAMLResponse", "RelayState", "SigAlg", "Signature", "SAMLEncoding"];

/**
 * Encodes `xml` for the HTTP-Redirect binding and signs the query (Bindings §3.4.4, §3.4.4.1).
 * Returns the URL for the 302/303 Location. `relayState` must match `[A-Za-z0-9_-]{1,80}`.
 *
 * @example
 * const request = buildLogoutRequest({ spEntityId, destination: idpSlo, nameId, nameQualifier, issueInstant: now });
 * return c.redirect(redirectUrl(idpSlo, "SAMLRequest", request.xml, newRelayState(), credential), 303);
 */
export function redirectUrl(
  destination: string,
  parameter: RedirectParameter,
  xml: string,
  relayState: string | undefined,
  credential: SamlSigningCredential,
): string {
  const encoded = deflateRawSync(Buffer.from(xml, "utf8")).toString("base64");
  const query = signRedirectQuery(
    relayState === undefined ? { parameter, encoded } : { parameter, encoded, relayState },
    credential.privateKey,
  );
  return `${destination}${destination.includes("?") ? "&" : "?"}${query}`;
}

export interface ReadRedirectOptions {
  /** Default true: an unsigned message is refused (single-logout.rst: logout messages are signed). */
  readonly requireSignature?: boolean;
  /** Largest inflated XML accepted (default {@link DEFAULT_MAX_MESSAGE_BYTES}). */
  readonly maxBytes?: number;
}

export type RedirectReading = { ok: true; xml: string; relayState?: string } | LogoutFailure;

/**
 * Reads a Redirect-binding message from the raw query string (with or without `?`), exactly as
 * received: verifies SigAlg and Signature against one of `certificates` (DER, from the IdP
 * metadata — never from the message), then inflates at most `maxBytes` and returns the XML.
 * Never throws for bad input.
 */
export function readRedirectMessage(
  rawQuery: string,
  parameter: RedirectParameter,
  certificates: readonly Uint8Array[],
  options: ReadRedirectOptions = {},
): RedirectReading {
  return refusalAsFailure(() => {
    const maxBytes = options.maxBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    const query = rawQuery.startsWith("?") ? rawQuery.slice(1) : rawQuery;
    // base64 of DEFLATE output, percent-encoded: four times the limit is already generous.
    if (query.length > 4 * maxBytes + 4096) refuseLogout("SAML_TOO_LARGE", `the query is over ${maxBytes} bytes`);
    const fields = bindingFields(query);
    const message = fields.get(parameter);
    if (message === undefined) refuseLogout("SAML_BAD_ENCODING", `the query carries no ${parameter}`);
    if (fields.has(parameter === "SAMLRequest" ? "SAMLResponse" : "SAMLRequest")) {
      refuseLogout("SAML_BAD_ENCODING", "the query carries both SAMLRequest and SAMLResponse");
    }
    const encoding = fields.get("SAMLEncoding");
    if (encoding !== undefined && formDecode(encoding) !== DEFLATE_ENCODING) {
      refuseLogout("SAML_BAD_ENCODING", `SAMLEncoding ${formDecode(encoding)} is not DEFLATE`);
    }
    verifyQuerySignature(fields, parameter, certificates, options.requireSignature ?? true);
    const xml = inflateMessage(formDecode(message), maxBytes);
    const relayState = fields.has("RelayState") ? formDecode(fields.get("RelayState") ?? "") : "";
    return relayState === "" ? { ok: true as const, xml } : { ok: true as const, xml, relayState };
  });
}

/** The binding's parameters, still URL-encoded; a repeated one makes the query ambiguous. */
function bindingFields(query: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const pair of query.split("&")) {
    const equals = pair.indexOf("=");
    const name = equals < 0 ? pair : pair.slice(0, equals);
    if (!BINDING_PARAMETERS.includes(name)) continue;
    if (fields.has(name)) refuseLogout("SAML_BAD_ENCODING", `${name} is repeated`);
    fields.set(name, equals < 0 ? "" : pair.slice(equals + 1));
  }
  return fields;
}

/** application/x-www-form-urlencoded value: `+` is a space, `%XX` an octet of UTF-8. */
function formDecode(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, " "));
  } catch {
    return refuseLogout("SAML_BAD_ENCODING", "a query value is not valid percent-encoded UTF-8");
  }
}

/** Strict base64 (RFC 4648 §4); line breaks are tolerated, nothing else. */
export function decodeBase64(text: string): Buffer | undefined {
  const compact = text.replace(/[\r\n]/g, "");
  if (compact === "" || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return undefined;
  return Buffer.from(compact, "base64");
}

/**
 * Bindings §3.4.4.1: the signed octets are `PARAM=value[&RelayState=value]&SigAlg=value`, values
 * as they appear in the query (not re-encoded), in that order.
 */
function verifyQuerySignature(
  fields: Map<string, string>,
  parameter: RedirectParameter,
  certificates: readonly Uint8Array[],
  requireSignature: boolean,
): void {
  const signature = fields.get("Signature");
  const sigAlg = fields.get("SigAlg");
  if (signature === undefined && sigAlg === undefined) {
    if (requireSignature) refuseLogout("SAML_UNSIGNED", "the query carries no Signature");
    return;
  }
  if (signature === undefined || sigAlg === undefined) {
    refuseLogout("SAML_BAD_SIGNATURE", "Signature and SigAlg must come together");
  }
  const algorithm = SIGNATURE_ALGORITHMS[formDecode(sigAlg)];
  if (algorithm === undefined) {
    refuseLogout("SAML_SIGNATURE_ALGORITHM_FORBIDDEN", `SigAlg ${formDecode(sigAlg)} is not accepted`);
  }
  const relayState = fields.get("RelayState");
  const signed = Buffer.from(
    `${parameter}=${fields.get(parameter)}${relayState === undefined ? "" : `&RelayState=${relayState}`}&SigAlg=${sigAlg}`,
    "utf8",
  );
  const signatureBytes = decodeBase64(formDecode(signature));
  if (signatureBytes === undefined) refuseLogout("SAML_BAD_ENCODING", "Signature is not base64");
  for (const certificate of certificates) {
    const key = publicKeyOf(certificate);
    if (key?.asymmetricKeyType !== algorithm.keyType) continue;
    if (verifies(algorithm.hash, signed, key, signatureBytes)) return;
  }
  refuseLogout("SAML_BAD_SIGNATURE", "the query signature does not verify with the IdP keys");
}

function publicKeyOf(certificate: Uint8Array): KeyObject | undefined {
  try {
    return new X509Certificate(certificate).publicKey;
  } catch {
    return undefined;
  }
}

/** RSA PKCS#1 v1.5; ECDSA as r‖s (RFC 4051 §3.4.1, as XML DSig writes it) or, as some do, DER. */
function verifies(hash: string, data: Buffer, key: KeyObject, signature: Buffer): boolean {
  try {
    if (key.asymmetricKeyType === "rsa") return verify(hash, data, key, signature);
    return (
      verify(hash, data, { key, dsaEncoding: "ieee-p1363" }, signature) ||
      verify(hash, data, { key, dsaEncoding: "der" }, signature)
    );
  } catch {
    return false;
  }
}

/** Bindings §3.4.4.1 DEFLATE (RFC 1951, raw): inflated with a hard output limit (zip bombs). */
function inflateMessage(value: string, maxBytes: number): string {
  const deflated = decodeBase64(value);
  if (deflated === undefined) return refuseLogout("SAML_BAD_ENCODING", "the message is not base64");
  let inflated: Buffer;
  try {
    inflated = inflateRawSync(deflated, { maxOutputLength: maxBytes });
  } catch (error) {
    const tooLarge = (error as { code?: unknown }).code === "ERR_BUFFER_TOO_LARGE";
    return tooLarge
      ? refuseLogout("SAML_TOO_LARGE", `the message inflates to more than ${maxBytes} bytes`)
      : refuseLogout("SAML_BAD_ENCODING", "the message is not DEFLATE data");
  }
  let xml: string;
  try {
    xml = new TextDecoder("utf-8", { fatal: true }).decode(inflated);
  } catch {
    return refuseLogout("SAML_BAD_ENCODING", "the message is not UTF-8");
  }
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) refuseLogout("SAML_DOCTYPE", "the message declares a DTD");
  return xml;
}
