import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import * as pkijs from "pkijs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTsaClient } from "../../src/signature/timestamp/tsa-client.js";
import {
  LOCAL_TSA_POLICY,
  type LocalTsa,
  runOpenssl,
  skipWithoutOpenssl,
  startLocalTsa,
} from "../support/local-tsa.js";

/** The RFC 3161 client against a real TSA (openssl ts -reply), and the token checked by openssl ts -verify. */
describe.skipIf(skipWithoutOpenssl)("TSA client against a local openssl TSA", () => {
  let tsa: LocalTsa;
  beforeAll(async () => {
    tsa = await startLocalTsa();
  });
  afterAll(async () => {
    await tsa?.close();
  });

  const data = Buffer.from("signature value of the report's SignerInfo");

  it("gets a token whose genTime is now and which openssl ts -verify accepts for the data", async () => {
    const before = Date.now();
    const client = createTsaClient({ url: tsa.url });
    const result = await client.timestamp(createHash("sha256").update(data).digest());
    expect(result.policy).toBe(LOCAL_TSA_POLICY);
    expect(result.genTime.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 - 1000);
    expect(result.genTime.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    expect(pkijs.ContentInfo.fromBER(result.token).contentType).toBe("1.2.840.113549.1.7.2");

    const tokenFile = join(tsa.dir, "token.der");
    const dataFile = join(tsa.dir, "data.bin");
    writeFileSync(tokenFile, result.token);
    writeFileSync(dataFile, data);
    const verify = ["ts", "-verify", "-token_in", "-in", tokenFile, "-data", dataFile, "-CAfile", tsa.caPemPath];
    const verified = runOpenssl([...verify, "-untrusted", tsa.tsaPemPath]);
    expect(verified.stdout + verified.stderr).toContain("Verification: OK");
    expect(verified.status).toBe(0);

    writeFileSync(dataFile, Buffer.from("other data"));
    const mismatch = runOpenssl(verify);
    expect(mismatch.status).not.toBe(0);
  });

  it("asks for SHA-384 and SHA-512 imprints too, one serial number per token", async () => {
    const client = createTsaClient({ url: tsa.url });
    const a = await client.timestamp(createHash("sha384").update(data).digest(), "sha384");
    const b = await client.timestamp(createHash("sha512").update(data).digest(), "sha512");
    expect(a.serialNumber).not.toBe(b.serialNumber);
  });

  it("answers TIMESTAMP_REJECTED with the TSA's reason when the TSA refuses the digest", async () => {
    const strict = await startLocalTsa({ certificates: tsa.certificates, digests: ["sha512"] });
    try {
      const client = createTsaClient({ url: strict.url });
      await expect(client.timestamp(createHash("sha256").update(data).digest())).rejects.toMatchObject({
        code: "TIMESTAMP_REJECTED",
        retryable: false,
        message: expect.stringMatching(/rejection: badAlg/),
      });
    } finally {
      await strict.close();
    }
  });

  it("answers TIMESTAMP_MISMATCH when a genuine answer is for another digest or another nonce", async () => {
    let recorded: Uint8Array | undefined;
    const recording = async (url: string, init: RequestInit) => {
      const response = await fetch(url, init);
      recorded = new Uint8Array(await response.arrayBuffer());
      return new Response(Buffer.from(recorded), { status: response.status });
    };
    const digest = createHash("sha256").update(data).digest();
    await createTsaClient({ url: tsa.url, fetch: recording }).timestamp(digest);
    const replay = async () => new Response(Buffer.from(recorded ?? []), { status: 200 });
    const replaying = createTsaClient({ url: tsa.url, fetch: replay });
    await expect(replaying.timestamp(createHash("sha256").update("other").digest())).rejects.toMatchObject({
      code: "TIMESTAMP_MISMATCH",
      message: expect.stringContaining("messageImprint"),
    });
    // Same digest, but each request carries a fresh nonce: a replayed answer is caught (RFC 3161 §2.4.2).
    await expect(replaying.timestamp(digest)).rejects.toMatchObject({
      code: "TIMESTAMP_MISMATCH",
      message: expect.stringContaining("nonce"),
    });
  });

  it("answers TIMESTAMP_UNAVAILABLE (retryable) when nothing listens at the URL", async () => {
    const closed = await startLocalTsa({ certificates: tsa.certificates });
    const url = closed.url;
    await closed.close();
    await expect(createTsaClient({ url }).timestamp(createHash("sha256").update(data).digest())).rejects.toMatchObject({
      code: "TIMESTAMP_UNAVAILABLE",
      retryable: true,
    });
  });
});
