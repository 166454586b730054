import { createHash } from "node:crypto";
import * as asn1js from "asn1js";
import fc from "fast-check";
import * as pkijs from "pkijs";
import { describe, expect, it } from "vitest";
import { OID } from "../oids.js";
import { createTimeStampRequest, nonceFromRandom, parseTimeStampResponse } from "./timestamp-protocol.js";

const digest = createHash("sha256").update("x").digest();
const nonce = nonceFromRandom(Uint8Array.from({ length: 16 }, (_, i) => i * 17));
const expected = { digest, algorithm: "sha256" as const, nonce };

/** PKIStatusInfo (RFC 3161 §2.4.2) with optional text and failure bits, wrapped in a TimeStampResp. */
function statusOnlyResponse(status: number, text?: string, failBit?: number): Uint8Array {
  const items: asn1js.BaseBlock[] = [new asn1js.Integer({ value: status })];
  if (text) items.push(new asn1js.Sequence({ value: [new asn1js.Utf8String({ value: text })] }));
  if (failBit !== undefined) {
    const bytes = new Uint8Array(Math.floor(failBit / 8) + 1);
    bytes[failBit >> 3] = 0x80 >> (failBit & 7);
    items.push(new asn1js.BitString({ valueHex: bytes.buffer, unusedBits: 7 - (failBit % 8) }));
  }
  const response = new asn1js.Sequence({ value: [new asn1js.Sequence({ value: items })] });
  return new Uint8Array(response.toBER(false));
}

describe("createTimeStampRequest (RFC 3161 §2.4.1)", () => {
  it("asks for a v1 token over the digest, with our nonce and certReq TRUE", () => {
    const der = createTimeStampRequest({ ...expected, policy: "1.2.3.4" });
    const request = pkijs.TimeStampReq.fromBER(der);
    expect(request.version).toBe(1);
    expect(request.certReq).toBe(true);
    expect(request.reqPolicy).toBe("1.2.3.4");
    expect(request.messageImprint.hashAlgorithm.algorithmId).toBe(OID.sha256);
    expect(request.messageImprint.hashAlgorithm.algorithmParams).toBeUndefined();
    expect(Buffer.from(request.messageImprint.hashedMessage.valueBlock.valueHexView)).toEqual(digest);
    expect(Buffer.from(request.nonce?.valueBlock.valueHexView ?? [])).toEqual(Buffer.from(nonce));
  });

  it("makes nonces positive, minimal INTEGERs", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 8, maxLength: 16 }), (random) => {
        const value = nonceFromRandom(random);
        return (value[0] ?? 0) >= 0x40 && (value[0] ?? 0) < 0x80 && value.length === random.length;
      }),
    );
  });
});

describe("parseTimeStampResponse", () => {
  it.each([
    [2, "unsupported algorithm", 0, false, /rejection: badAlg; unsupported algorithm/],
    [2, undefined, 25, true, /rejection: systemFailure/],
    [3, undefined, undefined, true, /waiting/],
    [5, "revoked", undefined, false, /revocationNotification: revoked/],
  ])("reports status %i as TIMESTAMP_REJECTED with the TSA's words", (status, text, bit, retryable, message) => {
    expect(() => parseTimeStampResponse(statusOnlyResponse(status, text, bit), expected)).toThrow(
      expect.objectContaining({ code: "TIMESTAMP_REJECTED", retryable, message: expect.stringMatching(message) }),
    );
  });

  it("answers TIMESTAMP_MALFORMED_RESPONSE for a granted status without a token", () => {
    expect(() => parseTimeStampResponse(statusOnlyResponse(0), expected)).toThrow(
      expect.objectContaining({ code: "TIMESTAMP_MALFORMED_RESPONSE" }),
    );
  });

  it("never fails with anything but TIMESTAMP_* errors on arbitrary bytes (property)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          parseTimeStampResponse(bytes, expected);
          return false;
        } catch (error) {
          return /^TIMESTAMP_/.test((error as { code?: string }).code ?? "");
        }
      }),
    );
  });
});
