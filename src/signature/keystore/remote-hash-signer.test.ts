import { createHash, generateKeyPairSync, type KeyObject, verify } from "node:crypto";
import { inspect } from "node:util";
import { delay, HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { makeTestIdentity } from "../../../test/support/test-identities.js";
import { derToPem } from "../certificates/pem.js";
import { OID } from "../oids.js";
import { RemoteHashSigner, type RemoteHashSignerConfig } from "./remote-hash-signer.js";
import { Secret } from "./secret.js";
import { signDigestWithKey } from "./sign-digest.js";

const QTSP = "https://qtsp.test/csc/v2";
const PASSWORD = "s3cret-automatic-signing";

const rsa = makeTestIdentity("rsa", "Firma automatica");
const ec = makeTestIdentity("P-256", "Firma automatica");

interface SignHashBody {
  credentialID: string;
  SAD?: string;
  hashes: string[];
  hashAlgorithmOID: string;
  signAlgo: string;
}

/** A CSC signHash endpoint that signs with a real key, as the QTSP's HSM would. */
function signHashHandler(key: KeyObject, seen: { body?: SignHashBody; authorization?: string | null }) {
  return http.post(`${QTSP}/signatures/signHash`, async ({ request }) => {
    seen.authorization = request.headers.get("authorization");
    const body = (await request.json()) as SignHashBody;
    seen.body = body;
    const algorithm = body.hashAlgorithmOID === OID.sha384 ? "sha384" : "sha256";
    const signatures = body.hashes.map((hash) =>
      Buffer.from(signDigestWithKey(key, Buffer.from(hash, "base64"), algorithm)).toString("base64"),
    );
    return HttpResponse.json({ signatures });
  });
}

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function config(overrides: Partial<RemoteHashSignerConfig> = {}): RemoteHashSignerConfig {
  return {
    signHashUrl: `${QTSP}/signatures/signHash`,
    credentialId: "seal-c_demo",
    credentials: { kind: "basic", username: "comune-demo", password: new Secret(PASSWORD) },
    certificates: { pem: derToPem(rsa.certificate, "CERTIFICATE") },
    ...overrides,
  };
}

const data = new TextEncoder().encode("report-c_demo-2026-10.pdf");
const digest = (algorithm: "sha256" | "sha384") => createHash(algorithm).update(data).digest();

describe("RemoteHashSigner: happy path", () => {
  it("round-trips an RSA signature made by the remote HSM, CSC signHash contract and Basic auth", async () => {
    const seen: { body?: SignHashBody; authorization?: string | null } = {};
    server.use(signHashHandler(rsa.privateKey, seen));
    const signer = await RemoteHashSigner.connect(config({ sad: new Secret("static-sad") }));
    const signature = await signer.sign(digest("sha256"), "sha256");
    expect(verify("sha256", data, rsa.publicKey, signature)).toBe(true);
    expect(signer.keyAlgorithm).toEqual({ kind: "rsa", modulusBits: 2048 });
    expect(seen.body).toEqual({
      credentialID: "seal-c_demo",
      SAD: "static-sad",
      hashes: [digest("sha256").toString("base64")],
      hashAlgorithmOID: OID.sha256,
      signAlgo: OID.rsaEncryption,
    });
    expect(seen.authorization).toBe(`Basic ${Buffer.from(`comune-demo:${PASSWORD}`).toString("base64")}`);
  });

  it("fetches the chain from credentials/info and signs with EC P-256 under a bearer token", async () => {
    const seen: { body?: SignHashBody; authorization?: string | null } = {};
    server.use(
      signHashHandler(ec.privateKey, seen),
      http.post(`${QTSP}/credentials/info`, async ({ request }) => {
        expect(await request.json()).toEqual({ credentialID: "seal-c_demo", certificates: "chain" });
        return HttpResponse.json({ cert: { certificates: [Buffer.from(ec.certificate).toString("base64")] } });
      }),
    );
    const signer = await RemoteHashSigner.connect(
      config({
        credentials: { kind: "bearer", token: new Secret("tok-123") },
        certificates: { credentialsInfoUrl: `${QTSP}/credentials/info` },
      }),
    );
    expect(signer.certificateChain).toEqual([ec.certificate]);
    const signature = await signer.sign(digest("sha384"), "sha384");
    expect(verify("sha384", data, ec.publicKey, signature)).toBe(true);
    expect(seen.body?.signAlgo).toBe(OID.ecdsaWithSha384);
    expect(seen.authorization).toBe("Bearer tok-123");
  });

  it("turns a raw r‖s ECDSA answer into DER", async () => {
    server.use(
      http.post(`${QTSP}/signatures/signHash`, async () => {
        const der = Buffer.from(signDigestWithKey(ec.privateKey, digest("sha256"), "sha256"));
        const raw = rawFromDer(der);
        return HttpResponse.json({ signatures: [raw.toString("base64")] });
      }),
    );
    const signer = await RemoteHashSigner.connect(
      config({ certificates: { pem: derToPem(ec.certificate, "CERTIFICATE") } }),
    );
    expect(verify("sha256", data, ec.publicKey, await signer.sign(digest("sha256"), "sha256"))).toBe(true);
  });
});

describe("RemoteHashSigner: errors", () => {
  const answer = (response: () => Response | Promise<Response>) =>
    server.use(http.post(`${QTSP}/signatures/signHash`, response));

  it.each([
    [401, "SIGNATURE_REMOTE_UNAUTHORIZED", false],
    [403, "SIGNATURE_REMOTE_UNAUTHORIZED", false],
    [400, "SIGNATURE_REMOTE_REJECTED", false],
    [429, "SIGNATURE_REMOTE_UNAVAILABLE", true],
    [503, "SIGNATURE_REMOTE_UNAVAILABLE", true],
  ])("maps HTTP %i to %s (retryable %s)", async (status, code, retryable) => {
    answer(() => HttpResponse.json({ error: "invalid_request", error_description: "bad credentialID" }, { status }));
    const signer = await RemoteHashSigner.connect(config());
    const failure = signer.sign(digest("sha256"), "sha256");
    await expect(failure).rejects.toMatchObject({ code, retryable });
    await expect(signer.sign(digest("sha256"), "sha256")).rejects.toThrow(/invalid_request — bad credentialID/);
  });

  it("gives SIGNATURE_REMOTE_TIMEOUT (retryable) when the service does not answer in time", async () => {
    answer(async () => {
      await delay("infinite");
      return HttpResponse.json({});
    });
    const signer = await RemoteHashSigner.connect(config({ timeoutMs: 50 }));
    await expect(signer.sign(digest("sha256"), "sha256")).rejects.toMatchObject({
      code: "SIGNATURE_REMOTE_TIMEOUT",
      retryable: true,
    });
  });

  it("gives SIGNATURE_REMOTE_UNAVAILABLE (retryable) on a network error", async () => {
    answer(() => HttpResponse.error());
    const signer = await RemoteHashSigner.connect(config());
    await expect(signer.sign(digest("sha256"), "sha256")).rejects.toMatchObject({
      code: "SIGNATURE_REMOTE_UNAVAILABLE",
      retryable: true,
    });
  });

  it.each([
    ["not JSON", () => new HttpResponse("<html>proxy error</html>", { status: 200 })],
    ["no signatures", () => HttpResponse.json({ result: "ok" })],
    ["not base64", () => HttpResponse.json({ signatures: ["%%%"] })],
    ["two signatures for one hash", () => HttpResponse.json({ signatures: ["AAAA", "AAAA"] })],
    ["a signature by another key", () => HttpResponse.json({ signatures: [otherKeySignature()] })],
  ])("gives SIGNATURE_REMOTE_MALFORMED_RESPONSE for %s", async (_, response) => {
    answer(response);
    const signer = await RemoteHashSigner.connect(config());
    await expect(signer.sign(digest("sha256"), "sha256")).rejects.toMatchObject({
      code: "SIGNATURE_REMOTE_MALFORMED_RESPONSE",
      retryable: false,
    });
  });

  it("refuses a configured algorithm that does not match the credential's certificate", async () => {
    await expect(
      RemoteHashSigner.connect(config({ keyAlgorithm: { kind: "ec", namedCurve: "P-256" } })),
    ).rejects.toMatchObject({ code: "SIGNATURE_KEY_UNSUPPORTED" });
  });
});

describe("RemoteHashSigner: security", () => {
  it("never shows the credentials in JSON, strings or util.inspect", async () => {
    const cfg = config({ sad: new Secret("sad-value") });
    const signer = await RemoteHashSigner.connect(cfg);
    for (const text of [
      JSON.stringify(cfg),
      JSON.stringify(signer),
      inspect(cfg, { depth: 5 }),
      inspect(signer),
      `${cfg.sad}`,
    ]) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain("sad-value");
    }
  });
});

function otherKeySignature(): string {
  const other = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return Buffer.from(signDigestWithKey(other.privateKey, digest("sha256"), "sha256")).toString("base64");
}

/** DER ECDSA-Sig-Value → r‖s, each left-padded to 32 bytes. */
function rawFromDer(der: Buffer): Buffer {
  const rLength = der[3] ?? 0;
  const r = der.subarray(4, 4 + rLength);
  const s = der.subarray(6 + rLength);
  const pad = (value: Buffer) => Buffer.concat([Buffer.alloc(32), value]).subarray(-32);
  return Buffer.concat([pad(r), pad(s)]);
}
