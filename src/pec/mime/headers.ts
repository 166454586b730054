/**
 * Message header fields (RFC 5322 §2.2, §3.2.2 folding), Content-Type parameters (RFC 2045
 * §5.1) and encoded words (RFC 2047 §4). Text is handled as "binary strings": one char per byte
 * (latin1), so slicing a string slices the bytes exactly.
 */

export interface MimeHeader {
  /** As written; look-ups ignore case (`X-Tiporicevuta` and `X-TipoRicevuta` are the same field). */
  readonly name: string;
  /** Unfolded, trimmed, still in wire form (encoded words not decoded). */
  readonly value: string;
}

/** Header fields of a block of lines; lines that are not `name: value` nor a continuation are skipped. */
export function parseHeaderBlock(block: string): MimeHeader[] {
  const headers: { name: string; value: string }[] = [];
  for (const line of block.split(/\r?\n/)) {
    const last = headers[headers.length - 1];
    if (/^[ \t]/.test(line)) {
      // RFC 5322 §2.2.3: unfolding removes the CRLF, keeps the white space.
      if (last !== undefined) last.value += line;
      continue;
    }
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    if (/^[!-9;-~]+$/.test(name)) headers.push({ name, value: line.slice(colon + 1) });
  }
  return headers.map(({ name, value }) => ({ name, value: value.trim() }));
}

/** The first field named `name`, any case; null when absent. */
export function headerValue(headers: readonly MimeHeader[], name: string): string | null {
  const wanted = name.toLowerCase();
  return headers.find((header) => header.name.toLowerCase() === wanted)?.value ?? null;
}

export interface ParameterizedValue {
  /** Lower-cased: `multipart/signed`, `inline`. */
  readonly value: string;
  /** Names lower-cased, values unquoted. */
  readonly parameters: ReadonlyMap<string, string>;
}

/** A parameter of a parsed field; null when absent or empty. */
export function parameterOf(field: ParameterizedValue, name: string): string | null {
  const value = field.parameters.get(name);
  return value === undefined || value === "" ? null : value;
}

/** `multipart/signed; protocol="application/x-pkcs7-signature"; boundary="----08FC"` (RFC 2045 §5.1). */
export function parseParameterized(field: string): ParameterizedValue {
  const parts = splitOutsideQuotes(field);
  const parameters = new Map<string, string>();
  for (const part of parts.slice(1)) {
    const equals = part.indexOf("=");
    if (equals <= 0) continue;
    const name = part.slice(0, equals).trim().toLowerCase();
    const raw = part.slice(equals + 1).trim();
    const value = raw.startsWith('"') ? raw.slice(1, raw.endsWith('"') ? -1 : undefined).replace(/\\(.)/g, "$1") : raw;
    if (!parameters.has(name)) parameters.set(name, value);
  }
  return { value: (parts[0] ?? "").trim().toLowerCase(), parameters };
}

function splitOutsideQuotes(field: string): string[] {
  const parts: string[] = [];
  let current = "";
  let quoted = false;
  for (let index = 0; index < field.length; index++) {
    const char = field[index] as string;
    if (char === "\\" && quoted) {
      current += char + (field[index + 1] ?? "");
      index++;
    } else if (char === '"') {
      quoted = !quoted;
      current += char;
    } else if (char === ";" && !quoted) {
      parts.push(current);
      current = "";
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts;
}

/**
 * A header's text for people: encoded words (RFC 2047 §4.1 `B`, §4.2 `Q`) decoded; raw 8-bit
 * text read as UTF-8 when it is valid UTF-8, else as latin1.
 */
export function decodeHeaderText(value: string): string {
  const text = decodeBytes(Buffer.from(value, "latin1"), "utf-8") ?? value;
  // §6.2: white space between adjacent encoded words is ignored.
  return text
    .replace(/(=\?[^?\s]+\?[BbQq]\?[^?\s]*\?=)\s+(?==\?)/g, "$1")
    .replace(/=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g, (word, charset: string, encoding: string, encoded: string) => {
      const bytes =
        encoding.toUpperCase() === "B"
          ? Buffer.from(encoded, "base64")
          : Buffer.from(
              encoded.replace(/_/g, " ").replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => latin1Char(hex)),
              "latin1",
            );
      return decodeBytes(bytes, charset.replace(/\*.*$/, "")) ?? word;
    });
}

function latin1Char(hex: string): string {
  return String.fromCharCode(Number.parseInt(hex, 16));
}

function decodeBytes(bytes: Uint8Array, charset: string): string | null {
  try {
    return new TextDecoder(charset, { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** `"Per conto di: a@b.it" <posta-certificata@x.it>` → `posta-certificata@x.it`; a bare address as is. */
export function addressesOf(field: string): string[] {
  const found: string[] = [];
  const unquoted = field.replace(/"(?:[^"\\]|\\.)*"/g, "");
  // An address is at most 254 octets (RFC 5321 §4.5.3.1): longer items are not looked into, so the
  // regular expressions below stay linear on hostile input.
  for (const item of unquoted.split(",").filter((one) => one.length <= 1024)) {
    const angle = /<([^<>\s]+@[^<>\s]+)>/.exec(item)?.[1];
    const bare = /([^\s<>()"]+@[^\s<>()",;]+)/.exec(item)?.[1];
    const address = angle ?? bare;
    if (address !== undefined) found.push(address);
  }
  return found;
}

/** `"Per conto di: a@b.it" <posta-certificata@x.it>` → `a@b.it` (the busta di trasporto's real sender). */
export function onBehalfOf(field: string): string | null {
  return /Per conto di:\s*([^\s"<>]+@[^\s"<>]+)/i.exec(field.slice(0, 1024))?.[1] ?? null;
}

/** `<id@host>` → `id@host`; null for an empty field. */
export function messageIdOf(field: string | null): string | null {
  if (field === null) return null;
  const trimmed = field.trim();
  const inner = /^<([^<>]*)>/.exec(trimmed)?.[1] ?? trimmed;
  return inner.trim() === "" ? null : inner.trim();
}
