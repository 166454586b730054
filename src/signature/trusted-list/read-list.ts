import type { Element } from "@xmldom/xmldom";
import { certificateFromBase64 } from "./certificate-bytes.js";
import { TrustedListError } from "./errors.js";
import { SERVICE_TYPE_CA_QC, type TrustedListService, TSL_NAMESPACE as TSL } from "./model.js";
import { childElements, descendant, parseXml, textOf } from "./xml.js";

/** What the signed list says, before it is combined with "now" and the signer. */
export interface ListContent {
  readonly schemeTerritory: string;
  readonly versionIdentifier: number | undefined;
  readonly sequenceNumber: number | undefined;
  readonly listIssueDateTime: Date;
  readonly nextUpdate: Date | undefined;
  readonly qualifiedCaServices: readonly TrustedListService[];
  /** X509Certificate values of CA/QC services that are not base64 DER certificates. */
  readonly unreadableCertificates: number;
}

function malformed(message: string): TrustedListError {
  return new TrustedListError("TRUSTED_LIST_MALFORMED", message);
}

/** Checks the document element: TS 119 612 Annex B `tsl:TrustServiceStatusList`. */
export function checkListRoot(root: Element | null): void {
  if (root?.namespaceURI !== TSL || root.localName !== "TrustServiceStatusList") {
    throw malformed("document element is not tsl:TrustServiceStatusList");
  }
}

/** Reads the list from the canonical XML that the signature covers (see verify-signature.ts). */
export function readListContent(signedXml: string): ListContent {
  const root = parseXml(signedXml, "signed trusted list").documentElement;
  checkListRoot(root);
  const list = root as Element;
  const scheme = descendant(list, TSL, "SchemeInformation");
  if (scheme === undefined) throw malformed("SchemeInformation missing");
  const schemeTerritory = textOf(descendant(scheme, TSL, "SchemeTerritory"));
  if (schemeTerritory === undefined) throw malformed("SchemeTerritory missing (TS 119 612 §5.3.10)");
  const listIssueDateTime = dateOf(textOf(descendant(scheme, TSL, "ListIssueDateTime")));
  if (listIssueDateTime === undefined) throw malformed("ListIssueDateTime missing or not a date (§5.3.14)");
  const services = qualifiedCaServices(list);
  return {
    schemeTerritory,
    versionIdentifier: integerOf(textOf(descendant(scheme, TSL, "TSLVersionIdentifier"))),
    sequenceNumber: integerOf(textOf(descendant(scheme, TSL, "TSLSequenceNumber"))),
    listIssueDateTime,
    nextUpdate: nextUpdateOf(scheme),
    qualifiedCaServices: services.map((entry) => entry.service),
    unreadableCertificates: services.reduce((sum, entry) => sum + entry.unreadable, 0),
  };
}

/** §5.3.15: NextUpdate is mandatory; an empty one (no dateTime) means the list is closed. */
function nextUpdateOf(scheme: Element): Date | undefined {
  const nextUpdate = descendant(scheme, TSL, "NextUpdate");
  if (nextUpdate === undefined) throw malformed("NextUpdate missing (§5.3.15)");
  const text = textOf(descendant(nextUpdate, TSL, "dateTime"));
  if (text === undefined) return undefined;
  const date = dateOf(text);
  if (date === undefined) throw malformed("NextUpdate is not a date (§5.3.15)");
  return date;
}

function dateOf(text: string | undefined): Date | undefined {
  if (text === undefined || !/^\d{4}-\d{2}-\d{2}T/.test(text)) return undefined;
  const time = Date.parse(text);
  return Number.isNaN(time) ? undefined : new Date(time);
}

function integerOf(text: string | undefined): number | undefined {
  return text !== undefined && /^\d{1,9}$/.test(text) ? Number(text) : undefined;
}

/** §5.4.1 TSPName / §5.5.2 ServiceName: multilingual; English when present, else the first. */
function nameOf(parent: Element | undefined): string {
  if (parent === undefined) return "";
  const names = childElements(parent, TSL, "Name");
  const english = names.find((name) => name.getAttribute("xml:lang")?.toLowerCase() === "en");
  return textOf(english ?? names[0]) ?? "";
}

interface ServiceEntry {
  readonly service: TrustedListService;
  readonly unreadable: number;
}

/** TrustServiceProviderList → TrustServiceProvider → TSPServices → TSPService (§5.4, §5.5). */
function qualifiedCaServices(list: Element): ServiceEntry[] {
  const providers = descendant(list, TSL, "TrustServiceProviderList");
  if (providers === undefined) return [];
  return childElements(providers, TSL, "TrustServiceProvider").flatMap((provider) => {
    const providerName = nameOf(descendant(provider, TSL, "TSPInformation", "TSPName"));
    const services = descendant(provider, TSL, "TSPServices");
    if (services === undefined) return [];
    return childElements(services, TSL, "TSPService").flatMap((service) => {
      const information = descendant(service, TSL, "ServiceInformation");
      if (information === undefined) throw malformed("TSPService without ServiceInformation (§5.5)");
      const entry = readService(information, providerName);
      return entry.service.type === SERVICE_TYPE_CA_QC ? [entry] : [];
    });
  });
}

function readService(information: Element, providerName: string): ServiceEntry {
  const type = textOf(descendant(information, TSL, "ServiceTypeIdentifier"));
  const status = textOf(descendant(information, TSL, "ServiceStatus"));
  if (type === undefined || status === undefined) {
    throw malformed("service without ServiceTypeIdentifier or ServiceStatus (§5.5.1, §5.5.4)");
  }
  const identity = descendant(information, TSL, "ServiceDigitalIdentity");
  const values = (identity === undefined ? [] : childElements(identity, TSL, "DigitalId")).flatMap((digitalId) =>
    childElements(digitalId, TSL, "X509Certificate").map((element) => certificateFromBase64(element.textContent ?? "")),
  );
  const certificates = values.filter((der): der is Uint8Array => der !== undefined);
  return {
    service: {
      providerName,
      serviceName: nameOf(descendant(information, TSL, "ServiceName")),
      type,
      status,
      statusStartingTime: dateOf(textOf(descendant(information, TSL, "StatusStartingTime"))),
      certificates,
    },
    unreadable: values.length - certificates.length,
  };
}
