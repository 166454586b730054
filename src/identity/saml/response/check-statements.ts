import type { Element } from "@xmldom/xmldom";
import { attributeOf, childElements, textOf } from "../xml-dom.js";
import { refuse } from "./errors.js";
import type { AuthnComparison, ExpectedResponse, SpidAttributes } from "./model.js";
import { SAML, SPID_LEVELS, type SpidLevel } from "./names.js";
import { onlyChild } from "./parse-response.js";

/**
 * SAML Core §2.7.2 AuthnStatement. AuthnContextClassRef must be one of the three SpidL URIs
 * (the old `urn:oasis:…:SpidL1` is refused) and satisfy the requested comparison with the rule
 * spid-sp-test applies (`response_mods.py: dynamic_acr`, reference §1.4): higher than requested is
 * fine, equal unless "better", lower only with "maximum". SessionIndex is never required.
 */
export function checkAuthnStatement(assertion: Element, expected: ExpectedResponse) {
  const statement = onlyChild(assertion, SAML, "AuthnStatement");
  if (statement === undefined) return refuse("SAML_AUTHN_CONTEXT_INVALID", "AuthnStatement is missing");
  const context = onlyChild(statement, SAML, "AuthnContext");
  const classRef = textOf(context === undefined ? undefined : onlyChild(context, SAML, "AuthnContextClassRef"));
  const index = (SPID_LEVELS as readonly string[]).indexOf(classRef ?? "");
  if (index < 0) return refuse("SAML_AUTHN_CONTEXT_INVALID", `AuthnContextClassRef ${classRef ?? "(absent)"}`);
  const level = (index + 1) as SpidLevel;
  if (!satisfies(level, expected.requestedLevel, expected.comparison ?? "minimum")) {
    refuse("SAML_LEVEL_INSUFFICIENT", `level ${level} does not satisfy the requested level ${expected.requestedLevel}`);
  }
  const sessionIndex = attributeOf(statement, "SessionIndex")?.trim() || undefined;
  return { level, sessionIndex };
}

function satisfies(level: SpidLevel, requested: SpidLevel, comparison: AuthnComparison): boolean {
  if (level > requested) return true;
  if (level === requested) return comparison !== "better";
  return comparison === "maximum";
}

const FISCAL_NUMBER_PREFIX = /^TINIT-/i;

/**
 * SAML Core §2.7.3 AttributeStatement; SPID attribute names (reference §1.7). When present the
 * statement carries at least one non-empty Attribute; `required` attributes must all be there.
 * NameFormat is not checked (spid-sp-test case 109). fiscalNumber loses its `TINIT-` prefix.
 */
export function readAttributes(assertion: Element, required: readonly string[]): SpidAttributes {
  const statements = childElements(assertion, SAML, "AttributeStatement");
  const values: Record<string, string> = {};
  for (const statement of statements) {
    const attributes = childElements(statement, SAML, "Attribute");
    if (attributes.length === 0) refuse("SAML_ATTRIBUTES_INVALID", "AttributeStatement has no Attribute");
    for (const attribute of attributes) {
      const name = (attributeOf(attribute, "Name") ?? "").trim();
      const value = textOf(childElements(attribute, SAML, "AttributeValue")[0]);
      if (name === "" || value === undefined) refuse("SAML_ATTRIBUTES_INVALID", `Attribute ${name} is empty`);
      if (Object.hasOwn(values, name)) refuse("SAML_ATTRIBUTES_INVALID", `Attribute ${name} is repeated`);
      values[name] = name === "fiscalNumber" ? value.replace(FISCAL_NUMBER_PREFIX, "").toUpperCase() : value;
    }
  }
  const missing = required.filter((name) => values[name] === undefined);
  if (missing.length > 0) refuse("SAML_ATTRIBUTES_INVALID", `missing attributes: ${missing.join(", ")}`);
  return values;
}
