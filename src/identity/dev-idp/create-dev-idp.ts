import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { DEV_IDP_ERROR_MESSAGES, DevIdpError } from "./errors.js";
import { createExpiringStore } from "./expiring-store.js";
import { type IdpSession, type IdpState, NO_STORE, type PendingLogin } from "./idp-state.js";
import { buildIdpMetadata } from "./metadata.js";
import { type DevIdp, type DevIdpOptions, devIdpEndpoints } from "./model.js";
import { errorPage, pageCsp } from "./pages.js";
import { sloRoutes } from "./slo-routes.js";
import { ssoRoutes } from "./sso-routes.js";
import { DEV_IDP_USERS } from "./users.js";

/** A pending login lives 10 minutes; at most this many wait at once (the oldest go first). */
const PENDING_TTL_MS = 10 * 60_000;
const MAX_PENDING = 1_000;
/** Sessions are kept for logout about as long as a working day. */
const SESSION_TTL_MS = 12 * 3_600_000;
const MAX_SESSIONS = 1_000;
/** A signed AuthnRequest or LogoutRequest posted in a form is a few kilobytes. */
const MAX_BODY_BYTES = 128 * 1024;

/**
 * The development IdP (issue 7): a real SAML 2.0 identity provider, only for development, that
 * signs its Responses with its own certificate and lets anyone log in as one of the test users.
 * Its entityID is the gateway's base URL followed by `/dev-idp`; its metadata is at
 * `/dev-idp/metadata`. Every refusal is an Italian error page with status 400.
 *
 * @example
 * const devIdp = createDevIdp({
 *   baseUrl: () => config.publicUrl,
 *   credential: await createDevIdpCredential(new Date()),
 *   serviceProvider: (entityId) => (entityId === sp.entityId ? sp : undefined),
 * });
 * app.route("/", devIdp.routes);
 */
export function createDevIdp(options: DevIdpOptions): DevIdp {
  const state: IdpState = {
    endpoints: () => devIdpEndpoints(options.baseUrl()),
    now: options.now ?? (() => new Date()),
    credential: options.credential,
    users: options.users ?? DEV_IDP_USERS,
    serviceProvider: options.serviceProvider,
    pending: createExpiringStore<PendingLogin>({ ttlMs: PENDING_TTL_MS, maxEntries: MAX_PENDING }),
    sessions: createExpiringStore<IdpSession>({ ttlMs: SESSION_TTL_MS, maxEntries: MAX_SESSIONS }),
  };
  const metadataXml = () => buildIdpMetadata(state.endpoints(), state.credential);

  const routes = new Hono();
  routes.onError(function devIdpError(error, c) {
    const code = error instanceof DevIdpError ? error.code : "MALFORMED_REQUEST";
    const headers = { ...NO_STORE, "Content-Security-Policy": pageCsp("'none'") };
    return c.html(errorPage(DEV_IDP_ERROR_MESSAGES[code], code), 400, headers);
  });
  routes.use(
    "/dev-idp/*",
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new DevIdpError("MALFORMED_REQUEST", `body over ${MAX_BODY_BYTES} bytes`);
      },
    }),
  );
  routes.get("/dev-idp/metadata", (c) =>
    c.body(metadataXml(), 200, { "Content-Type": "application/samlmetadata+xml; charset=utf-8" }),
  );
  routes.route("/", ssoRoutes(state));
  routes.route("/", sloRoutes(state));

  return { routes, entityId: () => state.endpoints().entityId, metadataXml };
}
