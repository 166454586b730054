import { execFile, spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import type { DetachedCmsBuilder } from "../../src/signature/pades/index.js";

/**
 * A stand-in for the gateway's own CAdES builder in PAdES tests: OpenSSL's CAdES-BES detached
 * SignedData (`openssl cms -sign -binary -cades`, no -nodetach), with signing-certificate-v2.
 * Unlike PAdES-B-B it also carries a signing-time attribute (OpenSSL always adds one); pdfsig
 * does not mind, the real builder will leave it out. Keys and certificates: the openssl CLI.
 */

const run = promisify(execFile);

export interface TestPki {
  readonly caCert: string;
  readonly signerCert: string;
  readonly signerKey: string;
}

const CONFIG = `[req]
distinguished_name = dn
[dn]
[ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[signer]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
`;

/** A test CA and a seal certificate it issued (RSA 2048, 30 days), as PEM files in `dir`. */
export async function makeTestPki(dir: string, signerName = "Comune di Prova"): Promise<TestPki> {
  const file = (name: string) => join(dir, name);
  await writeFile(file("openssl.cnf"), CONFIG);
  const common = ["-config", file("openssl.cnf"), "-nodes", "-newkey", "rsa:2048"];
  await run("openssl", [
    "req",
    "-x509",
    ...common,
    "-keyout",
    file("ca.key"),
    "-out",
    file("ca.pem"),
    "-days",
    "30",
    "-subj",
    "/CN=Faccia Test CA/O=Faccia test/C=IT",
    "-extensions",
    "ca",
  ]);
  await run("openssl", [
    "req",
    ...common,
    "-keyout",
    file("signer.key"),
    "-out",
    file("signer.csr"),
    "-subj",
    `/CN=${signerName}/O=${signerName}/organizationIdentifier=PA:IT-c_test/C=IT`,
  ]);
  await run("openssl", [
    "x509",
    "-req",
    "-in",
    file("signer.csr"),
    "-CA",
    file("ca.pem"),
    "-CAkey",
    file("ca.key"),
    "-CAcreateserial",
    "-out",
    file("signer.pem"),
    "-days",
    "30",
    "-extfile",
    file("openssl.cnf"),
    "-extensions",
    "signer",
  ]);
  return { caCert: file("ca.pem"), signerCert: file("signer.pem"), signerKey: file("signer.key") };
}

/** A {@link DetachedCmsBuilder} that pipes the bytes to sign through `openssl cms -sign`. */
export function opensslDetachedCms(pki: TestPki): DetachedCmsBuilder {
  return (bytesToSign) =>
    pipe(
      "openssl",
      [
        "cms",
        "-sign",
        "-binary",
        "-cades",
        "-outform",
        "DER",
        "-md",
        "sha256",
        "-nosmimecap",
        "-signer",
        pki.signerCert,
        "-inkey",
        pki.signerKey,
        "-certfile",
        pki.caCert,
      ],
      bytesToSign,
    );
}

function pipe(command: string, args: string[], input: Uint8Array): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(new Uint8Array(Buffer.concat(out)));
      else reject(new Error(`${command} exited ${code}: ${Buffer.concat(err).toString()}`));
    });
    child.stdin.end(input);
  });
}
