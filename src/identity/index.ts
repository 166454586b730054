export { ACCESS_TOKEN_PREFIX, type AccessTokens, createAccessTokens } from "./access-tokens.js";
export { type AccessTokenRecord, createAccessTokenRepository } from "./adapters/access-token-repository.js";
export { type Permission, Role, roleAllows } from "./domain/roles.js";
export { currentPrincipal, requireAccess, staffAuth } from "./http/staff-auth.js";
