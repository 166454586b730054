import { DOMParser, type Element, type Node } from "@xmldom/xmldom";
import type { MessageDescription } from "../adapters/login-repository.js";
import { SAML_ASSERTION_NAMESPACE } from "../saml/index.js";

const NOTHING: MessageDescription = {
  responseId: null,
  responseIssueInstant: null,
  responseIssuer: null,
  assertionId: null,
  nameId: null,
  nameQualifier: null,
};

/**
 * What a SAML message says about itself, for the register only: a refused Response is recorded too,
 * so this reads best-effort (no DTD, parse errors give empty fields) and decides nothing.
 */
export function describeSamlMessage(xml: string): MessageDescription {
  if (xml === "" || /<!DOCTYPE|<!ENTITY/i.test(xml)) return NOTHING;
  try {
    const doc = new DOMParser({ locator: false, onError: () => undefined }).parseFromString(xml, "application/xml");
    const root = doc.documentElement;
    if (!root) return NOTHING;
    const assertion = firstChild(root, "Assertion");
    const nameId = assertion ? firstDescendant(assertion, "NameID") : undefined;
    return {
      responseId: root.getAttribute("ID") || null,
      responseIssueInstant: root.getAttribute("IssueInstant") || null,
      responseIssuer: firstChild(root, "Issuer")?.textContent?.trim() || null,
      assertionId: assertion?.getAttribute("ID") || null,
      nameId: nameId?.textContent?.trim() || null,
      nameQualifier: nameId?.getAttribute("NameQualifier") || null,
    };
  } catch {
    return NOTHING;
  }
}

function firstChild(parent: Element, localName: string): Element | undefined {
  for (let node: Node | null = parent.firstChild; node !== null; node = node.nextSibling) {
    const element = node as Element;
    if (node.nodeType === 1 && element.localName === localName && element.namespaceURI === SAML_ASSERTION_NAMESPACE) {
      return element;
    }
  }
  return undefined;
}

function firstDescendant(parent: Element, localName: string): Element | undefined {
  return parent.getElementsByTagNameNS(SAML_ASSERTION_NAMESPACE, localName)[0] ?? undefined;
}

/** The `InResponseTo` of a StatusResponse, to find the request it answers (checked afterwards). */
export function inResponseToOf(xml: string): string | undefined {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) return undefined;
  try {
    const doc = new DOMParser({ locator: false, onError: () => undefined }).parseFromString(xml, "application/xml");
    return doc.documentElement?.getAttribute("InResponseTo") || undefined;
  } catch {
    return undefined;
  }
}
