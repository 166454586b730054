export { ACCESS_TOKEN_PREFIX, type AccessTokens, createAccessTokens } from "./access-tokens.js";
export { type AccessTokenRecord, createAccessTokenRepository } from "./adapters/access-token-repository.js";
export {
  createLoginRepository,
  EXCHANGE_RETENTION_MONTHS,
  type LoginRepository,
  type SpProfileRecord,
  type StaffGrant,
} from "./adapters/login-repository.js";
export { createStaffUserRepository, type StaffUserRecord } from "./adapters/staff-user-repository.js";
export * from "./audit/index.js";
export {
  createDevIdp,
  createDevIdpCredential,
  DEV_IDP_USERS,
  type DevIdp,
  type DevIdpUser,
} from "./dev-idp/index.js";
export { type FiscalCodeResult, fiscalCodeCheckCharacter, parseFiscalCode } from "./domain/fiscal-code.js";
export { type Permission, Role, roleAllows } from "./domain/roles.js";
export { SpProfileInput } from "./domain/sp-profile.js";
export { type AuditAppender, auditedRequest, auditTrail } from "./http/audit-trail.js";
export { type AuthRoutesDeps, authRoutes } from "./http/auth-routes.js";
export {
  CSRF_HEADER,
  currentPrincipal,
  requireAccess,
  type StaffAuthOptions,
  sessionCookieName,
  staffAuth,
} from "./http/staff-auth.js";
export {
  createIdpRegistry,
  type Federation,
  type IdpDescriptor,
  type IdpRegistry,
  type IdpSource,
  parseIdpMetadata,
} from "./idp-registry/index.js";
export {
  createSamlLogin,
  type IdpLookup,
  type LoginFailureCode,
  PENDING_LOGIN_TTL_MS,
  type SamlLogin,
  type ServiceProviderRuntime,
} from "./login/saml-login.js";
export { createSamlLogout, type SamlLogout } from "./login/saml-logout.js";
export { spMetadataConfig } from "./login/service-provider.js";
export { createSpMetadataSource, type MetadataAnswer } from "./login/sp-metadata-source.js";
export {
  createStaffSessions,
  DEFAULT_ABSOLUTE_MS,
  DEFAULT_IDLE_MS,
  type LiveSession,
  type StaffSessions,
} from "./login/staff-sessions.js";
export { createSpProfiles, type SpProfiles } from "./manage-sp-profile.js";
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
