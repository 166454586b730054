/**
 * The few MIME encoders the sandbox provider writes with: base64 bodies (RFC 2045 §6.8, 76
 * characters a line), RFC 2047 encoded words for non-ASCII header text, and header lines that
 * refuse CR and LF in values (no header injection through a subject or an address).
 */

const CRLF = "\r\n";

/** RFC 2045 §6.8: lines of at most 76 characters, CRLF-separated. */
export function base64Lines(bytes: Uint8Array): string {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
  const lines: string[] = [];
  for (let start = 0; start < text.length; start += 76) lines.push(text.slice(start, start + 76));
  return lines.join(CRLF);
}

/**
 * RFC 2047 §2, §5: printable ASCII stays as it is; anything else becomes UTF-8 `B` words of at
 * most 75 characters, never splitting a character, folded onto continuation lines.
 */
export function encodeHeaderText(text: string): string {
  if (/^[\x20-\x7E]*$/.test(text)) return text;
  const words: string[] = [];
  let chunk = "";
  for (const char of text) {
    if (Buffer.byteLength(chunk + char, "utf8") > 45) {
      words.push(encodedWord(chunk));
      chunk = "";
    }
    chunk += char;
  }
  if (chunk !== "") words.push(encodedWord(chunk));
  return words.join(`${CRLF} `);
}

function encodedWord(text: string): string {
  return `=?UTF-8?B?${Buffer.from(text, "utf8").toString("base64")}?=`;
}

/** `Name: value`; a CR or LF other than folding (CRLF then white space) is refused, never written. */
export function headerLine(name: string, value: string): string {
  if (/[\r\n]/.test(value.replace(/\r\n[ \t]/g, ""))) throw new TypeError(`header ${name}: CR or LF in the value`);
  return `${name}: ${value}`;
}

/** RFC 5322 §3.6.4 msg-id: `<id>`, the id free of brackets, white space and controls. */
export function angleAddr(id: string): string {
  if (!isAngleAddrText(id)) throw new TypeError(`"${id}" is not a usable message id or address`);
  return `<${id}>`;
}

/** Whether `angleAddr` accepts `id`: no brackets, white space or controls. */
export function isAngleAddrText(id: string): boolean {
  return /^[!-;=?-~\u00A0-\u{10FFFF}]+$/u.test(id);
}

/** RFC 5322 line endings: every bare LF or CR becomes CRLF (RFC 8551 §3.1.1 canonical form). */
export function crlf(bytes: Uint8Array): Uint8Array {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
  return new Uint8Array(Buffer.from(text.replace(/\r\n|\r|\n/g, CRLF), "latin1"));
}

export function isSevenBit(bytes: Uint8Array): boolean {
  return bytes.every((byte) => byte < 0x80 && byte !== 0);
}
