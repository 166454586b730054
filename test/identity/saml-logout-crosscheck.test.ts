/**
 * Cross-checks of SAML Single Logout (SAML Core §3.7, Bindings §3.4/§3.5, AgID single-logout.rst)
 * with tools independent of our code (reference/spid-cie.md §4.4): openssl verifies the
 * HTTP-Redirect query signature over the exact signed octets, xmlsec1 the HTTP-POST enveloped
 * signature (`--id-attr:ID` on the signed element, as the SPID validator runs it), xmllint the
 * protocol XSD; and Debian's pysaml2 plays the IdP — it reads and verifies what we send, and signs
 * (Redirect query and xmlsec1 enveloped) what we must accept.
 *
 * Without the tools the suite is skipped locally; with CI=true it runs and fails.
 */
import { X509Certificate } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildLogoutRequest,
  buildLogoutResponse,
  parseLogoutRequest,
  parseLogoutResponse,
} from "../../src/identity/saml/logout.js";
import { readPostMessage } from "../../src/identity/saml/post-binding-verify.js";
import { readRedirectMessage, redirectUrl } from "../../src/identity/saml/redirect-binding.js";
import { type SamlSigningCredential, signEnveloped } from "../../src/identity/saml/xml-signature.js";
import { type IdpKey, idpKeyFrom } from "../support/saml-idp.js";
import { samlSpKeys } from "../support/saml-sp-keys.js";
import {
  createSamlToolbox,
  SAML_TOOLS,
  type SamlToolbox,
  SIGNATURE_ALGORITHMS,
  skipWithoutSamlTools,
  XSD_IMPORTS,
} from "../support/saml-tools.js";

const SKIP = skipWithoutSamlTools("SAML logout cross-checks", [
  "xmlsec1",
  "openssl",
  "python",
  "pysaml2",
  "protocolXsd",
  ...XSD_IMPORTS,
]);

/**
 * pysaml2 7 as the IdP. `read-request`: pysaml2's Server parses our Redirect LogoutRequest
 * (Destination checked against its SLO endpoint) and verify_redirect_signature checks the query
 * with our certificate; `read-response` does the same for our LogoutResponse; `redirect` signs a
 * message with http_redirect_message; `post` signs it enveloped with pysaml2's xmlsec1 backend.
 */
const IDP_SCRIPT = `
import base64, json, sys
from urllib.parse import urlparse, parse_qs
from saml2 import BINDING_HTTP_REDIRECT, class_name, samlp, saml
from saml2.config import IdPConfig
from saml2.pack import http_redirect_message
from saml2.saml import NAMEID_FORMAT_ENTITY, NAMEID_FORMAT_TRANSIENT
from saml2.server import Server
from saml2.sigver import CryptoBackendXmlSec1, RSACrypto, import_rsa_key_from_file, pre_signature_part, verify_redirect_signature
from saml2.xmldsig import DIGEST_SHA256

mode, a = sys.argv[1], json.loads(sys.argv[2])

def server():
    endpoints = [(a["idpSlo"], BINDING_HTTP_REDIRECT)]
    config = IdPConfig().load({"entityid": a["idp"], "xmlsec_binary": "/usr/bin/xmlsec1",
        "key_file": a["key"], "cert_file": a["cert"],
        "service": {"idp": {"endpoints": {"single_logout_service": endpoints, "single_sign_on_service": endpoints}}}})
    return Server(config=config)

def query():
    q = {k: v[0] for k, v in parse_qs(urlparse(a["url"]).query).items()}
    return q, verify_redirect_signature(q, RSACrypto(None), cert=a["spCert"])

def message():
    issuer = saml.Issuer(text=a["idp"], format=NAMEID_FORMAT_ENTITY)
    common = dict(id=a["id"], version="2.0", issue_instant=a["instant"], destination=a["slo"], issuer=issuer)
    if a["typ"] == "SAMLRequest":
        name_id = saml.NameID(text=a["nameId"], format=NAMEID_FORMAT_TRANSIENT, name_qualifier=a["idp"])
        return samlp.LogoutRequest(name_id=name_id, session_index=[samlp.SessionIndex(text=a["session"])], **common)
    codes = a["status"]
    inner = samlp.StatusCode(value=codes[1]) if len(codes) > 1 else None
    status = samlp.Status(status_code=samlp.StatusCode(value=codes[0], status_code=inner))
    return samlp.LogoutResponse(in_response_to=a["inResponseTo"], status=status, **common)

if mode == "read-request":
    q, verified = query()
    m = server().parse_logout_request(q["SAMLRequest"], BINDING_HTTP_REDIRECT).message
    out = {"verified": verified, "id": m.id, "nameId": m.name_id.text, "nameQualifier": m.name_id.name_qualifier,
        "format": m.name_id.format, "sessionIndexes": [s.text for s in m.session_index], "issuer": m.issuer.text,
        "issuerFormat": m.issuer.format, "destination": m.destination, "relayState": q.get("RelayState")}
elif mode == "read-response":
    q, verified = query()
    m = samlp.logout_response_from_string(server().unravel(q["SAMLResponse"], BINDING_HTTP_REDIRECT, "SAMLResponse"))
    out = {"verified": verified, "inResponseTo": m.in_response_to, "status": m.status.status_code.value,
        "issuer": m.issuer.text, "destination": m.destination}
elif mode == "redirect":
    signed = http_redirect_message(str(message()), a["slo"], relay_state=a["relayState"], typ=a["typ"],
        sigalg=a["sigAlg"], sign=True, backend=RSACrypto(import_rsa_key_from_file(a["key"])))
    out = {"url": dict(signed["headers"])["Location"]}
elif mode == "post":
    m = message()
    m.signature = pre_signature_part(m.id, sign_alg=a["sigAlg"], digest_alg=DIGEST_SHA256)
    signed = CryptoBackendXmlSec1("/usr/bin/xmlsec1").sign_statement(str(m), class_name(m), a["key"], None)
    out = {"xml": signed}
print(json.dumps(out))
`;

const SP = "https://faccia.comune.demo.it/spid";
const SLO = "https://faccia.comune.demo.it/spid/slo";
const IDP = "https://idp.spid.example.it";
const IDP_SLO = "https://idp.spid.example.it/slo";
const { rsaSha256: RSA_SHA256, rsaSha1: RSA_SHA1 } = SIGNATURE_ALGORITHMS;
const SUCCESS = "urn:oasis:names:tc:SAML:2.0:status:Success";
const REQUESTER = "urn:oasis:names:tc:SAML:2.0:status:Requester";
const PARTIAL_LOGOUT = "urn:oasis:names:tc:SAML:2.0:status:PartialLogout";

let tools: SamlToolbox;
let sp: SamlSigningCredential;
let idp: IdpKey;
let spCertificateBase64: string;

const write = (name: string, content: string | Uint8Array) => tools.write(name, content);

/** Runs the pysaml2 IdP script; its JSON answer, or the test fails with its traceback. */
async function pysaml2(mode: string, args: Record<string, unknown>): Promise<Record<string, unknown>> {
  const common = { idp: IDP, idpSlo: IDP_SLO, key: "idp-key.pem", cert: "idp-cert.pem", spCert: spCertificateBase64 };
  const result = await tools.run(SAML_TOOLS.python, ["-c", IDP_SCRIPT, mode, JSON.stringify({ ...common, ...args })]);
  expect(result.exitCode, result.output).toBe(0);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

/** A LogoutRequest or LogoutResponse as the IdP sends it to our SLO endpoint, issued just now. */
function idpMessage(typ: "SAMLRequest" | "SAMLResponse", extra: Record<string, unknown> = {}) {
  return {
    typ,
    id: "_pysaml2-message-1",
    instant: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    slo: SLO,
    nameId: "_transient-7",
    session: "_session-7",
    inResponseTo: "_our-request-7",
    status: [SUCCESS],
    relayState: "stato opaco/1",
    sigAlg: RSA_SHA256,
    ...extra,
  };
}

const expected = () => ({ idpEntityId: IDP, sloUrl: SLO, now: new Date() });
const queryOf = (url: string) => url.slice(url.indexOf("?") + 1);

describe.skipIf(SKIP)("SAML Single Logout checked by openssl, xmlsec1, xmllint and pysaml2", () => {
  beforeAll(async () => {
    tools = createSamlToolbox("faccia-slo-");
    const [spKeys, idpKeys] = await Promise.all([samlSpKeys(), samlSpKeys()]);
    sp = spKeys.credential;
    idp = idpKeyFrom(idpKeys.set.samlSp);
    const spCertificate = new X509Certificate(sp.certificate);
    spCertificateBase64 = Buffer.from(sp.certificate).toString("base64");
    write("sp-cert.pem", spCertificate.toString());
    write("sp-pub.pem", spCertificate.publicKey.export({ type: "spki", format: "pem" }).toString());
    write("idp-cert.pem", idp.certificatePem);
    write("idp-key.pem", idp.privateKeyPem);
  });
  afterAll(() => tools.remove());

  const ourRequest = () =>
    buildLogoutRequest({
      spEntityId: SP,
      destination: IDP_SLO,
      nameId: "_transient-1",
      nameQualifier: IDP,
      sessionIndex: "_session-1",
      issueInstant: new Date(),
    });
  const ourResponse = () =>
    buildLogoutResponse({
      spEntityId: SP,
      destination: IDP_SLO,
      inResponseTo: "_idp-request-1",
      issueInstant: new Date(),
      status: "partial",
    });

  it.each(["SAMLRequest", "SAMLResponse"] as const)(
    "HTTP-Redirect %s: openssl verifies the signature over the exact signed octets, not tampered ones",
    async (parameter) => {
      const xml = parameter === "SAMLRequest" ? ourRequest().xml : ourResponse().xml;
      const url = redirectUrl(IDP_SLO, parameter, xml, "relay_1", sp);
      const signedPart = url.slice(url.indexOf(`${parameter}=`), url.indexOf("&Signature="));
      write("sig.bin", Buffer.from(new URL(url).searchParams.get("Signature") ?? "", "base64"));
      write("signed.txt", signedPart);
      write("tampered.txt", signedPart.replace("RelayState=relay_1", "RelayState=relay_2"));
      const openssl = (file: string) => tools.opensslVerify("sp-pub.pem", "sig.bin", file);
      const good = await openssl("signed.txt");
      expect(good.output).toContain("Verified OK");
      expect(good.exitCode).toBe(0);
      expect((await openssl("tampered.txt")).exitCode).not.toBe(0);
    },
  );

  it.each([
    ["LogoutRequest", () => ourRequest().xml],
    ["LogoutResponse", () => ourResponse().xml],
  ])("HTTP-POST %s: xmlsec1 verifies it, xmllint validates it, tampering breaks it", async (element, xml) => {
    const signed = signEnveloped(xml(), sp, "after-issuer");
    const idAttribute = `urn:oasis:names:tc:SAML:2.0:protocol:${element}`;
    const xmlsec = (file: string) => tools.xmlsecVerify(file, "sp-cert.pem", [idAttribute]);
    write("post.xml", signed);
    const verified = await xmlsec("post.xml");
    expect(verified.exitCode, verified.output).toBe(0);
    expect(verified.output).toContain("OK");
    const schema = await tools.xmllint(SAML_TOOLS.protocolXsd, "post.xml");
    expect(schema.output).toContain("post.xml validates");
    write("post-tampered.xml", signed.replace(SP, "https://evil.example"));
    expect((await xmlsec("post-tampered.xml")).exitCode).not.toBe(0);
  });

  it("pysaml2 as the IdP verifies our Redirect LogoutRequest and reads NameID, NameQualifier and SessionIndex", async () => {
    const request = ourRequest();
    const url = redirectUrl(IDP_SLO, "SAMLRequest", request.xml, "relay_1", sp);
    expect(await pysaml2("read-request", { url })).toEqual({
      verified: true,
      id: request.id,
      nameId: "_transient-1",
      nameQualifier: IDP,
      format: "urn:oasis:names:tc:SAML:2.0:nameid-format:transient",
      sessionIndexes: ["_session-1"],
      issuer: SP,
      issuerFormat: "urn:oasis:names:tc:SAML:2.0:nameid-format:entity",
      destination: IDP_SLO,
      relayState: "relay_1",
    });
    const tampered = url.replace("RelayState=relay_1", "RelayState=relay_2");
    expect(await pysaml2("read-request", { url: tampered })).toMatchObject({ verified: false });
  });

  it("pysaml2 as the IdP verifies our Redirect LogoutResponse and reads its status", async () => {
    const url = redirectUrl(IDP_SLO, "SAMLResponse", ourResponse().xml, undefined, sp);
    expect(await pysaml2("read-response", { url })).toEqual({
      verified: true,
      inResponseTo: "_idp-request-1",
      status: REQUESTER,
      issuer: SP,
      destination: IDP_SLO,
    });
  });

  it("accepts a LogoutRequest pysaml2 sent over HTTP-Redirect, RelayState encoded its way", async () => {
    const { url } = await pysaml2("redirect", idpMessage("SAMLRequest"));
    expect(url).toContain("RelayState=stato+opaco%2F1");
    const read = readRedirectMessage(queryOf(String(url)), "SAMLRequest", [idp.certificate]);
    if (!read.ok) throw new Error(`${read.code}: ${read.message}`);
    expect(read.relayState).toBe("stato opaco/1");
    expect(parseLogoutRequest(read.xml, expected())).toEqual({
      ok: true,
      id: "_pysaml2-message-1",
      nameId: "_transient-7",
      nameQualifier: IDP,
      sessionIndexes: ["_session-7"],
    });
    expect(readRedirectMessage(queryOf(String(url)), "SAMLRequest", [sp.certificate])).toMatchObject({
      code: "SAML_BAD_SIGNATURE",
    });
  });

  it.each([
    ["Success", [SUCCESS], false],
    ["Requester/PartialLogout", [REQUESTER, PARTIAL_LOGOUT], true],
  ])("accepts a %s LogoutResponse pysaml2 sent over HTTP-Redirect", async (_status, status, partial) => {
    const { url } = await pysaml2("redirect", idpMessage("SAMLResponse", { status }));
    const read = readRedirectMessage(queryOf(String(url)), "SAMLResponse", [idp.certificate]);
    if (!read.ok) throw new Error(`${read.code}: ${read.message}`);
    expect(parseLogoutResponse(read.xml, { ...expected(), requestId: "_our-request-7" })).toEqual({
      ok: true,
      partial,
    });
  });

  it("refuses a pysaml2 Redirect message signed with RSA-SHA1", async () => {
    const { url } = await pysaml2("redirect", idpMessage("SAMLRequest", { sigAlg: RSA_SHA1 }));
    expect(readRedirectMessage(queryOf(String(url)), "SAMLRequest", [idp.certificate])).toMatchObject({
      ok: false,
      code: "SAML_SIGNATURE_ALGORITHM_FORBIDDEN",
    });
  });

  it.each(["SAMLRequest", "SAMLResponse"] as const)(
    "accepts a %s pysaml2 signed enveloped with xmlsec1 for HTTP-POST, and refuses it tampered",
    async (typ) => {
      const { xml } = await pysaml2("post", idpMessage(typ));
      const signed = String(xml);
      const base64 = Buffer.from(signed).toString("base64");
      const read = readPostMessage(base64, [sp.certificate, idp.certificate]);
      if (!read.ok) throw new Error(`${read.code}: ${read.message}`);
      const parsed =
        typ === "SAMLRequest"
          ? parseLogoutRequest(read.xml, expected())
          : parseLogoutResponse(read.xml, { ...expected(), requestId: "_our-request-7" });
      expect(parsed.ok).toBe(true);
      const tampered = Buffer.from(signed.replace(SLO, `${SLO}x`)).toString("base64");
      expect(readPostMessage(tampered, [idp.certificate])).toMatchObject({ code: "SAML_BAD_SIGNATURE" });
    },
  );
});
