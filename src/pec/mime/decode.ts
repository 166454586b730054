/**
 * Content-Transfer-Encoding (RFC 2045 §6): base64 (§6.8), quoted-printable (§6.7), and the
 * identity encodings 7bit, 8bit and binary. Lenient, as §6.8 asks of base64 decoders: characters
 * outside the alphabet are ignored; a malformed `=XY` in quoted-printable is kept as it is.
 */

/** Decodes a body given as a binary string (one char per byte); unknown encodings are returned as they are. */
export function decodeTransferEncoding(body: string, encoding: string | null): Uint8Array {
  const name = (encoding ?? "7bit").trim().toLowerCase();
  if (name === "base64") return decodeBase64(body);
  if (name === "quoted-printable") return decodeQuotedPrintable(body);
  return toBytes(body);
}

function decodeBase64(body: string): Uint8Array {
  return new Uint8Array(Buffer.from(body.replace(/[^A-Za-z0-9+/]/g, ""), "base64"));
}

function decodeQuotedPrintable(body: string): Uint8Array {
  const lines = body.split("\n").map((line) => {
    let end = line.endsWith("\r") ? line.length - 1 : line.length;
    // §6.7 rule 3: trailing white space is padding added in transport.
    while (end > 0 && (line[end - 1] === " " || line[end - 1] === "\t")) end--;
    return line.slice(0, end);
  });
  const text = lines
    .map((line, index) => (line.endsWith("=") ? line.slice(0, -1) : index < lines.length - 1 ? `${line}\r\n` : line))
    .join("")
    .replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  return toBytes(text);
}

/** A binary string back to its bytes. */
export function toBytes(binary: string): Uint8Array {
  return new Uint8Array(Buffer.from(binary, "latin1"));
}

/** RFC 8551 §3.1.1: the signed part is canonical MIME, every line ending CRLF (fixtures are stored with LF). */
export function canonicalLineEndings(binary: string): Uint8Array {
  return toBytes(binary.replace(/\r?\n/g, "\r\n"));
}
