import type { SpProfileRecord } from "../adapters/login-repository.js";
import {
  type AttributeConsumingService,
  type SamlFederation,
  type SpMetadataConfig,
  spEndpoints,
} from "../saml/index.js";

/** The entity that operates the SP: its metadata carries this entity's name and IPA code. */
export interface SpOperator {
  ipaCode: string;
  name: string;
}

/**
 * AgID attributi.rst / Garante: request only what is needed ("pertinenti e non eccedenti"). The
 * fiscal code identifies the staff member; the names are shown; SPID's e-mail helps the admin.
 * CIE releases only the eIDAS minimum dataset (reference §2).
 */
const SERVICES: Record<SamlFederation, AttributeConsumingService> = {
  spid: {
    serviceName: { it: "Faccia: area riservata al personale", en: "Faccia: staff area" },
    attributes: ["fiscalNumber", "name", "familyName", "email"],
  },
  cie: {
    serviceName: { it: "Faccia: area riservata al personale", en: "Faccia: staff area" },
    attributes: ["fiscalNumber", "name", "familyName"],
  },
};

/** The metadata values of one federation from the operator, its SP profile and the gateway's URLs. */
export function spMetadataConfig(
  federation: SamlFederation,
  sp: { entityId: string; baseUrl: string; certificate: Uint8Array },
  operator: SpOperator,
  profile: SpProfileRecord,
): SpMetadataConfig {
  const endpoints = spEndpoints(sp.baseUrl, federation);
  const name = { it: operator.name };
  return {
    federation,
    entityId: sp.entityId,
    signingCertificates: [sp.certificate],
    assertionConsumerServices: [endpoints.assertionConsumerService],
    // single-logout.rst: Redirect and POST; CIE requires a Redirect one even without SLO support.
    singleLogoutServices: [
      { binding: "HTTP-Redirect", location: endpoints.singleLogoutService },
      { binding: "HTTP-POST", location: endpoints.singleLogoutService },
    ],
    attributeConsumingServices: [SERVICES[federation]],
    organization: { name, displayName: name, url: { it: profile.organizationUrl } },
    contact: {
      ipaCode: operator.ipaCode,
      email: profile.contactEmail,
      ...(profile.contactPhone ? { phone: profile.contactPhone } : {}),
      ...(profile.municipality ? { municipality: profile.municipality } : {}),
      ...(profile.province ? { province: profile.province } : {}),
      ...(federation === "cie" ? { country: "IT" } : {}),
    },
  };
}
