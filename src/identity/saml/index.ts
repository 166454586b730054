/** SAML 2.0 building blocks for SPID and CIE login (issue 7): SP metadata, AuthnRequest, bindings. */
export {
  type AuthnRequest,
  type AuthnRequestOptions,
  buildAuthnRequest,
  newRelayState,
  newSamlId,
  POST_FORM_SCRIPT_SOURCE,
  type PostBindingForm,
  postBindingForm,
  redirectBindingUrl,
} from "./authn-request.js";
export {
  buildLogoutRequest,
  buildLogoutResponse,
  type LogoutRequestOptions,
  type LogoutResponseOptions,
  parseLogoutRequest,
  parseLogoutResponse,
} from "./logout.js";
export { readPostMessage } from "./post-binding-verify.js";
export { readRedirectMessage, redirectUrl } from "./redirect-binding.js";
export { LOGOUT_FAILURE_CODES, type LogoutFailure, type LogoutFailureCode } from "./saml-message.js";
export {
  CIE_ATTRIBUTES,
  CIE_NAMESPACE,
  HTTP_POST_BINDING,
  HTTP_REDIRECT_BINDING,
  SAML_ASSERTION_NAMESPACE,
  SAML_METADATA_NAMESPACE,
  SAML_PROTOCOL_NAMESPACE,
  type SamlFederation,
  SPID_ATTRIBUTES,
  SPID_NAMESPACE,
  type SpidAttribute,
  type SpidLevel,
  spidLevelUri,
} from "./saml-names.js";
export {
  type AttributeConsumingService,
  buildSpMetadata,
  checkMetadataConfig,
  type LocalizedText,
  type PublicSpContact,
  type SingleLogoutService,
  type SpMetadataConfig,
  spEndpoints,
} from "./sp-metadata.js";
export { childElements, parseStrictXml, textOf } from "./xml-dom.js";
export {
  isEchoableRelayState,
  type RedirectMessage,
  RSA_SHA256,
  type SamlSigningCredential,
  samlSigningCredential,
  signEnveloped,
  signRedirectQuery,
} from "./xml-signature.js";
