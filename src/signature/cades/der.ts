/**
 * A minimal DER writer (X.690 §8 and §10). Structures are composed by concatenating
 * already-encoded elements, so certificate names, SignerInfos and the content are copied
 * byte-exact. Not asn1js: its `RawData` cannot be nested inside its constructed types
 * (asn1js 4's `toBER` ignores the shared writer), and the signing path must stay within
 * 1.3× of "hash + one signature", where asn1js's encoders cost more than the signature.
 */

export const TAG = {
  integer: 0x02,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  sequence: 0x30,
  set: 0x31,
  context0: 0xa0,
  context1: 0xa1,
  context4: 0xa4,
} as const;

/** X.690 §10.1: definite form, minimum number of length octets. */
export function encodeLength(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  const octets: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) octets.unshift(rest % 256);
  return Uint8Array.from([0x80 | octets.length, ...octets]);
}

/** Large outputs skip zero-filling and the pool (Buffer.concat costs twice a plain copy at 20 MB). */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const out = total > 65_536 ? new Uint8Array(Buffer.allocUnsafeSlow(total).buffer, 0, total) : new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Tag and length octets for a value of `length` bytes. */
export function derHeader(tag: number, length: number): Uint8Array {
  const encodedLength = encodeLength(length);
  const out = new Uint8Array(1 + encodedLength.length);
  out[0] = tag;
  out.set(encodedLength, 1);
  return out;
}

export function derTlv(tag: number, ...contents: readonly Uint8Array[]): Uint8Array {
  const length = contents.reduce((sum, part) => sum + part.length, 0);
  return concatBytes([derHeader(tag, length), ...contents]);
}

export function derSequence(...items: readonly Uint8Array[]): Uint8Array {
  return derTlv(TAG.sequence, ...items);
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const common = Math.min(a.length, b.length);
  for (let i = 0; i < common; i++) {
    const diff = (a[i] as number) - (b[i] as number);
    if (diff !== 0) return diff;
  }
  return a.length - b.length;
}

/** X.690 §11.6: the components of a SET OF in ascending order of their encodings; duplicates dropped. */
export function sortDer(items: readonly Uint8Array[]): Uint8Array[] {
  const sorted = [...items].sort(compareBytes);
  return sorted.filter((item, i) => i === 0 || compareBytes(sorted[i - 1] as Uint8Array, item) !== 0);
}

export function derSetOf(items: readonly Uint8Array[], tag: number = TAG.set): Uint8Array {
  return derTlv(tag, ...sortDer(items));
}

const oidCache = new Map<string, Uint8Array>();

/** X.690 §8.19: first two arcs as 40·x + y, then base-128 arcs. Memoised: the OIDs are few. */
export function derOid(oid: string): Uint8Array {
  const cached = oidCache.get(oid);
  if (cached) return cached;
  const arcs = oid.split(".").map((arc) => BigInt(arc));
  const [first = 0n, second = 0n, ...rest] = arcs;
  const octets = [first * 40n + second, ...rest].flatMap(base128);
  const encoded = derTlv(TAG.oid, Uint8Array.from(octets));
  if (oidCache.size < 256) oidCache.set(oid, encoded);
  return encoded;
}

function base128(arc: bigint): number[] {
  const out = [Number(arc & 0x7fn)];
  for (let rest = arc >> 7n; rest > 0n; rest >>= 7n) out.unshift(Number(rest & 0x7fn) | 0x80);
  return out;
}

export function derOctetString(bytes: Uint8Array): Uint8Array {
  return derTlv(TAG.octetString, bytes);
}

export function derSmallInteger(value: number): Uint8Array {
  if (!Number.isInteger(value) || value < 0 || value > 127) throw new RangeError("small INTEGER out of range");
  return Uint8Array.of(TAG.integer, 1, value);
}

export const DER_NULL = Uint8Array.of(TAG.null, 0);

/**
 * RFC 5652 §11.3: UTCTime (YYMMDDHHMMSSZ, X.690 §11.8) for 1950–2049, GeneralizedTime
 * (YYYYMMDDHHMMSSZ, X.690 §11.7: no fraction when it is zero) otherwise; whole seconds.
 */
export function derTime(date: Date): Uint8Array {
  const year = date.getUTCFullYear();
  const two = (n: number) => String(n).padStart(2, "0");
  const rest = [
    date.getUTCMonth() + 1,
    date.getUTCDate(),
    date.getUTCHours(),
    date.getUTCMinutes(),
    date.getUTCSeconds(),
  ];
  const utc = year >= 1950 && year < 2050;
  const text = `${utc ? two(year % 100) : String(year).padStart(4, "0")}${rest.map(two).join("")}Z`;
  return derTlv(utc ? 0x17 : 0x18, Buffer.from(text, "latin1"));
}

/** AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL } (RFC 5280 §4.1.1.2). */
export function derAlgorithmIdentifier(oid: string, parameters?: Uint8Array): Uint8Array {
  return parameters ? derSequence(derOid(oid), parameters) : derSequence(derOid(oid));
}
