import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  makeTestCertificate,
  sampleTslXml,
  signTslXml,
  type TestKeyPair,
} from "../../../test/support/trusted-list-fixtures.js";
import { TrustedListError } from "./errors.js";
import { loadTrustedListFromFile, loadTrustedListFromUrl } from "./load-trusted-list.js";
import type { ParseTrustedListOptions } from "./model.js";

let signer: TestKeyPair;
let signed: string;
let options: ParseTrustedListOptions;
let dir: string;

beforeAll(async () => {
  const [tslSigner, ca] = await Promise.all([makeTestCertificate("TSL signer"), makeTestCertificate("CA", "ec")]);
  signer = tslSigner;
  signed = signTslXml(sampleTslXml(ca.certDer, ca.certDer, signer.validAt), signer);
  options = { expectedSigners: [{ kind: "certificate", certificate: signer.certDer }], now: signer.validAt };
  dir = await mkdtemp(join(tmpdir(), "faccia-tsl-load-"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function failure(promise: Promise<unknown>): Promise<TrustedListError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof TrustedListError)) throw new Error(`expected a TrustedListError, got ${String(error)}`);
  return error;
}

describe("loadTrustedListFromFile", () => {
  it("loads and verifies a list from disk", async () => {
    const path = join(dir, "tsl.xml");
    await writeFile(path, signed);
    expect((await loadTrustedListFromFile(path, options)).schemeTerritory).toBe("IT");
  });

  it("names a missing file and a file over the size limit", async () => {
    expect((await failure(loadTrustedListFromFile(join(dir, "none.xml"), options))).code).toBe(
      "TRUSTED_LIST_UNAVAILABLE",
    );
    const path = join(dir, "big.xml");
    await writeFile(path, signed);
    expect((await failure(loadTrustedListFromFile(path, { ...options, maxBytes: 10 }))).code).toBe(
      "TRUSTED_LIST_TOO_LARGE",
    );
  });
});

describe("loadTrustedListFromUrl", () => {
  let server: Server | undefined;
  const pending: ServerResponse[] = [];

  async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
    server = createServer(handler);
    await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/TSL-IT.xml`;
  }

  afterEach(async () => {
    for (const res of pending.splice(0)) res.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  it("downloads and verifies a list", async () => {
    const url = await serve((_req, res) => res.writeHead(200, { "content-type": "application/xml" }).end(signed));
    const list = await loadTrustedListFromUrl(url, options);
    expect(list.trustAnchors).toHaveLength(1);
  });

  it.each([
    [404, false],
    [503, true],
  ])("names an HTTP %i answer as unavailable (retryable: %s)", async (status, retryable) => {
    const url = await serve((_req, res) => res.writeHead(status).end("no"));
    const error = await failure(loadTrustedListFromUrl(url, options));
    expect([error.code, error.retryable]).toEqual(["TRUSTED_LIST_UNAVAILABLE", retryable]);
  });

  it("gives up after the timeout when the server never answers", async () => {
    const url = await serve((_req, res) => {
      pending.push(res);
    });
    const error = await failure(loadTrustedListFromUrl(url, { ...options, timeoutMs: 200 }));
    expect([error.code, error.retryable]).toEqual(["TRUSTED_LIST_UNAVAILABLE", true]);
  });

  it("stops reading a body over the size limit, declared or streamed", async () => {
    const declared = await serve((_req, res) => res.writeHead(200, { "content-length": signed.length }).end(signed));
    expect((await failure(loadTrustedListFromUrl(declared, { ...options, maxBytes: 100 }))).code).toBe(
      "TRUSTED_LIST_TOO_LARGE",
    );
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    const streamed = await serve((_req, res) => {
      res.writeHead(200);
      res.write(signed.slice(0, 80));
      res.end(signed.slice(80));
    });
    expect((await failure(loadTrustedListFromUrl(streamed, { ...options, maxBytes: 100 }))).code).toBe(
      "TRUSTED_LIST_TOO_LARGE",
    );
  });

  it("refuses a downloaded list that does not verify", async () => {
    const url = await serve((_req, res) => res.writeHead(200).end(signed.replace("Granted CA", "Forged CA")));
    expect((await failure(loadTrustedListFromUrl(url, options))).code).toBe("TRUSTED_LIST_SIGNATURE_INVALID");
  });
});
