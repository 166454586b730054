import type { Context } from "hono";
import { Hono } from "hono";
import { RELAY_STATE_PATTERN } from "../saml/xml-signature.js";
import { buildLogoutResponse } from "./build-response.js";
import { refuse } from "./errors.js";
import { formFields, type IdpState, NO_STORE, rawQuery } from "./idp-state.js";
import type { InboundRequest } from "./inbound.js";
import { readPostRequest } from "./post-binding.js";
import { readLogoutRequest } from "./read-request.js";
import { readRedirectRequest, redirectResponseUrl } from "./redirect-binding.js";

/**
 * Single logout, SP-initiated (SAML Profiles §4.4.4.1, reference §1.6): the signed LogoutRequest
 * arrives by HTTP-Redirect or HTTP-POST; the IdP forgets the session — and answers Success even
 * when it had none (reference §1.6: "even if already closed") — with a LogoutResponse sent back by
 * HTTP-Redirect to the SP's SingleLogoutService, RelayState unchanged (Bindings §3.4.3).
 */
export function sloRoutes(state: IdpState): Hono {
  const routes = new Hono();
  routes.get("/dev-idp/slo", (c) =>
    logout(c, state, readRedirectRequest(rawQuery(c), "LogoutRequest", state.serviceProvider)),
  );
  routes.post("/dev-idp/slo", async (c) =>
    logout(c, state, readPostRequest(await formFields(c), "LogoutRequest", state.serviceProvider)),
  );
  return routes;
}

function logout(c: Context, state: IdpState, inbound: InboundRequest) {
  const now = state.now();
  const endpoints = state.endpoints();
  const facts = readLogoutRequest(inbound.request, { destination: endpoints.singleLogout, now });
  const sloUrl = inbound.sp.sloUrl;
  if (sloUrl === undefined) return refuse("NO_LOGOUT_SERVICE", `${inbound.sp.entityId} has no SingleLogoutService`);
  // The query signature is computed over our own encoding, which only these characters survive unchanged.
  if (inbound.relayState !== undefined && !RELAY_STATE_PATTERN.test(inbound.relayState)) {
    return refuse("UNSUPPORTED_REQUEST", "RelayState must be [A-Za-z0-9_-] to be sent back by redirect");
  }
  state.sessions.deleteWhere(
    (session) =>
      session.spEntityId === inbound.sp.entityId &&
      (session.nameId === facts.nameId ||
        (session.sessionIndex !== undefined && facts.sessionIndexes.includes(session.sessionIndex))),
  );
  const xml = buildLogoutResponse({
    idpEntityId: endpoints.entityId,
    destination: sloUrl,
    inResponseTo: facts.id,
    now,
  });
  c.header("Cache-Control", NO_STORE["Cache-Control"]);
  c.header("Pragma", NO_STORE.Pragma);
  return c.redirect(redirectResponseUrl(sloUrl, xml, inbound.relayState, state.credential.privateKey), 302);
}
