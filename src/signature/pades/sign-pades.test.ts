import { describe, expect, it } from "vitest";
import { makeTestPdf } from "../../../test/support/pdf-fixtures.js";
import { embedCms, prepareByteRange, signedBytes } from "./byte-range.js";
import { PadesError, type PadesErrorCode } from "./errors.js";
import { parsePdfSignatures } from "./parse-signatures.js";
import { addSignaturePlaceholder } from "./placeholder.js";
import { signPades } from "./sign-pades.js";

const signingTime = new Date("2026-03-04T05:06:07Z");

/** A stand-in CMS: one DER SEQUENCE whose last content byte is 0x00, like many real signatures. */
function fakeCms(size: number, fill = 0xab): Uint8Array {
  const content = Buffer.alloc(size - 4, fill);
  content[content.length - 1] = 0;
  return new Uint8Array(Buffer.concat([Buffer.from([0x30, 0x82, (size - 4) >> 8, (size - 4) & 0xff]), content]));
}

async function codeOf(action: () => unknown): Promise<PadesErrorCode | "no error"> {
  try {
    await action();
    return "no error";
  } catch (error) {
    if (error instanceof PadesError) return error.code;
    throw error;
  }
}

describe("signPades: happy paths", () => {
  it("keeps the original bytes as a prefix and hands the builder exactly the ByteRange bytes", async () => {
    const pdf = await makeTestPdf();
    const seen: Uint8Array[] = [];
    const cms = fakeCms(3000);
    const recordingBuilder = async (bytes: Uint8Array) => {
      seen.push(bytes);
      return cms;
    };
    const signed = await signPades(pdf, recordingBuilder, { signingTime });
    expect(Buffer.from(signed.subarray(0, pdf.length)).equals(Buffer.from(pdf))).toBe(true);
    const [signature] = parsePdfSignatures(signed);
    expect(signature?.byteRange[0]).toBe(0);
    expect(
      Buffer.from(seen[0] ?? []).equals(Buffer.from(signedBytes(signed, signature?.byteRange ?? [0, 0, 0, 0]))),
    ).toBe(true);
    expect(Buffer.from(signature?.contents ?? []).equals(Buffer.from(cms))).toBe(true);
    expect(signature?.coversWholeFile).toBe(true);
  });

  it("writes /SubFilter ETSI.CAdES.detached, /M and the text fields, non-ASCII included", async () => {
    const signed = await signPades(await makeTestPdf(), async () => fakeCms(100), {
      signingTime,
      reason: "Approvazione (relazione)",
      location: "Forlì",
      name: "Comune di Cantù",
      contactInfo: "protocollo@pec.comune.example.it",
    });
    const [signature] = parsePdfSignatures(signed);
    expect(signature).toMatchObject({
      type: "Sig",
      filter: "Adobe.PPKLite",
      subFilter: "ETSI.CAdES.detached",
      signingTime,
      reason: "Approvazione (relazione)",
      location: "Forlì",
      name: "Comune di Cantù",
      contactInfo: "protocollo@pec.comune.example.it",
    });
    expect(Buffer.from(signed).toString("latin1")).toContain("/M (D:20260304050607Z)");
  });

  it("reserves signatureLength bytes for the CMS, 32 KiB by default", async () => {
    const pdf = await makeTestPdf();
    expect(prepareByteRange(addSignaturePlaceholder(pdf, { signingTime })).contentsCapacity).toBe(32 * 1024);
    const custom = addSignaturePlaceholder(pdf, { signingTime, signatureLength: 20_000 });
    expect(prepareByteRange(custom).contentsCapacity).toBe(20_000);
  });

  it.each([
    ["CRLF", "\r\n"],
    ["no newline", ""],
    ["trailing blanks", "  \n\n"],
  ])("keeps the original bytes when the file ends %s after %%EOF", async (_, ending) => {
    const base = Buffer.from(await makeTestPdf());
    const pdf = Buffer.concat([base.subarray(0, base.lastIndexOf("%%EOF") + 5), Buffer.from(ending)]);
    const signed = await signPades(pdf, async () => fakeCms(100), { signingTime });
    expect(Buffer.from(signed.subarray(0, pdf.length)).equals(pdf)).toBe(true);
    expect(parsePdfSignatures(signed)[0]?.coversWholeFile).toBe(true);
  });

  it("adds a second signature after the first, which keeps its ByteRange", async () => {
    const once = await signPades(await makeTestPdf(), async () => fakeCms(100, 1), { signingTime });
    const twice = await signPades(once, async () => fakeCms(200, 2), { signingTime, name: "Sindaco" });
    const [first, second] = parsePdfSignatures(twice);
    expect(first?.byteRange).toEqual(parsePdfSignatures(once)[0]?.byteRange);
    expect([first?.coversWholeFile, second?.coversWholeFile]).toEqual([false, true]);
    expect(second?.contents.length).toBe(200);
  });
});

describe("signPades: refusals", () => {
  it("names a CMS too large for /Contents, and a CMS that is not DER", async () => {
    const pdf = await makeTestPdf();
    expect(await codeOf(() => signPades(pdf, async () => fakeCms(40_000), { signingTime }))).toBe(
      "PDF_SIGNATURE_TOO_LARGE",
    );
    const pem = new TextEncoder().encode("-----BEGIN CMS-----\nMIIB\n-----END CMS-----\n");
    expect(await codeOf(() => signPades(pdf, async () => pem, { signingTime }))).toBe("PDF_SIGNATURE_CONTENTS_INVALID");
  });

  it("lets the builder's own error through unchanged", async () => {
    const failure = new Error("remote signer unavailable");
    const rejected = signPades(await makeTestPdf(), async () => Promise.reject(failure), { signingTime });
    await expect(rejected).rejects.toBe(failure);
  });

  it.each([
    ["a signatureLength under 16 KiB", { signingTime, signatureLength: 8192 }],
    ["a fractional signatureLength", { signingTime, signatureLength: 20_000.5 }],
    ["an invalid signing time", { signingTime: new Date(Number.NaN) }],
  ])("refuses %s", async (_, options) => {
    expect(await codeOf(async () => addSignaturePlaceholder(await makeTestPdf(), options))).toBe(
      "PDF_SIGNATURE_OPTIONS_INVALID",
    );
  });

  it("names input that is not a PDF, and a PDF with a cross-reference stream", async () => {
    expect(await codeOf(() => addSignaturePlaceholder(new TextEncoder().encode("hello"), { signingTime }))).toBe(
      "PDF_MALFORMED",
    );
    const xrefStream =
      "%PDF-1.5\n1 0 obj\n<< /Type /XRef /Size 2 /W [1 1 1] >>\nstream\nendstream\nendobj\nstartxref\n9\n%%EOF\n";
    expect(await codeOf(() => addSignaturePlaceholder(new TextEncoder().encode(xrefStream), { signingTime }))).toBe(
      "PDF_STRUCTURE_UNSUPPORTED",
    );
  });

  it("names a PDF without a placeholder, or with two, when preparing the ByteRange", async () => {
    const pdf = await makeTestPdf();
    expect(await codeOf(() => prepareByteRange(pdf))).toBe("PDF_PLACEHOLDER_NOT_FOUND");
    const one = addSignaturePlaceholder(pdf, { signingTime });
    const two = addSignaturePlaceholder(one, { signingTime });
    expect(await codeOf(() => prepareByteRange(two))).toBe("PDF_PLACEHOLDER_NOT_FOUND");
  });

  it("embeds into a prepared PDF without moving a byte outside /Contents", async () => {
    const prepared = prepareByteRange(addSignaturePlaceholder(await makeTestPdf(), { signingTime }));
    const embedded = embedCms(prepared, fakeCms(500));
    expect(embedded.length).toBe(prepared.pdf.length);
    expect(Buffer.from(signedBytes(embedded, prepared.byteRange)).equals(Buffer.from(prepared.bytesToSign))).toBe(true);
  });
});
