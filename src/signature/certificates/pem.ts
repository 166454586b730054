/**
 * PEM ⇄ DER (RFC 7468): the textual encoding of certificates and PKCS#8 keys on disk.
 * Strict on labels, lenient on whitespace, as RFC 7468 §3 asks of parsers.
 */

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

export interface PemBlock {
  label: string;
  der: Uint8Array;
}

/** Every PEM block in `text`, in order (a chain file holds several CERTIFICATE blocks). */
export function pemBlocks(text: string): PemBlock[] {
  return [...text.matchAll(PEM_BLOCK)].map((match) => ({
    label: match[1] ?? "",
    der: new Uint8Array(Buffer.from((match[2] ?? "").replace(/\s+/g, ""), "base64")),
  }));
}

/** The DER of every block labelled `label` (e.g. all the certificates of a chain file). */
export function pemToDerList(text: string, label = "CERTIFICATE"): Uint8Array[] {
  return pemBlocks(text)
    .filter((block) => block.label === label)
    .map((block) => block.der);
}

/** DER → PEM with 64-character lines (RFC 7468 §2). */
export function derToPem(der: Uint8Array, label: string): string {
  const base64 = Buffer.from(der).toString("base64");
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}
