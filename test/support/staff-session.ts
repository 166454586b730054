/**
 * Browser sessions for API tests (issue 7): a staff user with a role in one entity and a session
 * opened for them as the ACS would after a SPID/CIE login, without going through SAML.
 */
import { randomInt, randomUUID } from "node:crypto";
import { CSRF_HEADER, fiscalCodeCheckCharacter, type Role, sessionCookieName } from "../../src/identity/index.js";
import type { Application } from "../../src/main.js";

export interface StaffSession {
  /** The `Cookie` header value: `faccia_session=<token>`. */
  cookie: string;
  /** What the pages send back in `X-CSRF-Token`. */
  csrfToken: string;
  /** The user's fiscal code, as stored (upper case). */
  fiscalCode: string;
}

export interface StaffSessionOptions {
  /** The entity (IPA code) where the user gets `role`. */
  ipa: string;
  role: Role;
  /** Default: a fresh random one; reuse one to give the same person roles in several entities. */
  fiscalCode?: string;
  /** The SPID/CIE level of the login; default 2. */
  level?: 1 | 2 | 3;
  federation?: "spid" | "cie";
}

const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const MONTHS = "ABCDEHLMPRST";
const letters = (n: number) => Array.from({ length: n }, () => LETTERS.charAt(randomInt(26))).join("");
const digits = (n: number) => Array.from({ length: n }, () => String(randomInt(10))).join("");

/** A random person's fiscal code with the right check character (DM 23 dicembre 1976). */
export function randomFiscalCode(): string {
  const first15 = `${letters(6)}${digits(2)}${MONTHS.charAt(randomInt(12))}${digits(2)}${letters(1)}${digits(3)}`;
  return `${first15}${fiscalCodeCheckCharacter(first15)}`;
}

/**
 * Adds the user to the entity with `role` (audited with actor `test`) and opens a session as a
 * successful login of `level` would.
 *
 * @example
 * const admin = await staffSession(application, { ipa: "c_test", role: "admin" });
 * await sessionRequest(application.app, "POST", "/api/v1/entities/c_test/offices", admin, { body: { name: "Sede" } });
 */
export async function staffSession(application: Application, options: StaffSessionOptions): Promise<StaffSession> {
  const { user } = await application.services.staffUsers.add({
    entityIpaCode: options.ipa,
    fiscalCode: options.fiscalCode ?? randomFiscalCode(),
    role: options.role,
    name: `Test ${options.role}`,
    actor: "test",
  });
  const opened = await application.identity.sessions.open({
    fiscalCode: user.fiscalCode,
    name: user.name,
    federation: options.federation ?? "spid",
    idpEntityId: "https://idp.test",
    level: options.level ?? 2,
    nameId: `_${randomUUID()}`,
    nameQualifier: "https://idp.test",
    sessionIndex: null,
  });
  return {
    cookie: `${sessionCookieName(false)}=${opened.token}`,
    csrfToken: opened.csrfToken,
    fiscalCode: user.fiscalCode,
  };
}

export interface SessionRequestOptions {
  /** JSON-encoded unless it is a string or bytes, sent as they are. */
  body?: unknown;
  /** Send the session's CSRF token (true, the default), none (false) or this one. */
  csrf?: boolean | string;
  /** Default `application/json` when there is a body. */
  contentType?: string;
}

/** A request as the staff web app sends it: the session cookie and, unless told otherwise, the CSRF header. */
export function sessionRequest(
  app: Application["app"],
  method: string,
  path: string,
  session: Pick<StaffSession, "cookie" | "csrfToken">,
  options: SessionRequestOptions = {},
): Promise<Response> {
  const headers: Record<string, string> = { cookie: session.cookie };
  const csrf = options.csrf ?? true;
  if (csrf !== false) headers[CSRF_HEADER] = csrf === true ? session.csrfToken : csrf;
  let body: string | Uint8Array | undefined;
  if (options.body !== undefined) {
    const raw = typeof options.body === "string" || options.body instanceof Uint8Array;
    body = raw ? (options.body as string | Uint8Array) : JSON.stringify(options.body);
    headers["content-type"] = options.contentType ?? "application/json";
  }
  return Promise.resolve(app.request(path, { method, headers, ...(body === undefined ? {} : { body }) }));
}
