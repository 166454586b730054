/**
 * The encodings a `.p7m` arrives in (Deliberazione CNIPA 45/2009 art. 21, reference/signature.md
 * §1.1): binary BER/DER, or base64 (RFC 1421 / RFC 2045) with or without PEM armor and line breaks.
 */
import { malformed } from "./ber.js";

const SEQUENCE = 0x30;
const ARMOR_LINE = /^-----(BEGIN|END) [A-Z0-9 #]+-----$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Returns the binary encoding; throws CmsFormatError when it is neither binary nor base64. */
export function decodeCmsInput(bytes: Uint8Array): Uint8Array {
  if (bytes[0] === SEQUENCE) return bytes;
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
  const body = text
    .replace(/^\uFEFF|^\u00EF\u00BB\u00BF/, "")
    .split(/\r?\n|\r/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !ARMOR_LINE.test(line) && !/^[A-Za-z-]+:/.test(line))
    .join("")
    .replace(/[ \t]/g, "");
  if (body.length === 0 || body.length % 4 === 1 || !BASE64.test(body)) throw malformed("neither BER/DER nor base64");
  const decoded = Buffer.from(body, "base64");
  if (decoded[0] !== SEQUENCE) throw malformed("base64 that does not decode to an ASN.1 SEQUENCE");
  return decoded;
}
