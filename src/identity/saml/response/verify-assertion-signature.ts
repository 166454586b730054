import type { Document, Element } from "@xmldom/xmldom";
import { checkUniqueIds, type RefuseSignature, type SignatureFault, verifyEnveloped } from "../enveloped-signature.js";
import { childElements } from "../xml-dom.js";
import { type ResponseFailureCode, refuse } from "./errors.js";
import { DS, SAML } from "./names.js";

/** What the signatures cover, re-parsed from the exact bytes xml-crypto digested. */
export interface SignedParts {
  /** The Assertion as signed (its own enveloped signature removed). */
  readonly assertion: Element;
  /** The Response as signed, when the IdP signed it too (SAML Profiles §4.1.3.5 allows either). */
  readonly response: Element | undefined;
}

/**
 * Reference §1.4 "Signatures"/"Wrapping" and §5.2 steps 3–5. The document must hold exactly one
 * Assertion, a direct child of the Response, and no EncryptedAssertion; IDs are unique; a
 * ds:Signature may only be a direct child of the Response or of the Assertion, one each. The
 * Assertion signature is mandatory (SAML Profiles §4.1.3.5, AgID Regole tecniche "Processamento
 * della Response"); a Response signature, when present, must verify too. Keys come only from
 * `certificates` (the IdP's registry metadata), never from KeyInfo (GHSA-2xp3-57p7-qf4v).
 * Counting Assertions in the whole document is what defeats XSW1–XSW8: every wrapping variant
 * needs a second Assertion (or Response) somewhere in the tree.
 */
export function verifySignatures(xml: string, doc: Document, certificates: readonly Uint8Array[]): SignedParts {
  const root = doc.documentElement;
  if (root === null) return refuse("SAML_MALFORMED", "no document element");
  const assertion = theAssertion(doc, root);
  checkUniqueIds(doc, refuseSignature);
  checkSignaturePlacement(doc, root, assertion);
  const assertionSignature = childElements(assertion, DS, "Signature")[0];
  if (assertionSignature === undefined) return refuse("SAML_SIGNATURE_MISSING", "the Assertion is not signed");
  const signedAssertion = verifyEnveloped(xml, assertionSignature, assertion, certificates, refuseSignature);
  const responseSignature = childElements(root, DS, "Signature")[0];
  const signedResponse =
    responseSignature === undefined
      ? undefined
      : verifyEnveloped(xml, responseSignature, root, certificates, refuseSignature);
  return { assertion: signedAssertion.element, response: signedResponse?.element };
}

function theAssertion(doc: Document, root: Element): Element {
  if (doc.getElementsByTagNameNS(SAML, "EncryptedAssertion").length > 0) {
    refuse("SAML_ASSERTION_ENCRYPTED", "EncryptedAssertion is not accepted");
  }
  const all = Array.from(doc.getElementsByTagNameNS(SAML, "Assertion"));
  const [assertion] = all;
  if (assertion === undefined) return refuse("SAML_ASSERTION_MISSING", "the Response carries no Assertion");
  if (all.length > 1) refuse("SAML_ASSERTION_MULTIPLE", `the document carries ${all.length} Assertions`);
  if (assertion.parentNode !== root) refuse("SAML_ASSERTION_MISSING", "the Assertion is not a child of the Response");
  return assertion;
}

function checkSignaturePlacement(doc: Document, root: Element, assertion: Element): void {
  const signatures = Array.from(doc.getElementsByTagNameNS(DS, "Signature"));
  for (const signature of signatures) {
    if (signature.parentNode !== root && signature.parentNode !== assertion) {
      refuse("SAML_SIGNATURE_MISPLACED", "a ds:Signature is neither in the Response nor in the Assertion");
    }
  }
  if (childElements(root, DS, "Signature").length > 1 || childElements(assertion, DS, "Signature").length > 1) {
    refuse("SAML_SIGNATURE_MISPLACED", "an element carries more than one ds:Signature");
  }
}

/** The shared signature checks' refusals as Response failure codes. */
const FAULT_CODES: Record<SignatureFault, ResponseFailureCode> = {
  dtd: "SAML_MALFORMED",
  "not-well-formed": "SAML_MALFORMED",
  "processing-instruction": "SAML_MALFORMED",
  repeated: "SAML_MALFORMED",
  unsigned: "SAML_SIGNATURE_MISSING",
  misplaced: "SAML_SIGNATURE_MISPLACED",
  "duplicate-id": "SAML_DUPLICATE_ID",
  "signed-info-missing": "SAML_SIGNATURE_INVALID",
  algorithm: "SAML_SIGNATURE_ALGORITHM_FORBIDDEN",
  "no-id": "SAML_ID_INVALID",
  reference: "SAML_SIGNATURE_REFERENCE_INVALID",
  transforms: "SAML_SIGNATURE_TRANSFORM_FORBIDDEN",
  "not-the-element": "SAML_SIGNATURE_REFERENCE_INVALID",
  "not-verified": "SAML_SIGNATURE_INVALID",
};

const refuseSignature: RefuseSignature = (fault, detail) => refuse(FAULT_CODES[fault], detail);
