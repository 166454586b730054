import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import {
  buildTslXml,
  EXC_C14N,
  emptyListSignedById,
  errorCodeOf,
  GRANTED,
  makeTestCertificate,
  sampleTslXml,
  signatureOf,
  signTslXml,
  type TestKeyPair,
  wrapSignedById,
} from "../../../test/support/trusted-list-fixtures.js";
import { parseTrustedList } from "./parse-trusted-list.js";

/** Security: signature wrapping, unsigned content, hostile input. */

let signer: TestKeyPair;
let ca: TestKeyPair;
let attackerCa: TestKeyPair;
let signed: string;

beforeAll(async () => {
  [signer, ca, attackerCa] = await Promise.all([
    makeTestCertificate("TSL signer"),
    makeTestCertificate("Honest CA", "ec"),
    makeTestCertificate("Attacker CA", "ec"),
  ]);
  signed = signTslXml(sampleTslXml(ca.certDer, ca.certDer, signer.validAt), signer);
});

const parse = (xml: string | Uint8Array) =>
  parseTrustedList(xml, {
    expectedSigners: [{ kind: "certificate", certificate: signer.certDer }],
    now: signer.validAt,
  });

const attackerList = (at: Date) =>
  buildTslXml({
    territory: "IT",
    issued: at,
    nextUpdate: new Date(at.getTime() + 86_400_000),
    providers: [{ name: "Evil", services: [{ name: "Evil CA", status: GRANTED, certificates: [attackerCa.certDer] }] }],
  });

describe("signature wrapping", () => {
  it("refuses a list whose signature covers a hidden copy by Id instead of the document", () => {
    const byId = emptyListSignedById(signer);
    expect(byId).toContain('URI="#tsl-1"');
    const wrapped = wrapSignedById(byId, attackerList(signer.validAt));
    expect(errorCodeOf(() => parse(wrapped))).toBe("TRUSTED_LIST_SIGNATURE_NOT_ENVELOPED");
  });

  it("refuses a second ds:Signature anywhere in the list", () => {
    const twice = signed.replace("</tsl:SchemeInformation>", `${signatureOf(signed)}</tsl:SchemeInformation>`);
    expect(errorCodeOf(() => parse(twice))).toBe("TRUSTED_LIST_SIGNATURE_NOT_ENVELOPED");
  });

  it("refuses a signature that is not a child of TrustServiceStatusList", () => {
    const moved = signed
      .replace(signatureOf(signed), "")
      .replace("</tsl:SchemeInformation>", `${signatureOf(signed)}</tsl:SchemeInformation>`);
    expect(errorCodeOf(() => parse(moved))).toBe("TRUSTED_LIST_SIGNATURE_NOT_ENVELOPED");
  });

  it("refuses a Reference without URI, and one without the enveloped-signature transform", () => {
    expect(errorCodeOf(() => parse(signed.replace('<ds:Reference URI="">', "<ds:Reference>")))).toBe(
      "TRUSTED_LIST_SIGNATURE_NOT_ENVELOPED",
    );
    const noEnveloped = signTslXml(sampleTslXml(ca.certDer, ca.certDer, signer.validAt), signer, {
      transforms: [EXC_C14N],
    });
    expect(errorCodeOf(() => parse(noEnveloped))).toBe("TRUSTED_LIST_SIGNATURE_NOT_ENVELOPED");
  });

  it("reads nothing from unsigned parts: a provider list injected in a ds:Object is ignored", () => {
    const injected = attackerList(signer.validAt).match(
      /<tsl:TrustServiceProviderList>[\s\S]*<\/tsl:TrustServiceProviderList>/,
    )?.[0];
    const xml = signed.replace("</ds:Signature>", `<ds:Object>${injected}</ds:Object></ds:Signature>`);
    expect(xml).toContain(Buffer.from(attackerCa.certDer).toString("base64"));
    const anchors = parse(xml).trustAnchors.map((der) => Buffer.from(der).toString("base64"));
    expect(anchors).toEqual([Buffer.from(ca.certDer).toString("base64")]);
  });
});

describe("hostile input never crashes the parser", () => {
  const namedOrOk = (xml: string | Uint8Array) => {
    const outcome = errorCodeOf(() => parse(xml));
    expect(typeof outcome).toBe("string");
  };

  it("answers arbitrary text and bytes with a value or a named error", () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), namedOrOk), { numRuns: 300 });
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), namedOrOk), { numRuns: 300 });
  });

  it("answers splices into a signed list with a value or a named error", () => {
    const splice = fc.tuple(fc.nat(signed.length), fc.nat(40), fc.string({ maxLength: 40 }));
    fc.assert(
      fc.property(splice, ([at, remove, insert]) => {
        namedOrOk(signed.slice(0, at) + insert + signed.slice(at + remove));
      }),
      { numRuns: 300 },
    );
  });
});
