/**
 * The command-line tools the SAML cross-checks run (reference/spid-cie.md §4.4): xmlsec1 verifies
 * enveloped signatures with `--id-attr:ID` on the signed element, as the SPID validator runs it;
 * xmllint validates against Debian's OASIS SAML 2.0 XSDs (opensaml-schemas, their imports resolved
 * offline to xmltooling-schemas through a catalog); openssl checks HTTP-Redirect query signatures;
 * Debian's pysaml2 plays the other party. Without a tool the suite is skipped locally with a
 * warning; with CI=true it runs and fails, so a missing tool never passes as green.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const OPENSAML = "/usr/share/xml/opensaml";
const XMLTOOLING = "/usr/share/xml/xmltooling";

export const SAML_TOOLS = {
  xmlsec1: "/usr/bin/xmlsec1",
  xmllint: "/usr/bin/xmllint",
  openssl: "/usr/bin/openssl",
  python: "/usr/bin/python3",
  pysaml2: "/usr/lib/python3/dist-packages/saml2/__init__.py",
  metadataXsd: `${OPENSAML}/saml-schema-metadata-2.0.xsd`,
  protocolXsd: `${OPENSAML}/saml-schema-protocol-2.0.xsd`,
  xmldsigXsd: `${XMLTOOLING}/xmldsig-core-schema.xsd`,
  xencXsd: `${XMLTOOLING}/xenc-schema.xsd`,
  xmlXsd: `${XMLTOOLING}/xml.xsd`,
} as const;

export type SamlTool = keyof typeof SAML_TOOLS;

/** What xmllint needs besides a SAML XSD: the schemas the XSDs import. */
export const XSD_IMPORTS: readonly SamlTool[] = ["xmllint", "xmldsigXsd", "xencXsd", "xmlXsd"];

/** The signed elements the cross-checks name in `--id-attr:ID` (namespace:localName). */
export const SAML_ELEMENTS = {
  entityDescriptor: "urn:oasis:names:tc:SAML:2.0:metadata:EntityDescriptor",
  authnRequest: "urn:oasis:names:tc:SAML:2.0:protocol:AuthnRequest",
  response: "urn:oasis:names:tc:SAML:2.0:protocol:Response",
  assertion: "urn:oasis:names:tc:SAML:2.0:assertion:Assertion",
} as const;

/** XML Signature algorithm URIs the tests sign with (RFC 6931 §2.3, XMLDSig §6.4.2). */
export const SIGNATURE_ALGORITHMS = {
  rsaSha256: "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
  rsaSha1: "http://www.w3.org/2000/09/xmldsig#rsa-sha1",
  ecdsaSha256: "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256",
} as const;

/** `describe.skipIf(skipWithoutSamlTools(...))`: true only outside CI when something is missing. */
export function skipWithoutSamlTools(suite: string, tools: readonly SamlTool[]): boolean {
  const missing = tools.map((tool) => SAML_TOOLS[tool]).filter((path) => !existsSync(path));
  if (missing.length === 0 || process.env.CI === "true") return false;
  process.emitWarning(`${suite} skipped: ${missing.join(", ")} missing`);
  return true;
}

/** The schemaLocation URLs the SAML XSDs import, mapped to local files (XML Catalogs §6.5.7). */
const CATALOG = `<?xml version="1.0"?>
<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">
${[
  ["http://www.w3.org/TR/2002/REC-xmldsig-core-20020212/xmldsig-core-schema.xsd", "xmldsig-core-schema.xsd"],
  ["http://www.w3.org/TR/2002/REC-xmlenc-core-20021210/xenc-schema.xsd", "xenc-schema.xsd"],
  ["http://www.w3.org/2001/xml.xsd", "xml.xsd"],
]
  .map(
    ([url, file]) =>
      `  <system systemId="${url}" uri="file://${XMLTOOLING}/${file}"/>\n  <uri name="${url}" uri="file://${XMLTOOLING}/${file}"/>`,
  )
  .join("\n")}
</catalog>`;

export interface ToolRun {
  readonly exitCode: number;
  /** stdout and stderr together: these tools report results on either. */
  readonly output: string;
  readonly stdout: string;
}

/** A temporary folder holding the catalog, where every tool runs; `remove()` it in `afterAll`. */
export interface SamlToolbox {
  readonly dir: string;
  /** Writes a file into the folder and returns its name (the tools run there). */
  write(name: string, content: string | Uint8Array): string;
  /** Runs a command to completion in the folder; a non-zero exit is a result, not an exception. */
  run(command: string, args: readonly string[]): Promise<ToolRun>;
  /** xmlsec1 --verify with the certificate file, `--id-attr:ID` on each element, then `extra`. */
  xmlsecVerify(
    file: string,
    certificatePem: string,
    idElements: readonly string[],
    extra?: readonly string[],
  ): Promise<ToolRun>;
  /** xmllint against a SAML XSD, offline. */
  xmllint(schema: string, file: string): Promise<ToolRun>;
  /** openssl dgst -verify over `dataFile` with the PEM public key and the raw signature file. */
  opensslVerify(publicKeyPem: string, signatureFile: string, dataFile: string, hash?: string): Promise<ToolRun>;
  remove(): void;
}

export function createSamlToolbox(prefix: string): SamlToolbox {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const env = { ...process.env, XML_CATALOG_FILES: join(dir, "catalog.xml") };
  writeFileSync(join(dir, "catalog.xml"), CATALOG);
  const run = (command: string, args: readonly string[]) =>
    new Promise<ToolRun>((resolve, reject) => {
      execFile(command, [...args], { cwd: dir, env, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
        if (error && typeof error.code !== "number") reject(error);
        else
          resolve({ exitCode: typeof error?.code === "number" ? error.code : 0, output: `${stdout}${stderr}`, stdout });
      });
    });
  return {
    dir,
    write(name, content) {
      writeFileSync(join(dir, name), content);
      return name;
    },
    run,
    xmlsecVerify: (file, certificatePem, idElements, extra = []) =>
      run(SAML_TOOLS.xmlsec1, [
        "--verify",
        "--pubkey-cert-pem",
        certificatePem,
        ...idElements.flatMap((element) => ["--id-attr:ID", element]),
        ...extra,
        file,
      ]),
    xmllint: (schema, file) => run(SAML_TOOLS.xmllint, ["--nonet", "--noout", "--schema", schema, file]),
    opensslVerify: (publicKeyPem, signatureFile, dataFile, hash = "sha256") =>
      run(SAML_TOOLS.openssl, ["dgst", `-${hash}`, "-verify", publicKeyPem, "-signature", signatureFile, dataFile]),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
