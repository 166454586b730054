/**
 * SPID registry aggregate (md:EntitiesDescriptor) or CIE metadata (md:EntityDescriptor) → the IdPs
 * it describes (SAML Metadata §2.3; reference spid-cie.md §1.8, §2). Pure: no I/O, the clock is a
 * parameter.
 */
import type { Element } from "@xmldom/xmldom";
import { childElements, elementChildren } from "../saml/xml-dom.js";
import { MD, metadataRoot, parseMetadataXml, trimmedAttributeOf } from "./metadata-xml.js";
import type { Federation, ParsedIdpMetadata } from "./model.js";
import { type EntityOutcome, readEntity } from "./read-entity.js";

export interface ParseIdpMetadataOptions {
  /** Judges validUntil and certificate validity; default the current time. */
  readonly now?: Date;
}

/**
 * Parses EntitiesDescriptor or EntityDescriptor; entities that are unusable (no signing cert, no
 * SSO, bad cert) are skipped with a reason. Throws a clear Error only when the document itself is
 * not SAML metadata (or has a DOCTYPE).
 */
export function parseIdpMetadata(
  xml: string,
  federation: Federation,
  options: ParseIdpMetadataOptions = {},
): ParsedIdpMetadata {
  const doc = parseMetadataXml(xml);
  return readIdpMetadata(metadataRoot(doc), federation, options.now ?? new Date());
}

/** The same, from a root element already parsed (the signed copy of a verified document). */
export function readIdpMetadata(root: Element, federation: Federation, now: Date): ParsedIdpMetadata {
  const result: ParsedIdpMetadata = { idps: [], skipped: [], notes: [] };
  const seen = new Set<string>();
  for (const { entity, validUntil } of entitiesOf(root, Number.POSITIVE_INFINITY)) {
    if (childElements(entity, MD, "IDPSSODescriptor").length === 0) continue;
    const entityId = trimmedAttributeOf(entity, "entityID") ?? "(no entityID)";
    const outcome = readInContext(entity, entityId, validUntil, federation, now);
    if (outcome.kind === "skipped") {
      result.skipped.push({ entityId, reason: outcome.reason });
    } else if (outcome.kind === "idp" && seen.has(entityId)) {
      result.skipped.push({ entityId, reason: "duplicate entityID: the first one is used" });
    } else if (outcome.kind === "idp") {
      seen.add(entityId);
      result.idps.push(outcome.idp);
      for (const note of outcome.notes) result.notes.push({ entityId, note });
    }
  }
  return result;
}

function readInContext(
  entity: Element,
  entityId: string,
  validUntil: number,
  federation: Federation,
  now: Date,
): EntityOutcome {
  if (trimmedAttributeOf(entity, "entityID") === undefined)
    return { kind: "skipped", reason: "EntityDescriptor without entityID" };
  // SAML Metadata §2.3.1–2.3.2: metadata past its validUntil must not be used.
  if (Number.isNaN(validUntil)) return { kind: "skipped", reason: "validUntil is not a valid xs:dateTime" };
  if (validUntil <= now.getTime()) {
    return { kind: "skipped", reason: `metadata expired (validUntil ${new Date(validUntil).toISOString()})` };
  }
  return readEntity(entity, entityId, federation, now);
}

interface EntityInContext {
  readonly entity: Element;
  /** The earliest validUntil of the entity and its enclosing EntitiesDescriptors (ms); NaN when unreadable. */
  readonly validUntil: number;
}

/** SAML Metadata §2.3.1: EntitiesDescriptor nests EntityDescriptor and EntitiesDescriptor; validUntil applies to all it encloses. */
function entitiesOf(element: Element, inheritedValidUntil: number): EntityInContext[] {
  const validUntil = earliest(inheritedValidUntil, trimmedAttributeOf(element, "validUntil"));
  if (element.localName === "EntityDescriptor") return [{ entity: element, validUntil }];
  return elementChildren(element)
    .filter((child) => child.namespaceURI === MD && NESTED.has(child.localName ?? ""))
    .flatMap((child) => entitiesOf(child, validUntil));
}

const NESTED = new Set(["EntityDescriptor", "EntitiesDescriptor"]);

function earliest(inherited: number, declared: string | undefined): number {
  if (declared === undefined) return inherited;
  return Math.min(inherited, Date.parse(declared));
}
