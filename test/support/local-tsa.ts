/**
 * A local RFC 3161 TSA for tests: node:http on 127.0.0.1, port 0, answering each
 * application/timestamp-query with `openssl ts -reply` (reference/signature.md §3.2) signed by
 * the dev TSA certificate from our generator. Without openssl a developer's run skips the
 * suites that need it; with CI=true they run and fail, so a missing tool never passes as green.
 */
import { execFile, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { type DevCertificateSet, generateDevCertificates } from "../../src/signature/certificates/dev-certificates.js";
import { derToPem } from "../../src/signature/certificates/pem.js";
import { opensslTsaConfig } from "./openssl-pki.js";

export const OPENSSL = process.env.FACCIA_OPENSSL ?? "/usr/bin/openssl";
export const opensslAvailable = spawnSync(OPENSSL, ["version"]).status === 0;
/** For `describe.skipIf`: true only on a developer machine without openssl. */
export const skipWithoutOpenssl = !opensslAvailable && !process.env.CI;
if (skipWithoutOpenssl) process.emitWarning(`openssl tests skipped: no ${OPENSSL} (apt-get install openssl)`);

/** Runs openssl; never throws, so tests can assert on status and output. */
export function runOpenssl(args: readonly string[], cwd?: string): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(OPENSSL, args, { cwd, encoding: "utf8" });
  return { status: result.status ?? -1, stdout: result.stdout ?? "", stderr: result.stderr ?? String(result.error) };
}

/** A TSA policy OID under a private arc, for tests only. */
export const LOCAL_TSA_POLICY = "1.3.6.1.4.1.99999.3161.1";

export interface LocalTsa {
  /** POST endpoint, e.g. http://127.0.0.1:41234/tsa */
  url: string;
  dir: string;
  /** PEM files for `openssl ts -verify -CAfile … -untrusted …`. */
  caPemPath: string;
  tsaPemPath: string;
  certificates: DevCertificateSet;
  /** Number of queries answered so far. */
  requests(): number;
  close(): Promise<void>;
}

export interface LocalTsaOptions {
  /** Dev certificates to sign with (default: a fresh set). */
  certificates?: DevCertificateSet;
  /** Digests the TSA accepts (ts.cnf `digests`); others get a badAlg rejection. */
  digests?: readonly string[];
}

const run = promisify(execFile);

export async function startLocalTsa(options: LocalTsaOptions = {}): Promise<LocalTsa> {
  if (!opensslAvailable) throw new Error(`openssl not found at ${OPENSSL}: CI must install Debian's openssl package`);
  const certificates =
    options.certificates ??
    (await generateDevCertificates({
      ipa: "c_test",
      entityName: "Comune di Test",
      now: new Date(),
      keys: { seal: { kind: "ec", namedCurve: "P-256" } },
    }));
  const dir = mkdtempSync(join(tmpdir(), "faccia-tsa-"));
  const caPemPath = join(dir, "ca.pem");
  const tsaPemPath = join(dir, "tsa.pem");
  writeFileSync(caPemPath, derToPem(certificates.ca.certificate, "CERTIFICATE"));
  writeFileSync(tsaPemPath, derToPem(certificates.tsa.certificate, "CERTIFICATE"));
  writeFileSync(join(dir, "tsa.key"), derToPem(certificates.tsa.privateKey, "PRIVATE KEY"), { mode: 0o600 });
  writeFileSync(join(dir, "tsaserial"), "01\n");
  const digests = options.digests ?? ["sha256", "sha384", "sha512"];
  const config = opensslTsaConfig({ dir, certs: "ca.pem", policy: LOCAL_TSA_POLICY, digests, ordering: false });
  writeFileSync(join(dir, "ts.cnf"), config);

  let answered = 0;
  // openssl ts increments the serial file: one reply at a time.
  let queue: Promise<unknown> = Promise.resolve();
  const reply = async (query: Buffer): Promise<Buffer> => {
    const n = ++answered;
    const queryFile = join(dir, `query-${n}.tsq`);
    const replyFile = join(dir, `reply-${n}.tsr`);
    await writeFile(queryFile, query);
    const args = "ts -reply -config ts.cnf -signer tsa.pem -inkey tsa.key -chain ca.pem".split(" ");
    await run(OPENSSL, [...args, "-queryfile", queryFile, "-out", replyFile], { cwd: dir });
    return readFile(replyFile);
  };

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      if (request.method !== "POST" || request.headers["content-type"] !== "application/timestamp-query") {
        response.writeHead(415).end();
        return;
      }
      const answer = queue.then(() => reply(Buffer.concat(chunks)));
      queue = answer.catch(() => undefined);
      answer.then(
        (body) => response.writeHead(200, { "content-type": "application/timestamp-reply" }).end(body),
        (error: unknown) => response.writeHead(500, { "content-type": "text/plain" }).end(String(error)),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/tsa`,
    dir,
    caPemPath,
    tsaPemPath,
    certificates,
    requests: () => answered,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
