import type { Hono } from "hono";
import type { SamlSigningCredential } from "../saml/index.js";
import type { DevIdpUser } from "./users.js";

/** A service provider the development IdP answers: in practice the gateway's own SPID SP. */
export interface DevIdpServiceProvider {
  readonly entityId: string;
  /** The AssertionConsumerService with index 0, where Responses are POSTed. */
  readonly acsUrl: string;
  /** The SP's SingleLogoutService (HTTP-Redirect), where LogoutResponses go. */
  readonly sloUrl?: string;
  /** The SP's signing certificates (DER): its requests must verify with one of them. */
  readonly certificates: readonly Uint8Array[];
}

export type FindServiceProvider = (entityId: string) => DevIdpServiceProvider | undefined;

export interface DevIdpOptions {
  /** The gateway's base URL without trailing slash, read lazily (the port may be known only after listen). */
  baseUrl: () => string;
  credential: SamlSigningCredential;
  users?: readonly DevIdpUser[];
  /** The SPs it serves, by entityID (the gateway's SPID SP). An unknown SP gets the error page (400). */
  serviceProvider: FindServiceProvider;
  now?: () => Date;
}

export interface DevIdp {
  /** Mount with `app.route("/", devIdp.routes)`: the routes carry their full `/dev-idp/…` paths. */
  readonly routes: Hono;
  /** `baseUrl()` + "/dev-idp". */
  entityId(): string;
  /** The signed IDPSSODescriptor metadata served at `/dev-idp/metadata`. */
  metadataXml(): string;
}

/** The IdP's endpoints under a base URL (no trailing slash). */
export interface DevIdpEndpoints {
  readonly entityId: string;
  readonly metadata: string;
  readonly singleSignOn: string;
  readonly continueLogin: string;
  readonly singleLogout: string;
}

export const DEV_IDP_PATH = "/dev-idp";

export function devIdpEndpoints(baseUrl: string): DevIdpEndpoints {
  const entityId = `${baseUrl.replace(/\/+$/, "")}${DEV_IDP_PATH}`;
  return {
    entityId,
    metadata: `${entityId}/metadata`,
    singleSignOn: `${entityId}/sso`,
    continueLogin: `${entityId}/sso/continue`,
    singleLogout: `${entityId}/slo`,
  };
}
