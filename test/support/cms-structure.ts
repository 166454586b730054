/**
 * Structural checks of CMS output, independent of src/signature/cades: a raw asn1js walk
 * (reference/signature.md §3.3) over ContentInfo → SignedData → SignerInfo, plus byte-level
 * surgery to build negative variants that no tool produces (unsorted attributes, wrong
 * certificate reference) while keeping every length, so the rest of the file is untouched.
 */
import { createHash, type KeyObject, sign } from "node:crypto";
import { type BaseBlock, fromBER } from "asn1js";

const OIDS = {
  contentType: "1.2.840.113549.1.9.3",
  messageDigest: "1.2.840.113549.1.9.4",
  signingTime: "1.2.840.113549.1.9.5",
  signingCertificateV2: "1.2.840.113549.1.9.16.2.47",
  signatureTimeStampToken: "1.2.840.113549.1.9.16.2.14",
} as const;

export const B_B_ATTRIBUTES = [OIDS.contentType, OIDS.messageDigest, OIDS.signingCertificateV2, OIDS.signingTime];
export const PADES_ATTRIBUTES = [OIDS.contentType, OIDS.messageDigest, OIDS.signingCertificateV2];
export const TIMESTAMP_ATTRIBUTE = OIDS.signatureTimeStampToken;

export interface RawSignerInfo {
  /** The SignerInfo element, byte-exact. */
  readonly raw: Uint8Array;
  /** Each signed attribute's encoding, in received order. */
  readonly signedAttributes: readonly Uint8Array[];
  readonly signedAttributeOids: readonly string[];
  readonly unsignedAttributeOids: readonly string[];
  readonly signatureValue: Uint8Array;
  /** Offsets in the whole input: the signed attributes' contents and the signature value. */
  readonly signedAttributesRange: readonly [number, number];
  readonly signatureRange: readonly [number, number];
  readonly timestampToken: Uint8Array | null;
  /** The value of signing-certificate-v2 (SigningCertificateV2 SEQUENCE), or null. */
  readonly signingCertificateV2: BaseBlock | null;
}

export interface RawSignedData {
  readonly version: number;
  readonly contentType: string;
  readonly content: Uint8Array | null;
  readonly certificates: readonly Uint8Array[];
  readonly signerInfos: readonly RawSignerInfo[];
}

const children = (block: BaseBlock | undefined): BaseBlock[] => {
  const value = (block?.valueBlock as { value?: unknown } | undefined)?.value;
  if (!Array.isArray(value)) throw new Error("expected a constructed element");
  return value as BaseBlock[];
};
const oid = (block: BaseBlock | undefined): string => String(block?.valueBlock);
const hexView = (block: BaseBlock | undefined): Uint8Array => {
  const view = (block?.valueBlock as unknown as { valueHexView?: Uint8Array } | undefined)?.valueHexView;
  if (!view) throw new Error("expected a primitive element");
  return view;
};
const isContext = (block: BaseBlock | undefined, n: number): boolean =>
  block?.idBlock.tagClass === 3 && block.idBlock.tagNumber === n;

export function readSignedData(der: Uint8Array): RawSignedData {
  const { offset, result } = fromBER(der, { copyInput: false, parseEmbedded: false });
  if (offset !== der.length) throw new Error("not a single DER element");
  const [, explicit] = children(result);
  const fields = children(children(explicit)[0]);
  const [version, , encapsulated] = fields;
  const [eContentType, eContent] = children(encapsulated);
  const certificates = isContext(fields[3], 0) ? children(fields[3]).map((c) => c.valueBeforeDecodeView) : [];
  const base = der.byteOffset;
  return {
    version: (version?.valueBlock as unknown as { valueDec?: number } | undefined)?.valueDec ?? -1,
    contentType: oid(eContentType),
    content: eContent ? hexView(children(eContent)[0]) : null,
    certificates,
    signerInfos: children(fields[fields.length - 1]).map((info) => readSignerInfo(info, base)),
  };
}

function readSignerInfo(info: BaseBlock, base: number): RawSignerInfo {
  const fields = children(info);
  const signed = fields.find((field) => isContext(field, 0)) ?? null;
  const unsigned = fields.find((field) => isContext(field, 1)) ?? null;
  const signature = fields[fields.length - (unsigned ? 2 : 1)];
  const attributes = signed ? children(signed) : [];
  const unsignedAttributes = unsigned ? children(unsigned) : [];
  const value = (attribute: BaseBlock | undefined) => children(children(attribute)[1])[0] ?? null;
  const signatureValue = hexView(signature);
  const contentsOf = (block: BaseBlock) => {
    const start = block.valueBeforeDecodeView.byteOffset - base;
    return [
      start + block.valueBeforeDecodeView.length - hexLength(block),
      start + block.valueBeforeDecodeView.length,
    ] as const;
  };
  const timestamp = unsignedAttributes.find((a) => oid(children(a)[0]) === OIDS.signatureTimeStampToken);
  return {
    raw: info.valueBeforeDecodeView,
    signedAttributes: attributes.map((a) => a.valueBeforeDecodeView),
    signedAttributeOids: attributes.map((a) => oid(children(a)[0])),
    unsignedAttributeOids: unsignedAttributes.map((a) => oid(children(a)[0])),
    signatureValue,
    signedAttributesRange: signed ? contentsOf(signed) : [0, 0],
    signatureRange: contentsOf(signature as BaseBlock),
    timestampToken: timestamp ? (value(timestamp)?.valueBeforeDecodeView ?? null) : null,
    signingCertificateV2: value(attributes.find((a) => oid(children(a)[0]) === OIDS.signingCertificateV2)),
  };
}

/** Length of the contents octets of a definite-length element. */
function hexLength(block: BaseBlock): number {
  return block.valueBeforeDecodeView.length - block.idBlock.blockLength - block.lenBlock.blockLength;
}

/**
 * Asserts ETSI EN 319 122-1 B-B on every SignerInfo: the expected set of signed attribute
 * types, strictly ascending DER order (X.690 §11.6), and an ESSCertIDv2 whose certHash is
 * SHA-256 of the signer certificate with hashAlgorithm omitted (DER DEFAULT).
 */
export function assertCadesStructure(
  der: Uint8Array,
  signerCertificates: readonly Uint8Array[],
  expectedOids: readonly string[] = B_B_ATTRIBUTES,
): void {
  const signedData = readSignedData(der);
  signedData.signerInfos.forEach((info, i) => {
    const oids = [...info.signedAttributeOids].sort();
    if (JSON.stringify(oids) !== JSON.stringify([...expectedOids].sort())) {
      throw new Error(`SignerInfo ${i}: signed attributes ${oids.join(",")}`);
    }
    info.signedAttributes.forEach((encoding, j) => {
      const previous = info.signedAttributes[j - 1];
      if (previous && Buffer.compare(previous, encoding) >= 0)
        throw new Error(`SignerInfo ${i}: attributes not DER-sorted`);
    });
    const essCertIdV2 = children(children(info.signingCertificateV2 ?? undefined)[0])[0];
    const [certHash] = children(essCertIdV2);
    if (certHash?.idBlock.tagNumber !== 4) throw new Error(`SignerInfo ${i}: ESSCertIDv2 starts with a hashAlgorithm`);
    const expected = signerCertificates[i];
    if (!expected || Buffer.compare(hexView(certHash), createHash("sha256").update(expected).digest()) !== 0) {
      throw new Error(`SignerInfo ${i}: ESSCertIDv2 certHash is not SHA-256 of the signer certificate`);
    }
  });
}

/**
 * Replaces the signed attributes of one SignerInfo with `transform(attributes)` (same total
 * length) and re-signs them with an RSA key, so the signature is valid over what is sent.
 */
export function resignAttributes(
  der: Uint8Array,
  signerIndex: number,
  key: KeyObject,
  transform: (attributes: Uint8Array[]) => Uint8Array[],
): Uint8Array {
  const info = readSignedData(der).signerInfos[signerIndex];
  if (!info) throw new Error("no such SignerInfo");
  const attributes = Buffer.concat(transform(info.signedAttributes.map((a) => Uint8Array.from(a))));
  const [start, end] = info.signedAttributesRange;
  if (attributes.length !== end - start) throw new Error("transform changed the length");
  const out = Buffer.from(der);
  attributes.copy(out, start);
  const set = Buffer.concat([Uint8Array.of(0x31), out.subarray(start - lengthOctets(end - start), end)]);
  const signature = sign("sha256", set, key);
  const [sigStart, sigEnd] = info.signatureRange;
  if (signature.length !== sigEnd - sigStart) throw new Error("signature length changed: use an RSA key");
  signature.copy(out, sigStart);
  return out;
}

function lengthOctets(length: number): number {
  return length < 0x80 ? 1 : 1 + Math.ceil(Math.log2(length + 1) / 8);
}
