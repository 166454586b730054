/**
 * The verifier is fed by the outside world (uploads of externally signed files): whatever
 * the bytes, it answers with reasons and never throws, and a mutation never yields a valid
 * signature over other content.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addSignatureTimestamp, signCades, verifyCades } from "../../src/signature/cades/index.js";
import { createKeySigner } from "../support/key-signer.js";
import { createOpensslPki, type OpensslPki, SKIP_WITHOUT_OPENSSL } from "../support/openssl-pki.js";

const CONTENT = Buffer.from("contenuto firmato");

const mutation = fc.oneof(
  fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), value: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant("insert" as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
  }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), count: fc.integer({ min: 1, max: 8 }) }),
);

type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(bytes: Uint8Array, steps: readonly Mutation[]): Uint8Array {
  let out = Buffer.from(bytes);
  for (const step of steps) {
    const at = step.at % Math.max(out.length, 1);
    if (step.kind === "flip") out[at] = (out[at] ?? 0) ^ step.value;
    if (step.kind === "truncate") out = out.subarray(0, at);
    if (step.kind === "insert") out = Buffer.concat([out.subarray(0, at), step.bytes, out.subarray(at)]);
    if (step.kind === "delete") out = Buffer.concat([out.subarray(0, at), out.subarray(at + step.count)]);
  }
  return out;
}

describe("verifyCades on hostile input", () => {
  it("never throws on random bytes, and never calls them valid", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), (bytes) => {
        const result = verifyCades(bytes, { trust: [] });
        expect(result.valid).toBe(false);
        expect(result.reasons.length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });

  it("never throws on random text (the base64 path)", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 2000 }), (text) => {
        expect(verifyCades(Buffer.from(text), { trust: [] }).valid).toBe(false);
      }),
    );
  });

  it("survives nesting deeper than any parser stack", () => {
    const deep = Buffer.from(Array.from({ length: 20_000 }, () => [0x30, 0x80]).flat());
    expect(verifyCades(deep, { trust: [] }).reasons.map((r) => r.code)).toEqual(["MALFORMED"]);
  });
});

describe.skipIf(SKIP_WITHOUT_OPENSSL)("verifyCades on mutated signatures", () => {
  let pki: OpensslPki;
  let samples: Uint8Array[] = [];
  beforeAll(async () => {
    pki = createOpensslPki();
    const { rsa, ec384 } = pki.identities;
    const enveloped = await signCades(CONTENT, createKeySigner(rsa.key, rsa.chain));
    const nested = await signCades(enveloped, createKeySigner(ec384.key, ec384.chain));
    const stamped = await addSignatureTimestamp(enveloped, async (digest) => pki.timestampToken(digest));
    samples = [enveloped, nested, stamped];
  });
  afterAll(() => pki?.cleanup());

  it("never throws, and whatever stays valid still carries the original content", () => {
    const trust = () => [pki.root.certificate];
    for (const sample of samples) expect(verifyCades(sample, { trust: trust() }).valid).toBe(true);
    fc.assert(
      fc.property(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 4 }), (which, steps) => {
        const sample = samples[which % samples.length] as Uint8Array;
        const result = verifyCades(mutate(sample, steps), { trust: trust() });
        if (result.valid) expect(Buffer.from(result.content ?? [])).toEqual(CONTENT);
        else expect(result.reasons.length).toBeGreaterThan(0);
      }),
      { numRuns: 400 },
    );
  });
});
