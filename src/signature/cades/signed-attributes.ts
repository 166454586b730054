/**
 * Signed attributes (RFC 5652 §5.3, §5.4, §11; ETSI EN 319 122-1 §5.1, §5.2.1, §5.2.2.3,
 * clause 6.3 Table 1 for baseline B-B).
 *
 * ```asn
 * SignedAttributes ::= SET SIZE (1..MAX) OF Attribute
 * Attribute ::= SEQUENCE { attrType OBJECT IDENTIFIER, attrValues SET OF AttributeValue }
 * ```
 * A SET OF is DER-encoded with its components in ascending order of their encodings
 * (X.690 §11.6). The signature covers the DER of the SET OF (tag 0x31), while the SignerInfo
 * carries the same octets under the [0] IMPLICIT tag (RFC 5652 §5.4).
 */
import type { BaseBlock } from "asn1js";
import { OID } from "../oids.js";
import { childrenOf, itemsOf, oidOf, rawOf } from "./ber.js";
import { compareBytes, derOctetString, derOid, derSequence, derTime, derTlv, sortDer, TAG } from "./der.js";

export interface SignedAttributesInput {
  /** eContentType; id-data for CAdES B-B (EN 319 122-1 clause 6.3 requirement f). */
  readonly contentType: string;
  readonly contentDigest: Uint8Array;
  /** null omits signing-time, as PAdES B-B requires (EN 319 142-1 §6.3). */
  readonly signingTime: Date | null;
  /** The signing-certificate-v2 Attribute, from `encodeSigningCertificateV2`. */
  readonly signingCertificateV2: Uint8Array;
}

export interface EncodedSignedAttributes {
  /** DER of the SET OF Attribute: the octets that are hashed and signed. */
  readonly set: Uint8Array;
  /** The same octets tagged [0] IMPLICIT, as they sit in the SignerInfo. */
  readonly implicit: Uint8Array;
}

/** Attribute with a single value (RFC 5652 §5.3). */
export function encodeAttribute(type: string, value: Uint8Array): Uint8Array {
  return derSequence(derOid(type), derTlv(TAG.set, value));
}

export function encodeSignedAttributes(input: SignedAttributesInput): EncodedSignedAttributes {
  const attributes = [
    encodeAttribute(OID.contentType, derOid(input.contentType)),
    encodeAttribute(OID.messageDigest, derOctetString(input.contentDigest)),
    input.signingCertificateV2,
  ];
  if (input.signingTime !== null) attributes.push(encodeAttribute(OID.signingTime, derTime(input.signingTime)));
  const set = derTlv(TAG.set, ...sortDer(attributes));
  const implicit = Uint8Array.from(set);
  implicit[0] = TAG.context0;
  return { set, implicit };
}

export interface ReceivedSignedAttributes {
  /** The received [0] IMPLICIT encoding re-tagged as SET: what a verifier checks the signature over. */
  readonly signedBytes: Uint8Array;
  /** Whether the received attributes are in DER order (X.690 §11.6). */
  readonly derSorted: boolean;
  /** Values of each attribute type; an attribute type that occurs twice is reported by `repeated`. */
  readonly values: ReadonlyMap<string, readonly BaseBlock[]>;
  readonly repeated: readonly string[];
}

/** Reads the [0] IMPLICIT signedAttrs element of a SignerInfo. Throws CmsFormatError. */
export function readSignedAttributes(block: BaseBlock): ReceivedSignedAttributes {
  const attributes = childrenOf(block, "signedAttrs");
  const encodings = attributes.map(rawOf);
  const values = new Map<string, readonly BaseBlock[]>();
  const repeated: string[] = [];
  for (const item of attributes) {
    const [type, set] = itemsOf(item, 16, "Attribute");
    const oid = oidOf(type, "Attribute.attrType");
    if (values.has(oid)) repeated.push(oid);
    values.set(oid, itemsOf(set, 17, "Attribute.attrValues"));
  }
  const signedBytes = Uint8Array.from(rawOf(block));
  signedBytes[0] = TAG.set;
  const derSorted = encodings.every(
    (encoding, i) => i === 0 || compareBytes(encodings[i - 1] as Uint8Array, encoding) < 0,
  );
  return { signedBytes, derSorted, values, repeated };
}

/** The single value of a single-valued attribute (RFC 5652 §11.1–§11.3), or null. */
export function singleValue(attributes: ReceivedSignedAttributes, type: string): BaseBlock | null {
  const values = attributes.values.get(type);
  return values?.length === 1 ? (values[0] ?? null) : null;
}
