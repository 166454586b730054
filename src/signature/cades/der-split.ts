/**
 * A minimal reader of DER's definite-length TLVs (X.690 §8.1, §10.1): it splits a constructed
 * element into the raw encodings of its children without decoding them. CMS verification only
 * needs the certificates of a SignedData as bytes (they are decoded once, and cached, by
 * `certificate-record.ts`), so walking their thousands of inner nodes with a general BER parser
 * for every signature is wasted work. Anything this reader does not handle, indefinite lengths
 * (BER) above all, returns null and the caller takes the general path.
 */

export interface Tlv {
  /** The identifier octet (single-byte tags only). */
  readonly tag: number;
  /** The whole element: identifier, length and contents. */
  readonly raw: Uint8Array;
  readonly contents: Uint8Array;
}

/** One TLV at `offset`, or null when it is not a single-byte tag with a definite length that fits. */
export function readTlv(bytes: Uint8Array, offset: number): Tlv | null {
  const tag = bytes[offset];
  const first = bytes[offset + 1];
  if (tag === undefined || first === undefined || (tag & 0x1f) === 0x1f) return null;
  let length = first;
  let header = 2;
  if (first & 0x80) {
    const count = first & 0x7f;
    // 0x80 is BER's indefinite length; more than 4 length octets is beyond any real signature.
    if (count === 0 || count > 4) return null;
    length = 0;
    for (let i = 0; i < count; i += 1) {
      const octet = bytes[offset + 2 + i];
      if (octet === undefined) return null;
      length = length * 256 + octet;
    }
    header += count;
  }
  const end = offset + header + length;
  if (end > bytes.length) return null;
  return { tag, raw: bytes.subarray(offset, end), contents: bytes.subarray(offset + header, end) };
}

/** The children of a constructed element's contents, or null when they do not tile it exactly. */
export function splitChildren(contents: Uint8Array): Tlv[] | null {
  const children: Tlv[] = [];
  for (let offset = 0; offset < contents.length; ) {
    const child = readTlv(contents, offset);
    if (child === null) return null;
    children.push(child);
    offset += child.raw.length;
  }
  return children;
}
