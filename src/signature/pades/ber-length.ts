/**
 * Length of the first BER/DER element of `bytes` (tag, length and contents; ITU-T X.690 §8.1),
 * or undefined when the bytes do not start with a complete element. /Contents is zero-padded
 * after the CMS (ISO 32000-1 §12.8.1), so the padding must be cut by length, never by stripping
 * trailing zeros: a DER encoding may itself end in 0x00.
 */
export function berElementLength(bytes: Uint8Array, offset = 0, depth = 0): number | undefined {
  if (depth > 64) return undefined;
  const header = readHeader(bytes, offset);
  if (header === undefined) return undefined;
  if (header.length !== undefined) {
    const end = header.contentStart + header.length;
    return end <= bytes.length ? end - offset : undefined;
  }
  // X.690 §8.1.3.6: indefinite length, constructed only, ends with two zero octets.
  if (!header.constructed) return undefined;
  let position = header.contentStart;
  while (position + 1 < bytes.length) {
    if (bytes[position] === 0 && bytes[position + 1] === 0) return position + 2 - offset;
    const inner = berElementLength(bytes, position, depth + 1);
    if (inner === undefined) return undefined;
    position += inner;
  }
  return undefined;
}

interface Header {
  readonly constructed: boolean;
  readonly contentStart: number;
  /** undefined: indefinite. */
  readonly length: number | undefined;
}

function readHeader(bytes: Uint8Array, offset: number): Header | undefined {
  let position = offset;
  const tag = bytes[position++];
  if (tag === undefined) return undefined;
  if ((tag & 0x1f) === 0x1f) {
    // X.690 §8.1.2.4: high tag number, base-128 with continuation bits.
    for (let count = 0; ; count++) {
      const octet = bytes[position++];
      if (octet === undefined || count > 4) return undefined;
      if ((octet & 0x80) === 0) break;
    }
  }
  const first = bytes[position++];
  if (first === undefined) return undefined;
  const constructed = (tag & 0x20) !== 0;
  if (first < 0x80) return { constructed, contentStart: position, length: first };
  if (first === 0x80) return { constructed, contentStart: position, length: undefined };
  const count = first & 0x7f;
  if (count > 4) return undefined;
  let length = 0;
  for (let i = 0; i < count; i++) {
    const octet = bytes[position++];
    if (octet === undefined) return undefined;
    length = length * 256 + octet;
  }
  return { constructed, contentStart: position, length };
}
