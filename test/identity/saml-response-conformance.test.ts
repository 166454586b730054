/**
 * Our own mirror of spid-sp-test's Response matrix (reference §4.3; case numbers and names from
 * italia/spid-sp-test `responses/settings.py`): every case asserts acceptance or the exact refusal
 * code. Where the validator only asks for "KO" (any 4xx), the code pins which check caught it.
 * "non specificato" = present but empty, "mancante" = absent, as in the validator.
 */
import { beforeAll, describe, expect, it } from "vitest";
import {
  type ExpectedResponse,
  type ResponseFailureCode,
  type ResponseValidation,
  validateResponse,
} from "../../src/identity/saml/response/index.js";
import { generateDevCertificates } from "../../src/signature/index.js";
import {
  addDoctype,
  addXsltTransform,
  type BuildOptions,
  buildResponse,
  encodeForPost,
  encryptAssertion,
  type IdpKey,
  idpKeyFrom,
  SCENARIO,
  signElement,
  tamper,
  tamperText,
  wrapSignature,
} from "../support/saml-idp.js";

let idp: IdpKey;
let attacker: IdpKey;

beforeAll(async () => {
  const set = await generateDevCertificates({
    ipa: "c_demo",
    entityName: "Comune di Demo",
    now: SCENARIO.now,
    keys: { seal: { kind: "rsa", modulusBits: 2048 } },
  });
  idp = idpKeyFrom(set.samlSp);
  attacker = idpKeyFrom(set.seal);
});

function expected(changes: Partial<ExpectedResponse> = {}): ExpectedResponse {
  return {
    spEntityId: SCENARIO.spEntityId,
    acsUrl: SCENARIO.acsUrl,
    requestId: SCENARIO.requestId,
    requestIssueInstant: new Date(SCENARIO.requestIssueInstant),
    requestedLevel: 2,
    idpEntityId: SCENARIO.idpEntityId,
    idpCertificates: [idp.certificate],
    ...changes,
  };
}

async function validate(
  xml: string,
  changes: Partial<ExpectedResponse> = {},
  now: Date = SCENARIO.now,
): Promise<ResponseValidation> {
  return validateResponse(encodeForPost(xml), expected(changes), { now, rememberAssertion: async () => true });
}

const build = (options: BuildOptions = {}) => buildResponse(idp, options);
type Case = readonly [name: string, make: () => string, outcome: "ok" | ResponseFailureCode];

const positive: Case[] = [
  ["01 correct Response", () => build(), "ok"],
  ["31 Response Issuer without Format", () => build({ fields: { responseIssuerFormat: null } }), "ok"],
  ["95 SpidL2 for SpidL2", () => build(), "ok"],
  ["96 SpidL3 for SpidL2", () => build({ fields: { authnContextClassRef: "https://www.spid.gov.it/SpidL3" } }), "ok"],
  ["109 attributes without NameFormat", () => build({ fields: { attributeNameFormat: null } }), "ok"],
  [
    "110 IssueInstant with milliseconds",
    () => build({ fields: { responseIssueInstant: "2026-11-04T09:00:00.123Z" } }),
    "ok",
  ],
  [
    "110 IssueInstant with microseconds",
    () =>
      build({
        fields: {
          responseIssueInstant: "2026-11-04T09:00:00.123456Z",
          assertionIssueInstant: "2026-11-04T09:00:00.123456Z",
        },
      }),
    "ok",
  ],
  ["Response signed as well as the Assertion", () => build({ signResponse: true }), "ok"],
  [
    "L1 with SessionIndex",
    () => build({ fields: { authnContextClassRef: "https://www.spid.gov.it/SpidL3", sessionIndex: "_s1" } }),
    "ok",
  ],
];

const signatures: Case[] = [
  ["02 neither Response nor Assertion signed", () => build({ signAssertion: false }), "SAML_SIGNATURE_MISSING"],
  [
    "03 Response signed, Assertion not",
    () => build({ signAssertion: false, signResponse: true }),
    "SAML_SIGNATURE_MISSING",
  ],
  [
    "04 Response signed with another certificate",
    () => buildResponse(attacker, { signResponse: true }),
    "SAML_SIGNATURE_INVALID",
  ],
  [
    "100 Assertion signed with another certificate (in KeyInfo)",
    () => build({ signer: attacker }),
    "SAML_SIGNATURE_INVALID",
  ],
  [
    "Assertion good, Response signed by another certificate",
    () => signElement(build(), "Response", attacker),
    "SAML_SIGNATURE_INVALID",
  ],
  [
    "value changed after signing (NameID)",
    () => tamperText(build(), "NameID", "_someone-else"),
    "SAML_SIGNATURE_INVALID",
  ],
  [
    "Assertion value changed after signing (Audience)",
    () => tamperText(build(), "Audience", "https://other.example.it"),
    "SAML_SIGNATURE_INVALID",
  ],
  [
    "HMAC-SHA1 keyed with the IdP certificate",
    () => build({ sign: { hmacSecret: idp.certificatePem } }),
    "SAML_SIGNATURE_ALGORITHM_FORBIDDEN",
  ],
  [
    "RSA-SHA1",
    () => build({ sign: { signatureAlgorithm: "http://www.w3.org/2000/09/xmldsig#rsa-sha1" } }),
    "SAML_SIGNATURE_ALGORITHM_FORBIDDEN",
  ],
  [
    "SHA-1 digest",
    () => build({ sign: { digestAlgorithm: "http://www.w3.org/2000/09/xmldsig#sha1" } }),
    "SAML_SIGNATURE_ALGORITHM_FORBIDDEN",
  ],
  ["xslt: XSLT transform in the Reference", () => addXsltTransform(build()), "SAML_SIGNATURE_TRANSFORM_FORBIDDEN"],
  [
    "Reference pointing at the Response",
    () => tamper(build(), "Reference", "URI", "#_resp-7b1c9e2a"),
    "SAML_SIGNATURE_REFERENCE_INVALID",
  ],
  [
    "xsw1 evil Response, signed original inside its Signature",
    () => wrapSignature(build({ signResponse: true }), 1),
    "SAML_ASSERTION_MULTIPLE",
  ],
  [
    "xsw2 evil Response, signed original before its Signature",
    () => wrapSignature(build({ signResponse: true }), 2),
    "SAML_ASSERTION_MULTIPLE",
  ],
  ["xsw3 evil Assertion before the signed one", () => wrapSignature(build(), 3), "SAML_ASSERTION_MULTIPLE"],
  ["xsw4 evil Assertion wrapping the signed one", () => wrapSignature(build(), 4), "SAML_ASSERTION_MULTIPLE"],
  [
    "xsw5 altered signed Assertion, original copy at the end",
    () => wrapSignature(build(), 5),
    "SAML_ASSERTION_MULTIPLE",
  ],
  [
    "xsw6 altered signed Assertion, original inside the Signature",
    () => wrapSignature(build(), 6),
    "SAML_ASSERTION_MULTIPLE",
  ],
  ["xsw7 evil Assertion inside Extensions", () => wrapSignature(build(), 7), "SAML_ASSERTION_MULTIPLE"],
  [
    "xsw8 altered signed Assertion, original inside ds:Object",
    () => wrapSignature(build(), 8),
    "SAML_ASSERTION_MULTIPLE",
  ],
  ["xxe: DOCTYPE with an entity", () => addDoctype(build()), "SAML_DTD_FORBIDDEN"],
  ["EncryptedAssertion instead of Assertion", () => encryptAssertion(build()), "SAML_ASSERTION_ENCRYPTED"],
  ["EncryptedAssertion next to the Assertion", () => encryptAssertion(build(), true), "SAML_ASSERTION_ENCRYPTED"],
];

const ENTITY = "urn:oasis:names:tc:SAML:2.0:nameid-format:entity";
const FUTURE = "2099-01-01T00:00:00Z";
const PAST = "2018-01-01T00:00:00Z";
const BAD_TIME = "04/11/2026 09:00";

const structure: Case[] = [
  ["08 Response ID empty", () => build({ fields: { responseId: "" } }), "SAML_ID_INVALID"],
  ["09 Response ID missing", () => build({ fields: { responseId: null } }), "SAML_ID_INVALID"],
  ["10 Response Version not 2.0", () => build({ fields: { responseVersion: "1.0" } }), "SAML_VERSION_INVALID"],
  [
    "11 Response IssueInstant empty",
    () => build({ fields: { responseIssueInstant: "" } }),
    "SAML_ISSUE_INSTANT_INVALID",
  ],
  [
    "12 Response IssueInstant missing",
    () => build({ fields: { responseIssueInstant: null } }),
    "SAML_ISSUE_INSTANT_INVALID",
  ],
  [
    "13 Response IssueInstant malformed",
    () => build({ fields: { responseIssueInstant: BAD_TIME } }),
    "SAML_ISSUE_INSTANT_INVALID",
  ],
  [
    "14 Response IssueInstant before the request",
    () => build({ fields: { responseIssueInstant: PAST } }),
    "SAML_ISSUE_INSTANT_INVALID",
  ],
  [
    "15 Response IssueInstant in the future",
    () => build({ fields: { responseIssueInstant: FUTURE } }),
    "SAML_ISSUE_INSTANT_INVALID",
  ],
  ["16 InResponseTo empty", () => build({ fields: { inResponseTo: "" } }), "SAML_IN_RESPONSE_TO_MISMATCH"],
  ["17 InResponseTo missing", () => build({ fields: { inResponseTo: null } }), "SAML_IN_RESPONSE_TO_MISMATCH"],
  [
    "18 InResponseTo another request",
    () => build({ fields: { inResponseTo: "_other", confirmationInResponseTo: "_other" } }),
    "SAML_IN_RESPONSE_TO_MISMATCH",
  ],
  ["19 Destination empty", () => build({ fields: { destination: "" } }), "SAML_DESTINATION_MISMATCH"],
  ["20 Destination missing", () => build({ fields: { destination: null } }), "SAML_DESTINATION_MISMATCH"],
  [
    "21 Destination another URL",
    () => build({ fields: { destination: "https://other.example.it/acs" } }),
    "SAML_DESTINATION_MISMATCH",
  ],
  ["22 Status empty", () => build({ empty: ["Status"] }), "SAML_STATUS_INVALID"],
  ["23 Status missing", () => build({ omit: ["Status"] }), "SAML_STATUS_INVALID"],
  ["24 StatusCode empty", () => build({ fields: { statusCode: "" } }), "SAML_STATUS_INVALID"],
  [
    "26 StatusCode not Success",
    () => build({ fields: { statusCode: "urn:oasis:names:tc:SAML:2.0:status:Requester" } }),
    "SAML_STATUS_NOT_SUCCESS",
  ],
  ["27 Response Issuer empty", () => build({ fields: { responseIssuer: "" } }), "SAML_ISSUER_INVALID"],
  ["28 Response Issuer missing", () => build({ fields: { responseIssuer: null } }), "SAML_ISSUER_INVALID"],
  [
    "29 Response Issuer another IdP",
    () => build({ fields: { responseIssuer: "https://other-idp.example.it" } }),
    "SAML_ISSUER_INVALID",
  ],
  [
    "30 Response Issuer Format other",
    () => build({ fields: { responseIssuerFormat: "urn:oasis:names:tc:SAML:2.0:nameid-format:transient" } }),
    "SAML_ISSUER_INVALID",
  ],
  ["32 Success without Assertion", () => build({ omit: ["Assertion"] }), "SAML_ASSERTION_MISSING"],
  ["33 Assertion ID empty", () => build({ fields: { assertionId: "" } }), "SAML_ID_INVALID"],
  ["34 Assertion ID missing", () => build({ fields: { assertionId: null } }), "SAML_ID_INVALID"],
  ["35 Assertion Version not 2.0", () => build({ fields: { assertionVersion: "1.0" } }), "SAML_VERSION_INVALID"],
  [
    "36 Assertion IssueInstant empty",
    () => build({ fields: { assertionIssueInstant: "" } }),
    "SAML_ISSUE_INSTANT_INVALID",
  ],
  [
    "37 Assertion IssueInstant missing",
    () => build({ fields: { assertionIssueInstant: null } }),
    "SAML_ISSUE_INSTANT_INVALID",
  ],
  [
    "38 Assertion IssueInstant malformed",
    () => build({ fields: { assertionIssueInstant: BAD_TIME } }),
    "SAML_ISSUE_INSTANT_INVALID",
  ],
  [
    "39 Assertion IssueInstant before the request",
    () => build({ fields: { assertionIssueInstant: PAST } }),
    "SAML_ISSUE_INSTANT_INVALID",
  ],
  [
    "40 Assertion IssueInstant in the future",
    () => build({ fields: { assertionIssueInstant: FUTURE } }),
    "SAML_ISSUE_INSTANT_INVALID",
  ],
  ["41 Subject empty", () => build({ empty: ["Subject"] }), "SAML_SUBJECT_INVALID"],
  ["42 Subject missing", () => build({ omit: ["Subject"] }), "SAML_SUBJECT_INVALID"],
  ["43 NameID empty", () => build({ fields: { nameId: "" } }), "SAML_SUBJECT_INVALID"],
  ["44 NameID missing", () => build({ fields: { nameId: null } }), "SAML_SUBJECT_INVALID"],
  ["45 NameID Format empty", () => build({ fields: { nameIdFormat: "" } }), "SAML_SUBJECT_INVALID"],
  ["46 NameID Format missing", () => build({ fields: { nameIdFormat: null } }), "SAML_SUBJECT_INVALID"],
  [
    "47 NameID Format not transient",
    () => build({ fields: { nameIdFormat: "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent" } }),
    "SAML_SUBJECT_INVALID",
  ],
  ["48 NameQualifier empty", () => build({ fields: { nameQualifier: "" } }), "SAML_SUBJECT_INVALID"],
  ["49 NameQualifier missing", () => build({ fields: { nameQualifier: null } }), "SAML_SUBJECT_INVALID"],
  [
    "51 SubjectConfirmation empty",
    () => build({ empty: ["SubjectConfirmation"] }),
    "SAML_SUBJECT_CONFIRMATION_INVALID",
  ],
  [
    "52 SubjectConfirmation missing",
    () => build({ omit: ["SubjectConfirmation"] }),
    "SAML_SUBJECT_CONFIRMATION_INVALID",
  ],
  ["53 Method empty", () => build({ fields: { confirmationMethod: "" } }), "SAML_SUBJECT_CONFIRMATION_INVALID"],
  ["54 Method missing", () => build({ fields: { confirmationMethod: null } }), "SAML_SUBJECT_CONFIRMATION_INVALID"],
  [
    "55 Method not bearer",
    () => build({ fields: { confirmationMethod: "urn:oasis:names:tc:SAML:2.0:cm:holder-of-key" } }),
    "SAML_SUBJECT_CONFIRMATION_INVALID",
  ],
  [
    "56 SubjectConfirmationData missing",
    () => build({ omit: ["SubjectConfirmationData"] }),
    "SAML_SUBJECT_CONFIRMATION_INVALID",
  ],
  ["57 Recipient empty", () => build({ fields: { recipient: "" } }), "SAML_RECIPIENT_MISMATCH"],
  ["58 Recipient missing", () => build({ fields: { recipient: null } }), "SAML_RECIPIENT_MISMATCH"],
  [
    "59 Recipient another URL",
    () => build({ fields: { recipient: "https://other.example.it/acs" } }),
    "SAML_RECIPIENT_MISMATCH",
  ],
  [
    "60 SubjectConfirmationData InResponseTo empty",
    () => build({ fields: { confirmationInResponseTo: "" } }),
    "SAML_IN_RESPONSE_TO_MISMATCH",
  ],
  [
    "61 SubjectConfirmationData InResponseTo missing",
    () => build({ fields: { confirmationInResponseTo: null } }),
    "SAML_IN_RESPONSE_TO_MISMATCH",
  ],
  [
    "62 SubjectConfirmationData InResponseTo another request",
    () => build({ fields: { confirmationInResponseTo: "_other" } }),
    "SAML_IN_RESPONSE_TO_MISMATCH",
  ],
  [
    "63 SubjectConfirmationData NotOnOrAfter empty",
    () => build({ fields: { confirmationNotOnOrAfter: "" } }),
    "SAML_SUBJECT_CONFIRMATION_INVALID",
  ],
  [
    "64 SubjectConfirmationData NotOnOrAfter missing",
    () => build({ fields: { confirmationNotOnOrAfter: null } }),
    "SAML_SUBJECT_CONFIRMATION_INVALID",
  ],
  [
    "65 SubjectConfirmationData NotOnOrAfter malformed",
    () => build({ fields: { confirmationNotOnOrAfter: BAD_TIME } }),
    "SAML_SUBJECT_CONFIRMATION_INVALID",
  ],
  [
    "66 SubjectConfirmationData NotOnOrAfter passed",
    () => build({ fields: { confirmationNotOnOrAfter: PAST } }),
    "SAML_EXPIRED",
  ],
  ["67 Assertion Issuer empty", () => build({ fields: { assertionIssuer: "" } }), "SAML_ISSUER_INVALID"],
  ["68 Assertion Issuer missing", () => build({ fields: { assertionIssuer: null } }), "SAML_ISSUER_INVALID"],
  [
    "69 Assertion Issuer another IdP",
    () => build({ fields: { assertionIssuer: "https://other-idp.example.it" } }),
    "SAML_ISSUER_INVALID",
  ],
  ["70 Assertion Issuer Format empty", () => build({ fields: { assertionIssuerFormat: "" } }), "SAML_ISSUER_INVALID"],
  [
    "71 Assertion Issuer Format missing",
    () => build({ fields: { assertionIssuerFormat: null } }),
    "SAML_ISSUER_INVALID",
  ],
  [
    "72 Assertion Issuer Format other",
    () => build({ fields: { assertionIssuerFormat: `${ENTITY}x` } }),
    "SAML_ISSUER_INVALID",
  ],
  ["73 Conditions empty", () => build({ empty: ["Conditions"] }), "SAML_CONDITIONS_INVALID"],
  ["74 Conditions missing", () => build({ omit: ["Conditions"] }), "SAML_CONDITIONS_INVALID"],
  ["75 NotBefore empty", () => build({ fields: { notBefore: "" } }), "SAML_CONDITIONS_INVALID"],
  ["76 NotBefore missing", () => build({ fields: { notBefore: null } }), "SAML_CONDITIONS_INVALID"],
  ["77 NotBefore malformed", () => build({ fields: { notBefore: BAD_TIME } }), "SAML_CONDITIONS_INVALID"],
  ["78 NotBefore in the future", () => build({ fields: { notBefore: FUTURE } }), "SAML_NOT_YET_VALID"],
  ["79 Conditions NotOnOrAfter empty", () => build({ fields: { notOnOrAfter: "" } }), "SAML_CONDITIONS_INVALID"],
  ["80 Conditions NotOnOrAfter missing", () => build({ fields: { notOnOrAfter: null } }), "SAML_CONDITIONS_INVALID"],
  [
    "81 Conditions NotOnOrAfter malformed",
    () => build({ fields: { notOnOrAfter: BAD_TIME } }),
    "SAML_CONDITIONS_INVALID",
  ],
  ["82 Conditions NotOnOrAfter passed", () => build({ fields: { notOnOrAfter: PAST } }), "SAML_EXPIRED"],
  ["83 AudienceRestriction empty", () => build({ empty: ["AudienceRestriction"] }), "SAML_AUDIENCE_MISMATCH"],
  ["84 AudienceRestriction missing", () => build({ omit: ["AudienceRestriction"] }), "SAML_AUDIENCE_MISMATCH"],
  ["85 Audience empty", () => build({ fields: { audience: "" } }), "SAML_AUDIENCE_MISMATCH"],
  ["86 Audience missing", () => build({ fields: { audience: null } }), "SAML_AUDIENCE_MISMATCH"],
  [
    "87 Audience another SP",
    () => build({ fields: { audience: "https://other-sp.example.it" } }),
    "SAML_AUDIENCE_MISMATCH",
  ],
  ["88 AuthnStatement empty", () => build({ empty: ["AuthnStatement"] }), "SAML_AUTHN_CONTEXT_INVALID"],
  ["89 AuthnStatement missing", () => build({ omit: ["AuthnStatement"] }), "SAML_AUTHN_CONTEXT_INVALID"],
  ["90 AuthnContext empty", () => build({ empty: ["AuthnContext"] }), "SAML_AUTHN_CONTEXT_INVALID"],
  ["91 AuthnContext missing", () => build({ omit: ["AuthnContext"] }), "SAML_AUTHN_CONTEXT_INVALID"],
  [
    "92 AuthnContextClassRef empty",
    () => build({ fields: { authnContextClassRef: "" } }),
    "SAML_AUTHN_CONTEXT_INVALID",
  ],
  [
    "93 AuthnContextClassRef missing",
    () => build({ fields: { authnContextClassRef: null } }),
    "SAML_AUTHN_CONTEXT_INVALID",
  ],
  [
    "94 SpidL1 for SpidL2 (minimum)",
    () => build({ fields: { authnContextClassRef: "https://www.spid.gov.it/SpidL1" } }),
    "SAML_LEVEL_INSUFFICIENT",
  ],
  [
    "97 old-spec class ref",
    () => build({ fields: { authnContextClassRef: "urn:oasis:names:tc:SAML:2.0:ac:classes:SpidL1" } }),
    "SAML_AUTHN_CONTEXT_INVALID",
  ],
  ["98 AttributeStatement without Attribute", () => build({ fields: { attributes: {} } }), "SAML_ATTRIBUTES_INVALID"],
  ["99 Attribute empty", () => build({ fields: { attributes: { fiscalNumber: "" } } }), "SAML_ATTRIBUTES_INVALID"],
  [
    "103 other attribute set, no fiscalNumber",
    () => build({ fields: { attributes: { spidCode: "AGID-001", address: "via Test" } } }),
    "SAML_ATTRIBUTES_INVALID",
  ],
  ["no AttributeStatement at all", () => build({ fields: { attributes: null } }), "SAML_ATTRIBUTES_INVALID"],
];

describe("SPID Response conformance (spid-sp-test matrix)", () => {
  describe("positive cases", () => {
    it.each(positive)("%s", async (_name, make, outcome) => {
      expect(outcomeOf(await validate(make()))).toBe(outcome);
    });
  });

  describe("structure, time and binding cases", () => {
    it.each(structure)("%s", async (_name, make, outcome) => {
      expect(outcomeOf(await validate(make()))).toBe(outcome);
    });
  });

  describe("signature and wrapping cases", () => {
    it.each(signatures)("%s", async (_name, make, outcome) => {
      expect(outcomeOf(await validate(make()))).toBe(outcome);
    });
  });
});

function outcomeOf(result: ResponseValidation): "ok" | ResponseFailureCode {
  return result.ok ? "ok" : result.code;
}

describe("user anomalies (104–108, 111)", () => {
  it.each([19, 20, 21, 22, 23, 25] as const)("refuses ErrorCode nr%i and names the SPID anomaly", async (code) => {
    const xml = build({
      omit: ["Assertion"],
      fields: {
        statusCode: "urn:oasis:names:tc:SAML:2.0:status:Responder",
        subStatusCode: "urn:oasis:names:tc:SAML:2.0:status:AuthnFailed",
        statusMessage: `ErrorCode nr${code}`,
      },
    });
    const result = await validate(xml);
    expect(result).toMatchObject({ ok: false, code: "SAML_STATUS_NOT_SUCCESS", spidErrorCode: code });
  });

  it("gives no SPID code for an unknown StatusMessage", async () => {
    const xml = build({
      fields: { statusCode: "urn:oasis:names:tc:SAML:2.0:status:Responder", statusMessage: "boom" },
    });
    const result = await validate(xml);
    expect(result.ok).toBe(false);
    expect(result.ok ? undefined : result.spidErrorCode).toBeUndefined();
  });
});

describe("what an accepted Response yields", () => {
  it("returns the signed values, fiscalNumber without TINIT-, NameID trimmed", async () => {
    const result = await validate(build());
    expect(result).toEqual({
      ok: true,
      assertionId: "_assert-5f3a8d71",
      notOnOrAfter: new Date("2026-11-04T09:05:00Z"),
      nameId: "_nameid-0a1b2c3d",
      sessionIndex: undefined,
      level: 2,
      attributes: {
        fiscalNumber: "RSSMRA80A01H501U",
        name: "Mario",
        familyName: "Rossi",
        email: "mario.rossi@example.it",
      },
    });
  });

  it("accepts a CIE Assertion Issuer without Format when told to", async () => {
    const xml = build({ fields: { assertionIssuerFormat: null } });
    expect(outcomeOf(await validate(xml, { requireAssertionIssuerFormat: false }))).toBe("ok");
  });

  it.each([
    ["minimum", 1, 2, "SAML_LEVEL_INSUFFICIENT"],
    ["minimum", 3, 2, "ok"],
    ["exact", 2, 2, "ok"],
    ["better", 2, 2, "SAML_LEVEL_INSUFFICIENT"],
    ["better", 3, 2, "ok"],
    ["maximum", 1, 2, "ok"],
  ] as const)("comparison %s: SpidL%i for SpidL%i → %s", async (comparison, level, requestedLevel, outcome) => {
    const xml = build({ fields: { authnContextClassRef: `https://www.spid.gov.it/SpidL${level}` } });
    expect(outcomeOf(await validate(xml, { comparison, requestedLevel }))).toBe(outcome);
  });
});

describe("replay, other SP, expiry", () => {
  it("refuses the same Assertion the second time (replay)", async () => {
    const used = new Set<string>();
    const rememberAssertion = async (id: string) => {
      if (used.has(id)) return false;
      used.add(id);
      return true;
    };
    const post = encodeForPost(build());
    const options = { now: SCENARIO.now, rememberAssertion };
    expect(outcomeOf(await validateResponse(post, expected(), options))).toBe("ok");
    expect(outcomeOf(await validateResponse(post, expected(), options))).toBe("SAML_REPLAYED");
  });

  it("remembers the Assertion until its latest NotOnOrAfter plus the skew, and only once it passed", async () => {
    const calls: [string, Date][] = [];
    const rememberAssertion = async (id: string, until: Date) => {
      calls.push([id, until]);
      return true;
    };
    await validateResponse(encodeForPost(build({ fields: { audience: "x" } })), expected(), {
      now: SCENARIO.now,
      rememberAssertion,
    });
    expect(calls).toEqual([]);
    await validateResponse(encodeForPost(build()), expected(), { now: SCENARIO.now, rememberAssertion });
    expect(calls).toEqual([["_assert-5f3a8d71", new Date("2026-11-04T09:08:00Z")]]);
  });

  it("refuses a Response meant for another SP (Destination and Audience)", async () => {
    const xml = build();
    const otherSp = { spEntityId: "https://other-sp.example.it", acsUrl: "https://other-sp.example.it/acs" };
    expect(outcomeOf(await validate(xml, otherSp))).toBe("SAML_DESTINATION_MISMATCH");
    expect(outcomeOf(await validate(xml, { spEntityId: otherSp.spEntityId }))).toBe("SAML_AUDIENCE_MISMATCH");
  });

  it("refuses a Response for a request this browser did not make", async () => {
    expect(outcomeOf(await validate(build(), { requestId: "_another-pending-request" }))).toBe(
      "SAML_IN_RESPONSE_TO_MISMATCH",
    );
  });

  it("refuses an expired Response", async () => {
    expect(outcomeOf(await validate(build(), {}, new Date("2026-11-04T10:00:00Z")))).toBe("SAML_EXPIRED");
  });
});

describe("time boundaries (3-minute skew)", () => {
  const at = (iso: string) => new Date(iso);
  it.each([
    ["IssueInstant equal to the request's", { responseIssueInstant: "2026-11-04T09:00:00Z" }, SCENARIO.now, "ok"],
    [
      "IssueInstant at the skew before the request",
      { responseIssueInstant: "2026-11-04T08:57:00Z" },
      SCENARIO.now,
      "ok",
    ],
    [
      "IssueInstant 1 ms beyond the skew before the request",
      { responseIssueInstant: "2026-11-04T08:56:59.999Z" },
      SCENARIO.now,
      "SAML_ISSUE_INSTANT_INVALID",
    ],
    ["IssueInstant at now + skew", { responseIssueInstant: "2026-11-04T09:03:30Z" }, SCENARIO.now, "ok"],
    [
      "IssueInstant past now + skew",
      { responseIssueInstant: "2026-11-04T09:03:30.0001Z" },
      at("2026-11-04T09:00:29.999Z"),
      "SAML_ISSUE_INSTANT_INVALID",
    ],
    ["NotOnOrAfter just inside the skew", {}, at("2026-11-04T09:07:59.999Z"), "ok"],
    ["NotOnOrAfter exactly at the skew (exclusive)", {}, at("2026-11-04T09:08:00Z"), "SAML_EXPIRED"],
    ["NotBefore at now + skew", { notBefore: "2026-11-04T09:03:30Z" }, SCENARIO.now, "ok"],
    ["NotBefore 1 ms past now + skew", { notBefore: "2026-11-04T09:03:30.001Z" }, SCENARIO.now, "SAML_NOT_YET_VALID"],
    ["fractional seconds of any length", { notBefore: "2026-11-04T09:00:00.123456789Z" }, SCENARIO.now, "ok"],
    [
      "a time with an offset instead of Z",
      { notBefore: "2026-11-04T10:00:00+01:00" },
      SCENARIO.now,
      "SAML_CONDITIONS_INVALID",
    ],
    ["an impossible date", { notBefore: "2026-02-30T09:00:00Z" }, SCENARIO.now, "SAML_CONDITIONS_INVALID"],
  ] as const)("%s", async (_name, fields, now, outcome) => {
    expect(outcomeOf(await validate(build({ fields }), {}, now))).toBe(outcome);
  });
});

describe("transport", () => {
  const post = (field: string) =>
    validateResponse(field, expected(), { now: SCENARIO.now, rememberAssertion: async () => true });

  it("refuses a field that is not base64", async () => {
    expect(outcomeOf(await post("<samlp:Response/>"))).toBe("SAML_MALFORMED");
  });

  it("refuses a Response over the size cap", async () => {
    const result = await validateResponse(encodeForPost(build()), expected(), {
      now: SCENARIO.now,
      maxBytes: 1024,
      rememberAssertion: async () => true,
    });
    expect(outcomeOf(result)).toBe("SAML_TOO_LARGE");
  });

  it("accepts base64 with line breaks, as IdPs send it", async () => {
    const wrapped = encodeForPost(build()).replace(/.{76}/g, "$&\r\n");
    expect(outcomeOf(await post(wrapped))).toBe("ok");
  });

  it("refuses a processing instruction inside the Response", async () => {
    const xml = build().replace("<saml:Issuer", "<?evil x?><saml:Issuer");
    expect(outcomeOf(await post(encodeForPost(xml)))).toBe("SAML_MALFORMED");
  });

  it("refuses a document that is not a samlp:Response", async () => {
    expect(
      outcomeOf(
        await post(encodeForPost('<samlp:LogoutResponse xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>')),
      ),
    ).toBe("SAML_NOT_A_RESPONSE");
  });
});
