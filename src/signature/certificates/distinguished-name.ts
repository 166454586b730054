import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { OID } from "../oids.js";

/** One attribute of a distinguished name, e.g. `{ type: OID.commonName, value: "Comune di Demo" }`. */
export interface NameAttribute {
  type: string;
  value: string;
}

/** RFC 4514 §3 short names, plus the ETSI/X.520 names Italian certificates carry. */
const SHORT_NAMES: Record<string, string> = {
  [OID.commonName]: "CN",
  [OID.surname]: "SN",
  [OID.serialNumber]: "serialNumber",
  [OID.countryName]: "C",
  [OID.localityName]: "L",
  [OID.stateOrProvinceName]: "ST",
  [OID.organizationName]: "O",
  [OID.organizationalUnitName]: "OU",
  [OID.title]: "title",
  [OID.givenName]: "GN",
  [OID.dnQualifier]: "dnQualifier",
  [OID.organizationIdentifier]: "organizationIdentifier",
  [OID.emailAddress]: "emailAddress",
};

/**
 * Encodes a Name with one attribute per RDN, in the order given (pkijs alone would put them all
 * in one multi-valued RDN). countryName, serialNumber and dnQualifier are PrintableString
 * (X.520, RFC 5280 App. A); the others UTF8String, as RFC 5280 §4.1.2.6 asks of new certificates.
 */
export function toRelativeDistinguishedNames(attributes: readonly NameAttribute[]): pkijs.RelativeDistinguishedNames {
  const printable = new Set<string>([OID.countryName, OID.serialNumber, OID.dnQualifier]);
  const rdns = attributes.map(
    (attribute) =>
      new asn1js.Set({
        value: [
          new asn1js.Sequence({
            value: [
              new asn1js.ObjectIdentifier({ value: attribute.type }),
              printable.has(attribute.type)
                ? new asn1js.PrintableString({ value: attribute.value })
                : new asn1js.Utf8String({ value: attribute.value }),
            ],
          }),
        ],
      }),
  );
  return pkijs.RelativeDistinguishedNames.fromBER(new asn1js.Sequence({ value: rdns }).toBER(false));
}

/** The name's attributes in encoding order, values as text. */
export function nameAttributes(name: pkijs.RelativeDistinguishedNames): NameAttribute[] {
  return name.typesAndValues.map((entry) => ({ type: entry.type, value: attributeText(entry.value) }));
}

/**
 * Which RDN comes first: `rfc4514` puts the last RDN first (RFC 4514 §2.1), as LDAP and the staff
 * pages do; `certificate` keeps the encoding order ("C=IT, O=…, CN=…"), as OpenSSL prints names
 * and as verification results report them.
 */
export type NameOrder = "rfc4514" | "certificate";

/** Short names where known, special characters escaped (RFC 4514 §2.4), RDNs joined by ", ". */
export function formatDistinguishedName(attributes: readonly NameAttribute[], order: NameOrder = "rfc4514"): string {
  const ordered = order === "rfc4514" ? [...attributes].reverse() : attributes;
  return ordered
    .map((attribute) => `${SHORT_NAMES[attribute.type] ?? attribute.type}=${escapeValue(attribute.value)}`)
    .join(", ");
}

function escapeValue(value: string): string {
  return value
    .replace(/[\\",+;<>=]/g, (char) => `\\${char}`)
    .replace(/^[ #]/, (char) => `\\${char}`)
    .replace(/ $/, "\\ ");
}

function attributeText(value: unknown): string {
  if (value instanceof asn1js.BaseStringBlock) return value.getValue();
  if (value instanceof asn1js.BaseBlock) return `#${Buffer.from(value.toBER(false)).toString("hex")}`;
  return String(value);
}
