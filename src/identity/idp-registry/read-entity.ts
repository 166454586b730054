/**
 * One md:EntityDescriptor → an IdpDescriptor, or the reason it cannot be used (SAML Metadata §2.3.2,
 * §2.4.3 IDPSSODescriptor, §2.4.1.1 KeyDescriptor; reference spid-cie.md §1.8).
 */
import { X509Certificate } from "node:crypto";
import type { Element } from "@xmldom/xmldom";
import { HTTP_POST_BINDING, HTTP_REDIRECT_BINDING, SAML_PROTOCOL_NAMESPACE } from "../saml/index.js";
import { childElements } from "../saml/xml-dom.js";
import { DS, foldedTextOf, MD, MDUI, trimmedAttributeOf, XML_NAMESPACE } from "./metadata-xml.js";
import type { Federation, IdpDescriptor, LogoutEndpoint } from "./model.js";

export type EntityOutcome =
  | { readonly kind: "idp"; readonly idp: IdpDescriptor; readonly notes: readonly string[] }
  | { readonly kind: "skipped"; readonly reason: string }
  /** Not an IdP (an SP, an attribute authority): not ours to report. */
  | { readonly kind: "ignored" };

/** `now` judges certificate validity; only for notes, since expired IdP keys are kept for rotation. */
export function readEntity(entity: Element, entityId: string, federation: Federation, now: Date): EntityOutcome {
  const roles = childElements(entity, MD, "IDPSSODescriptor");
  if (roles.length === 0) return { kind: "ignored" };
  // SAML Metadata §2.4.1: protocolSupportEnumeration lists the protocol URIs the role supports.
  const role = roles.find((candidate) =>
    (candidate.getAttribute("protocolSupportEnumeration") ?? "").split(/\s+/).includes(SAML_PROTOCOL_NAMESPACE),
  );
  if (role === undefined) return { kind: "skipped", reason: "no IDPSSODescriptor supports the SAML 2.0 protocol" };
  const notes: string[] = [];
  const signingCertificates = readSigningCertificates(role, now, notes);
  if (signingCertificates.length === 0) {
    const reason = notes.length > 0 ? `no valid signing certificate (${notes.join("; ")})` : "no signing certificate";
    return { kind: "skipped", reason };
  }
  const singleSignOn = {
    redirect: endpointsOf(role, "SingleSignOnService", HTTP_REDIRECT_BINDING, notes)?.location,
    post: endpointsOf(role, "SingleSignOnService", HTTP_POST_BINDING, notes)?.location,
  };
  if (singleSignOn.redirect === undefined && singleSignOn.post === undefined) {
    return { kind: "skipped", reason: "no SingleSignOnService with the HTTP-Redirect or HTTP-POST binding" };
  }
  const singleLogout = {
    redirect: endpointsOf(role, "SingleLogoutService", HTTP_REDIRECT_BINDING, notes),
    post: endpointsOf(role, "SingleLogoutService", HTTP_POST_BINDING, notes),
  };
  const logoUrl = logoOf(role, entity);
  const idp: IdpDescriptor = {
    federation,
    entityId,
    displayName: displayNameOf(entity, role) ?? entityId,
    signingCertificates: Object.freeze(signingCertificates),
    singleSignOn: Object.freeze(withoutUndefined(singleSignOn)),
    singleLogout: Object.freeze(withoutUndefined(singleLogout)),
    ...(logoUrl === undefined ? {} : { logoUrl }),
  };
  return { kind: "idp", idp: Object.freeze(idp), notes };
}

/**
 * SAML Metadata §2.4.1.1: a KeyDescriptor without `use` serves both signing and encryption. Every
 * ds:X509Certificate is kept (IdPs publish the next key before switching: rotation), expired ones
 * too, with a note; one that does not decode as X.509 is dropped with a note.
 */
function readSigningCertificates(role: Element, now: Date, notes: string[]): Uint8Array[] {
  const found: Uint8Array[] = [];
  const seen = new Set<string>();
  for (const key of childElements(role, MD, "KeyDescriptor")) {
    const use = trimmedAttributeOf(key, "use");
    if (use !== undefined && use !== "signing") continue;
    for (const keyInfo of childElements(key, DS, "KeyInfo")) {
      for (const data of childElements(keyInfo, DS, "X509Data")) {
        for (const element of childElements(data, DS, "X509Certificate")) {
          const base64 = (element.textContent ?? "").replace(/\s+/g, "");
          if (seen.has(base64)) continue;
          seen.add(base64);
          const certificate = decodeCertificate(base64, now, notes);
          if (certificate !== undefined) found.push(certificate);
        }
      }
    }
  }
  return found;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function decodeCertificate(base64: string, now: Date, notes: string[]): Uint8Array | undefined {
  if (base64.length % 4 !== 0 || !BASE64.test(base64)) {
    notes.push("a signing certificate is not base64");
    return undefined;
  }
  const der = new Uint8Array(Buffer.from(base64, "base64"));
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(der);
  } catch {
    notes.push("a signing certificate is not a valid X.509 certificate");
    return undefined;
  }
  const validTo = new Date(certificate.validTo);
  const validFrom = new Date(certificate.validFrom);
  if (validTo < now) notes.push(`signing certificate ${certificate.serialNumber} expired on ${validTo.toISOString()}`);
  if (validFrom > now) {
    notes.push(`signing certificate ${certificate.serialNumber} is valid only from ${validFrom.toISOString()}`);
  }
  return der;
}

/**
 * The first endpoint of this binding with a usable Location (SAML Metadata §2.2.2). Locations end
 * up as form actions and redirect targets, so anything but an absolute http(s) URL is dropped.
 */
function endpointsOf(role: Element, name: string, binding: string, notes: string[]): LogoutEndpoint | undefined {
  for (const endpoint of childElements(role, MD, name)) {
    if (endpoint.getAttribute("Binding") !== binding) continue;
    const location = httpUrl(trimmedAttributeOf(endpoint, "Location"));
    if (location === undefined) {
      notes.push(`${name} ${binding} has no usable http(s) Location`);
      continue;
    }
    const declared = trimmedAttributeOf(endpoint, "ResponseLocation");
    const responseLocation = httpUrl(declared);
    if (declared !== undefined && responseLocation === undefined) {
      notes.push(`${name} ${binding} ResponseLocation is not an http(s) URL`);
    }
    return responseLocation === undefined ? { location } : { location, responseLocation };
  }
  return undefined;
}

function httpUrl(value: string | undefined): string | undefined {
  if (value === undefined || !URL.canParse(value)) return undefined;
  const { protocol } = new URL(value);
  return protocol === "https:" || protocol === "http:" ? value : undefined;
}

/** SAML Metadata §2.3.2.1 Organization: OrganizationDisplayName, else OrganizationName; Italian first. */
function displayNameOf(entity: Element, role: Element): string | undefined {
  const organization = childElements(entity, MD, "Organization")[0] ?? childElements(role, MD, "Organization")[0];
  if (organization === undefined) return undefined;
  return (
    localized(childElements(organization, MD, "OrganizationDisplayName")) ??
    localized(childElements(organization, MD, "OrganizationName"))
  );
}

function localized(elements: Element[]): string | undefined {
  const italian = elements.find((element) => element.getAttributeNS(XML_NAMESPACE, "lang")?.toLowerCase() === "it");
  return foldedTextOf(italian) ?? elements.map((element) => foldedTextOf(element)).find((text) => text !== undefined);
}

/**
 * mdui:Logo (Metadata UI §2.1.5) in the role's or the entity's md:Extensions, else any other
 * `Logo` element there. Only https: URLs and data:image/ URIs: the value becomes an <img src>.
 */
function logoOf(role: Element, entity: Element): string | undefined {
  const extensions = [...childElements(role, MD, "Extensions"), ...childElements(entity, MD, "Extensions")];
  const uiLogos = extensions.flatMap((extension) =>
    childElements(extension, MDUI, "UIInfo").flatMap((info) => childElements(info, MDUI, "Logo")),
  );
  const otherLogos = extensions.flatMap((extension) =>
    Array.from(extension.getElementsByTagName("*")).filter(
      (element) => element.localName?.toLowerCase() === "logo" && element.namespaceURI !== MDUI,
    ),
  );
  for (const logo of [...uiLogos, ...otherLogos]) {
    const value = foldedTextOf(logo);
    if (value === undefined || !URL.canParse(value)) continue;
    const url = new URL(value);
    if (url.protocol === "https:" || (url.protocol === "data:" && url.pathname.startsWith("image/"))) return value;
  }
  return undefined;
}

/** Drops undefined members, so an absent binding is an absent key (what `toEqual` and JSON see). */
function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
