/**
 * The development SAML IdP (issue 7), mounted by the gateway only in development (demo mode or
 * FACCIA_DEV_IDP=1). The rest of the code base imports this folder only through this file.
 */
export { createDevIdp } from "./create-dev-idp.js";
export { createDevIdpCredential, DEV_IDP_COMMON_NAME } from "./credential.js";
export { DEV_IDP_ERROR_MESSAGES, type DevIdpErrorCode } from "./errors.js";
export type { DevIdp, DevIdpEndpoints, DevIdpOptions, DevIdpServiceProvider } from "./model.js";
export { DEV_IDP_PATH, devIdpEndpoints } from "./model.js";
export { autoPostCsp, CHOOSER_TITLE } from "./pages.js";
export { DEV_IDP_USERS, type DevIdpUser } from "./users.js";
