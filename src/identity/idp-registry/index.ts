/**
 * The SPID/CIE IdP registry (issue 7, reference spid-cie.md §1.8 and §2): the identity providers'
 * SAML metadata, loaded from files or URLs, kept as a last good copy, refreshed daily.
 */
export {
  createIdpRegistry,
  DEFAULT_MAX_METADATA_BYTES,
  DEFAULT_REFRESH_INTERVAL_MS,
  METADATA_FETCH_TIMEOUT_MS,
} from "./create-idp-registry.js";
export { MetadataRefused } from "./metadata-xml.js";
export type {
  Federation,
  IdpDescriptor,
  IdpRegistry,
  IdpRegistryOptions,
  IdpSource,
  LogoutEndpoint,
  ParsedIdpMetadata,
  RegistryLog,
  SourceRefresh,
} from "./model.js";
export { type ParseIdpMetadataOptions, parseIdpMetadata } from "./parse-idp-metadata.js";
