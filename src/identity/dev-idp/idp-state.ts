import type { Context } from "hono";
import type { SamlSigningCredential, SpidLevel } from "../saml/index.js";
import type { ExpiringStore } from "./expiring-store.js";
import type { DevIdpEndpoints, FindServiceProvider } from "./model.js";
import type { DevIdpUser } from "./users.js";

/** What the IdP keeps between the AuthnRequest and the user's choice (single use, 10 minutes). */
export interface PendingLogin {
  readonly spEntityId: string;
  readonly requestId: string;
  readonly level: SpidLevel;
  readonly relayState: string | undefined;
}

/** A login the IdP answered, until the SP logs it out (SAML Core §3.7.3.2: NameID, SessionIndex). */
export interface IdpSession {
  readonly spEntityId: string;
  readonly nameId: string;
  readonly sessionIndex: string | undefined;
}

/** The IdP's configuration and memory, shared by its routes. */
export interface IdpState {
  readonly endpoints: () => DevIdpEndpoints;
  readonly now: () => Date;
  readonly credential: SamlSigningCredential;
  readonly users: readonly DevIdpUser[];
  readonly serviceProvider: FindServiceProvider;
  readonly pending: ExpiringStore<PendingLogin>;
  readonly sessions: ExpiringStore<IdpSession>;
}

/** The query string exactly as received, without `?` (SAML Bindings §3.4.4.1 verifies those octets). */
export function rawQuery(c: Context): string {
  const url = c.req.url;
  const start = url.indexOf("?");
  if (start < 0) return "";
  const end = url.indexOf("#", start);
  return url.slice(start + 1, end < 0 ? undefined : end);
}

/** The string fields of an application/x-www-form-urlencoded body. */
export async function formFields(c: Context): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  return Object.fromEntries(
    Object.entries(body).flatMap(([name, value]) => (typeof value === "string" ? [[name, value]] : [])),
  );
}

/** Pages carrying a pending key or a SAML message are never cached (SAML Bindings §3.5.5.1). */
export const NO_STORE = { "Cache-Control": "no-cache, no-store", Pragma: "no-cache" } as const;
