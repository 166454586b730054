import * as asn1js from "asn1js";

/**
 * A small typed reader over asn1js for the structures we parse by hand (PKCS#12). Every
 * accessor names what it expected, so a malformed file gives a precise message, never a crash.
 */
export class DerStructureError extends Error {
  override readonly name = "DerStructureError";
}

/** Resource limits for input from outside (a .p12 upload, a TSA answer). */
const LIMITS = { maxDepth: 64, maxNodes: 20_000 } as const;

/** Parses exactly one BER/DER element filling `bytes`. */
export function parseDer(bytes: Uint8Array, what: string): asn1js.AsnType {
  const parsed = asn1js.fromBER(bytes, LIMITS);
  if (parsed.offset === -1 || parsed.result.error) {
    throw new DerStructureError(`${what}: not valid ASN.1 (${parsed.result.error || "truncated"})`);
  }
  if (parsed.offset !== bytes.byteLength) throw new DerStructureError(`${what}: trailing bytes after the ASN.1`);
  return parsed.result;
}

export function sequenceItems(block: asn1js.AsnType | undefined, what: string): asn1js.AsnType[] {
  if (!(block instanceof asn1js.Sequence)) throw new DerStructureError(`${what}: expected a SEQUENCE`);
  return block.valueBlock.value as asn1js.AsnType[];
}

export function setItems(block: asn1js.AsnType | undefined, what: string): asn1js.AsnType[] {
  if (!(block instanceof asn1js.Set)) throw new DerStructureError(`${what}: expected a SET`);
  return block.valueBlock.value as asn1js.AsnType[];
}

export function oidOf(block: asn1js.AsnType | undefined, what: string): string {
  if (!(block instanceof asn1js.ObjectIdentifier))
    throw new DerStructureError(`${what}: expected an OBJECT IDENTIFIER`);
  return block.getValue();
}

export function integerOf(block: asn1js.AsnType | undefined, what: string): number {
  if (!(block instanceof asn1js.Integer)) throw new DerStructureError(`${what}: expected an INTEGER`);
  const value = block.toBigInt();
  if (value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER)) throw new DerStructureError(`${what}: out of range`);
  return Number(value);
}

/** OCTET STRING content, joining the segments of a BER constructed string (X.690 §8.7.3). */
export function octetsOf(block: asn1js.AsnType | undefined, what: string): Uint8Array {
  if (!(block instanceof asn1js.OctetString)) throw new DerStructureError(`${what}: expected an OCTET STRING`);
  return new Uint8Array(block.getValue());
}

/** Content of a context-specific `[tag] EXPLICIT` wrapper: its single inner element. */
export function explicitOf(block: asn1js.AsnType | undefined, tag: number, what: string): asn1js.AsnType {
  if (!(block instanceof asn1js.Constructed) || !isContext(block, tag)) {
    throw new DerStructureError(`${what}: expected [${tag}] EXPLICIT`);
  }
  const inner = block.valueBlock.value[0] as asn1js.AsnType | undefined;
  if (!inner || block.valueBlock.value.length !== 1)
    throw new DerStructureError(`${what}: [${tag}] must hold one value`);
  return inner;
}

/** Bytes of a `[tag] IMPLICIT OCTET STRING`, primitive or BER-constructed. */
export function implicitOctetsOf(block: asn1js.AsnType | undefined, tag: number, what: string): Uint8Array {
  if (block instanceof asn1js.Primitive && isContext(block, tag)) return new Uint8Array(block.valueBlock.valueHexView);
  if (block instanceof asn1js.Constructed && isContext(block, tag)) {
    return Buffer.concat(block.valueBlock.value.map((part) => octetsOf(part as asn1js.AsnType, what)));
  }
  throw new DerStructureError(`${what}: expected [${tag}] IMPLICIT OCTET STRING`);
}

function isContext(block: asn1js.BaseBlock, tag: number): boolean {
  return block.idBlock.tagClass === 3 && block.idBlock.tagNumber === tag;
}

/** The DER bytes of an element. */
export function derOf(block: asn1js.BaseBlock): Uint8Array {
  return new Uint8Array(block.toBER(false));
}

// Builders for the few shapes the PKCS#12 writer needs.

export const der = {
  oid: (value: string) => new asn1js.ObjectIdentifier({ value }),
  octets: (bytes: Uint8Array) => new asn1js.OctetString({ valueHex: Uint8Array.from(bytes).buffer }),
  integer: (value: number) => new asn1js.Integer({ value }),
  sequence: (...value: asn1js.BaseBlock[]) => new asn1js.Sequence({ value }),
  set: (...value: asn1js.BaseBlock[]) => new asn1js.Set({ value }),
  explicit: (tag: number, inner: asn1js.BaseBlock) =>
    new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: tag }, value: [inner] }),
  implicitOctets: (tag: number, bytes: Uint8Array) =>
    new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: tag }, valueHex: Uint8Array.from(bytes).buffer }),
} as const;
