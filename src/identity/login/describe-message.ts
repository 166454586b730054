import type { MessageDescription } from "../adapters/login-repository.js";
import { childElements, parseStrictXml, SAML_ASSERTION_NAMESPACE, textOf } from "../saml/index.js";

/** What a SAML message says about itself: the register's fields and, for a StatusResponse, whom it answers. */
export interface MessageHeader {
  readonly fields: MessageDescription;
  readonly inResponseTo: string | null;
}

const NOTHING: MessageHeader = {
  fields: {
    responseId: null,
    responseIssueInstant: null,
    responseIssuer: null,
    assertionId: null,
    nameId: null,
    nameQualifier: null,
  },
  inResponseTo: null,
};

class Unreadable extends Error {}
const unreadable = (): never => {
  throw new Unreadable();
};

/**
 * Reads a SAML message's header once, for the register (AgID log.rst) and to find the request an
 * answer belongs to. A refused Response is recorded too, so this is best-effort with the same
 * strict reader as everything else (no DTD): an unreadable message gives empty fields. It decides
 * nothing; every decision is made on the verified message.
 */
export function describeSamlMessage(xml: string): MessageHeader {
  try {
    const root = parseStrictXml(xml, unreadable).documentElement;
    const [assertion] = childElements(root, SAML_ASSERTION_NAMESPACE, "Assertion");
    const nameId = assertion?.getElementsByTagNameNS(SAML_ASSERTION_NAMESPACE, "NameID")[0] ?? undefined;
    return {
      fields: {
        responseId: root.getAttribute("ID") || null,
        responseIssueInstant: root.getAttribute("IssueInstant") || null,
        responseIssuer: textOf(childElements(root, SAML_ASSERTION_NAMESPACE, "Issuer")[0]) ?? null,
        assertionId: assertion?.getAttribute("ID") || null,
        nameId: textOf(nameId) ?? null,
        nameQualifier: nameId?.getAttribute("NameQualifier") || null,
      },
      inResponseTo: root.getAttribute("InResponseTo") || null,
    };
  } catch (error) {
    if (error instanceof Unreadable) return NOTHING;
    throw error;
  }
}
