import { createPrivateKey, type KeyObject, sign, X509Certificate } from "node:crypto";
import { SignedXml } from "xml-crypto";

/**
 * XML Signature for the messages the SP sends: enveloped, exclusive canonicalisation, RSA-SHA256
 * and SHA-256 (SAML Core §5.4, AgID "Regole tecniche" single-sign-on.rst: RSA ≥ 2048, SHA-256 or
 * better), KeyInfo with the SP certificate (the SPID metadata check requires X509Certificate).
 * Plus the HTTP-Redirect binding's query-string signature (SAML Bindings §3.4.4.1).
 */

export const XMLDSIG_NAMESPACE = "http://www.w3.org/2000/09/xmldsig#";
/** RFC 6931 §2.3.2 */
export const RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
/** XML Encryption §5.7.2 */
export const SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256";
export const EXCLUSIVE_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#";
export const ENVELOPED_SIGNATURE = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

/** The SP's signing key and its certificate (the one published in the metadata KeyDescriptor). */
export interface SamlSigningCredential {
  readonly privateKey: KeyObject;
  /** X.509 certificate, DER. */
  readonly certificate: Uint8Array;
}

/** Builds a credential from a PKCS#8 DER private key, as `generateDevCertificates` returns it. */
export function samlSigningCredential(privateKeyPkcs8: Uint8Array, certificate: Uint8Array): SamlSigningCredential {
  const privateKey = createPrivateKey({ key: Buffer.from(privateKeyPkcs8), format: "der", type: "pkcs8" });
  if (privateKey.asymmetricKeyType !== "rsa" || (privateKey.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) {
    throw new Error("the SAML signing key must be RSA of at least 2048 bits (AgID Avviso 29 v3)");
  }
  return { privateKey, certificate };
}

/**
 * Where the enveloped Signature goes, as the schema orders the children:
 * - `first-child`: EntityDescriptor (SAML Metadata §2.3.2: `ds:Signature` precedes everything);
 * - `after-issuer`: protocol messages (SAML Core §3.2.1 RequestAbstractType: Issuer, Signature, …).
 */
export type SignaturePlacement = "first-child" | "after-issuer";

const ISSUER_XPATH = "/*/*[local-name(.)='Issuer' and namespace-uri(.)='urn:oasis:names:tc:SAML:2.0:assertion']";

/**
 * Signs the document element with an enveloped signature whose Reference is `#` + its `ID`
 * (SAML Core §5.4.2: the reference identifies the signed element by its ID attribute).
 */
export function signEnveloped(xml: string, credential: SamlSigningCredential, placement: SignaturePlacement): string {
  const rootId = /^\s*(?:<\?xml[^>]*\?>\s*)?<[^\s>]+\s[^>]*?\bID="([^"]+)"/.exec(xml)?.[1];
  if (rootId === undefined) throw new Error("the element to sign has no ID attribute (SAML Core §5.4.2)");
  const signer = new SignedXml({
    privateKey: credential.privateKey,
    publicCert: new X509Certificate(credential.certificate).toString(),
    signatureAlgorithm: RSA_SHA256,
    canonicalizationAlgorithm: EXCLUSIVE_C14N,
  });
  // SAML Core §5.4.4: enveloped-signature then exclusive c14n, and no other transform.
  signer.addReference({
    xpath: "/*",
    transforms: [ENVELOPED_SIGNATURE, EXCLUSIVE_C14N],
    digestAlgorithm: SHA256,
  });
  signer.computeSignature(xml, {
    prefix: "ds",
    location:
      placement === "first-child"
        ? { reference: "/*", action: "prepend" }
        : { reference: ISSUER_XPATH, action: "after" },
  });
  const signed = signer.getSignedXml();
  if (!signed.includes(`URI="#${rootId}"`)) throw new Error("the signature does not reference the element's ID");
  return signed;
}

/** The SAML message a Redirect-binding query carries (Bindings §3.4.4). */
export interface RedirectMessage {
  readonly parameter: "SAMLRequest" | "SAMLResponse";
  /** DEFLATE-encoded (raw, RFC 1951) and base64-encoded message, not yet URL-encoded. */
  readonly encoded: string;
  /** Opaque, at most 80 bytes (Bindings §3.4.3); we keep it to `[A-Za-z0-9_-]`. */
  readonly relayState?: string;
}

/** Bindings §3.4.3: RelayState ≤ 80 bytes; AgID "Regole tecniche": not intelligible, so no URLs. */
export const RELAY_STATE_PATTERN = /^[A-Za-z0-9_-]{1,80}$/;

/**
 * A RelayState we only echo (Bindings §3.4.3: the answer to a request carries the sender's
 * RelayState unchanged): any text of at most 80 bytes without control characters.
 */
export function isEchoableRelayState(value: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  return value !== "" && Buffer.byteLength(value, "utf8") <= 80 && !/[\u0000-\u001f\u007f]/.test(value);
}

/**
 * SAML Bindings §3.4.4.1: the signature covers the URL-encoded octets of
 * `SAMLRequest=value&RelayState=value&SigAlg=value` in that order (RelayState only when present),
 * and is appended as `&Signature=value`. Returns the complete query string, without `?`.
 * Every value goes through encodeURIComponent; with our own RelayStates (`[A-Za-z0-9_-]`) the
 * result is the same as Python's `quote_plus`, which spid-sp-test re-encodes with. An IdP's
 * RelayState we echo may be any text of at most 80 bytes.
 */
export function signRedirectQuery(message: RedirectMessage, privateKey: KeyObject): string {
  if (message.relayState !== undefined && !isEchoableRelayState(message.relayState)) {
    throw new Error("RelayState must be 1 to 80 bytes without control characters (SAML Bindings §3.4.3)");
  }
  const parts = [`${message.parameter}=${encodeURIComponent(message.encoded)}`];
  if (message.relayState !== undefined) parts.push(`RelayState=${encodeURIComponent(message.relayState)}`);
  parts.push(`SigAlg=${encodeURIComponent(RSA_SHA256)}`);
  const signedPart = parts.join("&");
  const signature = sign("sha256", Buffer.from(signedPart, "utf8"), privateKey).toString("base64");
  return `${signedPart}&Signature=${encodeURIComponent(signature)}`;
}
