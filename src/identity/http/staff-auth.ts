import type { Context, MiddlewareHandler } from "hono";
import { AppError } from "../../shared/errors.js";
import type { AppEnv, Principal } from "../../shared/http/env.js";
import type { AccessTokens } from "../access-tokens.js";
import { type Permission, roleAllows } from "../domain/roles.js";

/** Authenticates the staff API caller (personal access token until SPID/CIE sessions land). */
export function staffAuth(tokens: AccessTokens): MiddlewareHandler<AppEnv> {
  return async function staffAuth(c, next) {
    const match = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "");
    if (!match?.[1]) {
      throw new AppError("AUTH_MISSING_TOKEN", "send a personal access token as 'Authorization: Bearer …'");
    }
    const principal = await tokens.authenticate(match[1]);
    if (!principal) throw new AppError("AUTH_INVALID_TOKEN", "the access token is not valid, expired or revoked");
    c.set("principal", principal);
    c.set("log", c.get("log").child({ principal: principal.id }));
    await next();
  };
}

export function currentPrincipal(c: Context<AppEnv>): Principal {
  const principal = c.get("principal");
  if (!principal) throw new AppError("AUTH_MISSING_TOKEN", "authentication required");
  return principal;
}

/** Throws unless the caller may do `permission` on `entityId` (null: platform-wide operations). */
export function requireAccess(c: Context<AppEnv>, entityId: string | null, permission: Permission): Principal {
  const principal = currentPrincipal(c);
  const inScope = principal.entityId === null || principal.entityId === entityId;
  if (!inScope || !roleAllows(principal.role, permission)) {
    throw new AppError("AUTH_FORBIDDEN", `your ${principal.role} role cannot ${permission} here`);
  }
  return principal;
}
