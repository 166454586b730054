export { ACCESS_TOKEN_PREFIX, type AccessTokens, createAccessTokens } from "./access-tokens.js";
export { type AccessTokenRecord, createAccessTokenRepository } from "./adapters/access-token-repository.js";
export { createStaffUserRepository, type StaffUserRecord } from "./adapters/staff-user-repository.js";
export * from "./audit/index.js";
export { type FiscalCodeResult, fiscalCodeCheckCharacter, parseFiscalCode } from "./domain/fiscal-code.js";
export { type Permission, Role, roleAllows } from "./domain/roles.js";
export { type AuditAppender, auditedRequest, auditTrail } from "./http/audit-trail.js";
export { currentPrincipal, requireAccess, staffAuth } from "./http/staff-auth.js";
export {
  type AddStaffUserInput,
  createStaffUsers,
  type StaffUserOutcome,
  type StaffUsers,
} from "./manage-staff-users.js";
// SAML 2.0 for SPID and CIE (issue 7): SP metadata, AuthnRequest, bindings
export {
  type AttributeConsumingService,
  type AuthnRequest,
  type AuthnRequestOptions,
  buildAuthnRequest,
  buildSpMetadata,
  CIE_ATTRIBUTES,
  checkMetadataConfig,
  HTTP_POST_BINDING,
  HTTP_REDIRECT_BINDING,
  type LocalizedText,
  newRelayState,
  newSamlId,
  POST_FORM_SCRIPT_SOURCE,
  type PostBindingForm,
  type PublicSpContact,
  postBindingForm,
  RSA_SHA256,
  redirectBindingUrl,
  type SamlFederation,
  type SamlSigningCredential,
  type SingleLogoutService,
  SPID_ATTRIBUTES,
  type SpidAttribute,
  type SpidLevel,
  type SpMetadataConfig,
  samlSigningCredential,
  signEnveloped,
  signRedirectQuery,
  spEndpoints,
  spidLevelUri,
} from "./saml/index.js";
// end SAML
