import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { AppError } from "../../shared/errors.js";
import type { AppEnv, Principal } from "../../shared/http/env.js";
import type { AccessTokens } from "../access-tokens.js";
import { type Permission, roleAllows } from "../domain/roles.js";
import type { LiveSession, StaffSessions } from "../login/staff-sessions.js";

/** The session cookie's name: `__Host-` (RFC 6265bis §4.1.3.2) when served over TLS, which pins it to our origin. */
export function sessionCookieName(secure: boolean): string {
  return secure ? "__Host-faccia_session" : "faccia_session";
}

/** The header (or, for plain HTML forms, the field) carrying the session's CSRF token. */
export const CSRF_HEADER = "x-csrf-token";
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export interface StaffAuthOptions {
  tokens: AccessTokens;
  /** Browser sessions after a SPID/CIE login (issue 7); absent: access tokens only. */
  sessions?: StaffSessions;
  /** Cookies marked Secure (behind TLS). */
  secureCookies?: boolean;
}

/**
 * Authenticates the staff API caller: a personal access token (`Authorization: Bearer`, for
 * automation) or the browser's session cookie. A cookie is sent by the browser on its own, so
 * every state-changing request on a session must also carry the session's CSRF token (OWASP
 * CSRF Prevention: synchronizer token); a bearer token is never ambient and needs none.
 */
export function staffAuth(options: StaffAuthOptions): MiddlewareHandler<AppEnv> {
  const { tokens, sessions, secureCookies = false } = options;
  const cookieName = sessionCookieName(secureCookies);
  return async function staffAuth(c, next) {
    const authorization = c.req.header("authorization");
    let principal: Principal | null;
    if (authorization !== undefined || sessions === undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
      if (!match?.[1]) {
        throw new AppError("AUTH_MISSING_TOKEN", "send a personal access token as 'Authorization: Bearer …'");
      }
      principal = await tokens.authenticate(match[1]);
      if (!principal) throw new AppError("AUTH_INVALID_TOKEN", "the access token is not valid, expired or revoked");
    } else {
      const cookie = getCookie(c, cookieName);
      if (!cookie) throw new AppError("AUTH_MISSING_TOKEN", "log in with SPID or CIE, or send a personal access token");
      const live = await sessions.resolve(cookie);
      if (!live) throw new AppError("AUTH_SESSION_EXPIRED", "the session has ended or expired: log in again");
      if (!SAFE_METHODS.has(c.req.method) && !sessions.csrfMatches(live, c.req.header(CSRF_HEADER))) {
        throw new AppError("AUTH_CSRF_FAILED", `send the session's CSRF token in the ${CSRF_HEADER} header`);
      }
      principal = sessionPrincipal(live);
    }
    c.set("principal", principal);
    c.set("log", c.get("log").child({ principal: principal.id }));
    await next();
  };
}

/** A session's principal: its roles as `staff_user` holds them now. */
export function sessionPrincipal(live: LiveSession): Principal {
  return {
    kind: "session",
    id: live.session.id,
    name: live.session.fiscalCode,
    grants: live.grants.map((grant) => ({ role: grant.role, entityId: grant.entityId })),
    level: live.session.level,
  };
}

export function currentPrincipal(c: Context<AppEnv>): Principal {
  const principal = c.get("principal");
  if (!principal) throw new AppError("AUTH_MISSING_TOKEN", "authentication required");
  return principal;
}

/**
 * Issue 7: signing and dispatching a report need a login of at least SpidL2; an access token
 * (automation, made by an administrator on the server) is not a login and is not limited here.
 */
const MIN_LEVEL: Partial<Record<Permission, 2 | 3>> = { sign: 2 };

/** Throws unless the caller may do `permission` on `entityId` (null: platform-wide operations). */
export function requireAccess(c: Context<AppEnv>, entityId: string | null, permission: Permission): Principal {
  const principal = currentPrincipal(c);
  const grant = principal.grants.find(
    (g) => (g.entityId === null || g.entityId === entityId) && roleAllows(g.role, permission),
  );
  if (!grant) {
    const roles = [...new Set(principal.grants.map((g) => g.role))].join(", ") || "no";
    throw new AppError("AUTH_FORBIDDEN", `your ${roles} role cannot ${permission} here`);
  }
  const minLevel = MIN_LEVEL[permission];
  if (minLevel !== undefined && principal.level !== null && principal.level < minLevel) {
    throw new AppError("AUTH_LEVEL_TOO_LOW", `log in again with SPID or CIE level ${minLevel} to ${permission}`);
  }
  return principal;
}
