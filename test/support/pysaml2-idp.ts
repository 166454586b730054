/**
 * Runs the independent SPID IdP of `pysaml2-idp/idp.py` (Debian's python3-pysaml2) for a test:
 * a fresh RSA key and self-signed certificate made by openssl, the SP metadata we publish, the
 * user to log in as; the process binds 127.0.0.1 on a free port and is stopped by `stop()`.
 * Always Debian's `/usr/bin/python3`: the first python3 on PATH may be a build without the
 * apt-installed modules.
 *
 * @example
 * const idp = await startPysamlIdp({ spMetadataXml, user: { fiscalNumber: "RSSMRA80A01H501U", … } });
 * try { … fetch(redirectBindingUrl(request, relayState, credential)) … } finally { await idp.stop(); }
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { DOMParser, type Element } from "@xmldom/xmldom";

export const DEBIAN_PYTHON = "/usr/bin/python3";
export const XMLSEC1 = "/usr/bin/xmlsec1";
export const IDP_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), "pysaml2-idp", "idp.py");
const READY_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;

const MD = "urn:oasis:names:tc:SAML:2.0:metadata";
const DS = "http://www.w3.org/2000/09/xmldsig#";
const HTTP_REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
const HTTP_POST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";

export interface PysamlIdpUser {
  /** The codice fiscale; the IdP adds the `TINIT-` prefix when it is missing. */
  readonly fiscalNumber: string;
  readonly name: string;
  readonly familyName: string;
  readonly email: string;
}

export interface PysamlIdpOptions {
  /** Our signed SP metadata; the IdP refuses to start if its signature does not verify. */
  readonly spMetadataXml: string;
  readonly user: PysamlIdpUser;
  /** The SpidL level the IdP claims in AuthnContextClassRef; default: the level requested. */
  readonly level?: 1 | 2 | 3;
  /** Answer every AuthnRequest with Responder/AuthnFailed "ErrorCode nr25" (user cancelled). */
  readonly cancel?: boolean;
}

export interface PysamlIdp {
  /** `http://127.0.0.1:<port>/idp` */
  readonly entityId: string;
  /** `http://127.0.0.1:<port>` */
  readonly baseUrl: string;
  /** The IdP metadata as pysaml2 publishes it (signed EntityDescriptor). */
  readonly metadataXml: string;
  /** The signing certificate (DER) read from the metadata KeyDescriptor: what a registry gives. */
  readonly certificateDer: Uint8Array;
  /** SingleSignOnService Location for HTTP-Redirect, from the metadata. */
  readonly ssoRedirectUrl: string;
  /** SingleSignOnService Location for HTTP-POST, from the metadata. */
  readonly ssoPostUrl: string;
  /** SingleLogoutService Location for HTTP-Redirect, from the metadata. */
  readonly sloRedirectUrl: string;
  /** SIGTERM, waits for the exit, removes the temporary folder. Safe to call twice. */
  stop(): Promise<void>;
}

function run(command: string, args: readonly string[]): Promise<{ ok: boolean; output: string }> {
  return new Promise((resolve) => {
    execFile(command, [...args], { env: pythonEnv() }, (error, stdout, stderr) => {
      resolve({ ok: error === null, output: `${stdout}${stderr}`.trim() });
    });
  });
}

/** Debian's python with nothing inherited that would redirect its module search. */
function pythonEnv(): NodeJS.ProcessEnv {
  const { PYTHONPATH: _path, PYTHONHOME: _home, VIRTUAL_ENV: _venv, ...rest } = process.env;
  return { ...rest, PYTHONDONTWRITEBYTECODE: "1" };
}

/** Why the IdP cannot run here, or null when it can (tests fail instead of skipping under CI=true). */
export async function pysamlAvailable(): Promise<string | null> {
  if (!existsSync(DEBIAN_PYTHON)) return `${DEBIAN_PYTHON} is missing (Debian package python3)`;
  if (!existsSync(XMLSEC1)) return `${XMLSEC1} is missing (Debian package xmlsec1)`;
  const saml2 = await run(DEBIAN_PYTHON, ["-c", "import saml2.server"]);
  if (!saml2.ok) return `${DEBIAN_PYTHON} cannot import saml2 (Debian package python3-pysaml2): ${saml2.output}`;
  const openssl = await run("openssl", ["version"]);
  if (!openssl.ok) return `openssl is missing: ${openssl.output}`;
  return null;
}

/** Starts the IdP and resolves once it answers with its metadata. */
export async function startPysamlIdp(options: PysamlIdpOptions): Promise<PysamlIdp> {
  const dir = mkdtempSync(join(tmpdir(), "faccia-pysaml2-idp-"));
  let child: ChildProcess | undefined;
  try {
    const settings = await writeSettings(dir, options);
    child = spawn(DEBIAN_PYTHON, [IDP_SCRIPT, "--config", settings], {
      cwd: dir,
      env: pythonEnv(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    const ready = await waitForReady(child);
    const baseUrl = `http://127.0.0.1:${ready.port}`;
    const response = await fetch(`${baseUrl}/metadata`);
    if (!response.ok) throw new Error(`pysaml2 IdP metadata: HTTP ${response.status}`);
    const metadataXml = await response.text();
    const stop = stopper(child, dir);
    return { entityId: ready.entityId, baseUrl, metadataXml, ...readMetadata(metadataXml), stop };
  } catch (error) {
    if (child !== undefined) await stopper(child, dir)();
    else rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

async function writeSettings(dir: string, options: PysamlIdpOptions): Promise<string> {
  const keyFile = join(dir, "idp-key.pem");
  const certFile = join(dir, "idp-cert.pem");
  // RSA 2048 and SHA-256 (AgID Avviso 29 v3 minimum), 30 days: a throw-away test identity.
  const made = await run("openssl", [
    ...["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30", "-sha256"],
    ...["-subj", "/C=IT/O=pysaml2 test IdP/CN=127.0.0.1", "-keyout", keyFile, "-out", certFile],
  ]);
  if (!made.ok) throw new Error(`openssl could not make the IdP key: ${made.output}`);
  const spMetadataFile = join(dir, "sp-metadata.xml");
  writeFileSync(spMetadataFile, options.spMetadataXml);
  const settings = join(dir, "idp.json");
  const { user, level, cancel } = options;
  writeFileSync(settings, JSON.stringify({ keyFile, certFile, spMetadataFile, user, level, cancel, port: 0 }));
  return settings;
}

/** The first stdout line is `{"port","entityId"}`; an exit or 20 s of silence is an error with stderr. */
function waitForReady(child: ChildProcess): Promise<{ port: number; entityId: string }> {
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    const fail = (reason: string) => {
      clearTimeout(timer);
      reject(new Error(`pysaml2 IdP did not start: ${reason}\n${stderr.slice(-4000)}`));
    };
    const timer = setTimeout(() => fail(`no ready line within ${READY_TIMEOUT_MS} ms`), READY_TIMEOUT_MS);
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      stderr = (stderr + chunk).slice(-16_000);
    });
    child.once("error", (error) => fail(error.message));
    child.once("exit", (code, signal) => fail(`exited with ${code ?? signal}`));
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      const newline = stdout.indexOf("\n");
      if (newline < 0) return;
      clearTimeout(timer);
      try {
        const ready = JSON.parse(stdout.slice(0, newline)) as { port: number; entityId: string };
        if (!Number.isInteger(ready.port) || typeof ready.entityId !== "string") throw new Error("bad fields");
        resolve(ready);
      } catch {
        fail(`unexpected first line ${JSON.stringify(stdout.slice(0, newline))}`);
      }
    });
  });
}

function stopper(child: ChildProcess, dir: string): () => Promise<void> {
  let stopped: Promise<void> | undefined;
  return () => {
    stopped ??= new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(force);
        rmSync(dir, { recursive: true, force: true });
        resolve();
      };
      const force = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once("exit", done);
      child.kill("SIGTERM");
    });
    return stopped;
  };
}

/** SAML Metadata §2.4.3 IDPSSODescriptor: signing certificate and the SSO/SLO locations. */
function readMetadata(xml: string) {
  const root = new DOMParser().parseFromString(xml, "application/xml").documentElement;
  const descriptor = root?.getElementsByTagNameNS(MD, "IDPSSODescriptor")[0];
  if (descriptor === undefined) throw new Error("pysaml2 IdP metadata has no IDPSSODescriptor");
  const signing = Array.from(descriptor.getElementsByTagNameNS(MD, "KeyDescriptor")).find(
    (key) => (key.getAttribute("use") ?? "signing") === "signing",
  );
  const certificate = signing?.getElementsByTagNameNS(DS, "X509Certificate")[0]?.textContent?.replace(/\s+/g, "");
  if (!certificate) throw new Error("pysaml2 IdP metadata has no signing certificate");
  return {
    certificateDer: new Uint8Array(Buffer.from(certificate, "base64")),
    ssoRedirectUrl: location(descriptor, "SingleSignOnService", HTTP_REDIRECT),
    ssoPostUrl: location(descriptor, "SingleSignOnService", HTTP_POST),
    sloRedirectUrl: location(descriptor, "SingleLogoutService", HTTP_REDIRECT),
  };
}

function location(descriptor: Element, service: string, binding: string): string {
  const element = Array.from(descriptor.getElementsByTagNameNS(MD, service)).find(
    (candidate) => candidate.getAttribute("Binding") === binding,
  );
  const value = element?.getAttribute("Location");
  if (!value) throw new Error(`pysaml2 IdP metadata has no ${service} for ${binding}`);
  return value;
}
