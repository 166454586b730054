/**
 * Reading BER/DER (X.690 §8) with asn1js, schema-less: callers walk the tree and take
 * byte-exact views of elements (`rawOf`). Every structural surprise becomes a
 * `CmsFormatError`, which the verifier turns into a reason and the signers into an AppError.
 */
import { type BaseBlock, fromBER, Integer, ObjectIdentifier } from "asn1js";

export type CmsFormatCode = "MALFORMED" | "NOT_SIGNED_DATA";

export class CmsFormatError extends Error {
  constructor(
    readonly code: CmsFormatCode,
    message: string,
  ) {
    super(message);
    this.name = "CmsFormatError";
  }
}

export function malformed(message: string): CmsFormatError {
  return new CmsFormatError("MALFORMED", message);
}

const TAG_CLASS = { universal: 1, context: 3 } as const;

/**
 * Parses one element without copying the input (views into `bytes` stay valid as long as it
 * does) and without trying to parse OCTET STRING contents. `large` lifts asn1js's default
 * 16 MiB / 10 000 node limits for whole envelopes; small structures keep the defaults.
 */
export function parseBer(bytes: Uint8Array, { large = false } = {}): BaseBlock {
  // 200,000 nodes: a 20 MB BER content in 1 KB segments is 20,000; each node costs hundreds of
  // bytes of memory, so a body of millions of tiny elements must be refused, not parsed.
  const limits = large ? { maxContentLength: Number.MAX_SAFE_INTEGER, maxNodes: 200_000 } : {};
  const { offset, result } = fromBER(bytes, { copyInput: false, parseEmbedded: false, maxDepth: 64, ...limits });
  if (offset === -1) throw malformed(`not BER: ${result.error || "decoding failed"}`);
  if (!isIgnorableTrailer(bytes.subarray(offset))) throw malformed("trailing bytes after the ASN.1 element");
  return result;
}

/** Some tools append a newline or zero padding to a .p7m; anything else is refused. */
export function isIgnorableTrailer(rest: Uint8Array): boolean {
  return rest.every((byte) => byte === 0 || byte === 0x0a || byte === 0x0d || byte === 0x20);
}

export function rawOf(block: BaseBlock): Uint8Array {
  return block.valueBeforeDecodeView;
}

export function isUniversal(block: BaseBlock | undefined, tagNumber: number): block is BaseBlock {
  return block?.idBlock.tagClass === TAG_CLASS.universal && block.idBlock.tagNumber === tagNumber;
}

export function isContext(block: BaseBlock | undefined, tagNumber: number): block is BaseBlock {
  return block?.idBlock.tagClass === TAG_CLASS.context && block.idBlock.tagNumber === tagNumber;
}

export function childrenOf(block: BaseBlock | undefined, what: string): BaseBlock[] {
  const value = block?.idBlock.isConstructed ? (block.valueBlock as { value?: unknown }).value : undefined;
  if (!Array.isArray(value)) throw malformed(`${what}: expected a constructed element`);
  return value as BaseBlock[];
}

/** Children of a universal SEQUENCE (16) or SET (17). */
export function itemsOf(block: BaseBlock | undefined, tagNumber: 16 | 17, what: string): BaseBlock[] {
  if (!isUniversal(block, tagNumber)) throw malformed(`${what}: expected a ${tagNumber === 16 ? "SEQUENCE" : "SET"}`);
  return childrenOf(block, what);
}

export function oidOf(block: BaseBlock | undefined, what: string): string {
  if (!(block instanceof ObjectIdentifier)) throw malformed(`${what}: expected an OBJECT IDENTIFIER`);
  return block.valueBlock.toString();
}

export function smallIntegerOf(block: BaseBlock | undefined, what: string): number {
  if (!(block instanceof Integer) || block.valueBlock.valueHexView.length > 4) {
    throw malformed(`${what}: expected a small INTEGER`);
  }
  return block.valueBlock.valueDec;
}

/** Value octets of a primitive element (any tag class). */
export function primitiveBytes(block: BaseBlock | undefined, what: string): Uint8Array {
  const view =
    block && !block.idBlock.isConstructed ? (block.valueBlock as { valueHexView?: unknown }).valueHexView : undefined;
  if (!(view instanceof Uint8Array)) throw malformed(`${what}: expected a primitive element`);
  return view;
}

/**
 * OCTET STRING value, primitive (a view, no copy) or BER constructed (X.690 §8.7.3: the
 * concatenation of the segments, which may nest). `tagNumber` allows IMPLICIT tags.
 */
export function octetsOf(block: BaseBlock | undefined, what: string, depth = 0): Uint8Array {
  if (!block || depth > 8) throw malformed(`${what}: expected an OCTET STRING`);
  if (!block.idBlock.isConstructed) return primitiveBytes(block, what);
  const segments = childrenOf(block, what).map((segment) => {
    if (!isUniversal(segment, 4)) throw malformed(`${what}: constructed OCTET STRING with a foreign segment`);
    return octetsOf(segment, what, depth + 1);
  });
  return Buffer.concat(segments);
}
