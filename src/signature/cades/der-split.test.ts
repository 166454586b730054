import { describe, expect, it } from "vitest";
import { generateDevCertificates, Pkcs12Signer, signCades } from "../index.js";
import { readTlv, splitChildren } from "./der-split.js";
import { parseBerSignedData, parseSignedData } from "./signed-data.js";

const bytes = (...values: number[]) => Uint8Array.from(values);

describe("DER TLV splitting", () => {
  it("reads short and long definite lengths", () => {
    expect(readTlv(bytes(0x04, 0x02, 0xaa, 0xbb), 0)).toMatchObject({ tag: 0x04, contents: bytes(0xaa, 0xbb) });
    const long = new Uint8Array([0x04, 0x82, 0x01, 0x00, ...new Array(256).fill(7)]);
    expect(readTlv(long, 0)?.contents.length).toBe(256);
  });

  it.each([
    ["an indefinite length (BER)", bytes(0x30, 0x80, 0x00, 0x00)],
    ["a length past the end", bytes(0x04, 0x05, 0x01)],
    ["a multi-byte tag", bytes(0x1f, 0x81, 0x01, 0x00)],
    ["five length octets", bytes(0x04, 0x85, 0, 0, 0, 0, 1, 0)],
    ["nothing", bytes()],
  ])("refuses %s", (_name, input) => {
    expect(readTlv(input, 0)).toBeNull();
  });

  it("splits children that tile the contents exactly, and nothing else", () => {
    const children = splitChildren(bytes(0x02, 0x01, 0x05, 0x04, 0x00));
    expect(children?.map((child) => child.tag)).toEqual([0x02, 0x04]);
    expect(splitChildren(bytes(0x02, 0x01, 0x05, 0x04))).toBeNull();
  });
});

describe("SignedData: the DER fast path", () => {
  it("gives the same parts as the general BER path", async () => {
    const set = await generateDevCertificates({
      ipa: "c_test",
      entityName: "Comune di Test",
      now: new Date("2026-01-01T00:00:00Z"),
      keys: {
        ca: { kind: "ec", namedCurve: "P-256" },
        seal: { kind: "ec", namedCurve: "P-256" },
        pecProvider: { kind: "ec", namedCurve: "P-256" },
        samlSp: { kind: "ec", namedCurve: "P-256" },
        tsa: { kind: "ec", namedCurve: "P-256" },
      },
    });
    const signer = Pkcs12Signer.fromPkcs8(set.seal.privateKey, [set.seal.certificate, set.ca.certificate]);
    for (const detached of [true, false]) {
      const p7m = await signCades(new TextEncoder().encode("relazione"), signer, { detached });
      const fast = parseSignedData(p7m);
      expect(fast).toEqual(parseBerSignedData(p7m));
      expect(fast.certificates).toHaveLength(2);
      expect(fast.signerInfos).toHaveLength(1);
    }
  });
});
