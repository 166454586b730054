import type { Context } from "hono";
import { Hono } from "hono";
import { newSamlId } from "../saml/index.js";
import { buildCancelledResponse, buildSuccessResponse, type ResponseContext } from "./build-response.js";
import { refuse } from "./errors.js";
import { formFields, type IdpState, NO_STORE, type PendingLogin, rawQuery } from "./idp-state.js";
import type { InboundRequest } from "./inbound.js";
import { autoPostCsp, autoPostPage, chooserPage, pageCsp } from "./pages.js";
import { readPostRequest } from "./post-binding.js";
import { readAuthnRequest } from "./read-request.js";
import { readRedirectRequest } from "./redirect-binding.js";

/**
 * Single sign-on (SAML Profiles §4.1 Web Browser SSO, IdP side): the AuthnRequest arrives by
 * HTTP-Redirect or HTTP-POST, the user picks a test user (or cancels) and the Response goes back
 * to the ACS by HTTP-POST (Profiles §4.1.2: the only binding SPID uses for it).
 */
export function ssoRoutes(state: IdpState): Hono {
  const routes = new Hono();

  routes.get("/dev-idp/sso", (c) =>
    showChooser(c, state, readRedirectRequest(rawQuery(c), "AuthnRequest", state.serviceProvider)),
  );

  routes.post("/dev-idp/sso", async (c) =>
    showChooser(c, state, readPostRequest(await formFields(c), "AuthnRequest", state.serviceProvider)),
  );

  routes.post("/dev-idp/sso/continue", async (c) => {
    const form = await formFields(c);
    const now = state.now();
    const pending = state.pending.take(form.key ?? "", now);
    if (pending === undefined) return refuse("LOGIN_EXPIRED", "unknown, expired or used pending login");
    const sp = state.serviceProvider(pending.spEntityId);
    if (sp === undefined) return refuse("UNKNOWN_SERVICE_PROVIDER", `unknown SP ${pending.spEntityId}`);
    const context: ResponseContext = {
      idpEntityId: state.endpoints().entityId,
      spEntityId: sp.entityId,
      acsUrl: sp.acsUrl,
      inResponseTo: pending.requestId,
      now,
      credential: state.credential,
    };
    const xml =
      form.cancel === undefined ? answerWithUser(state, pending, context, form.user) : buildCancelledResponse(context);
    const html = autoPostPage({
      acsUrl: sp.acsUrl,
      samlResponse: Buffer.from(xml, "utf8").toString("base64"),
      relayState: pending.relayState,
    });
    return c.html(html, 200, { ...NO_STORE, "Content-Security-Policy": autoPostCsp(sp.acsUrl) });
  });

  return routes;
}

/** Checks the verified AuthnRequest, remembers it under a random key and shows the user chooser. */
function showChooser(c: Context, state: IdpState, inbound: InboundRequest) {
  const now = state.now();
  const endpoints = state.endpoints();
  const facts = readAuthnRequest(inbound.request, inbound.sp, { destination: endpoints.singleSignOn, now });
  // ForceAuthn (SAML Core §3.4.1) needs nothing more: this IdP keeps no login and always asks.
  const pending: PendingLogin = {
    spEntityId: inbound.sp.entityId,
    requestId: facts.id,
    level: facts.level,
    relayState: inbound.relayState,
  };
  const key = state.pending.add(pending, now);
  const html = chooserPage({
    key,
    continueUrl: endpoints.continueLogin,
    spEntityId: inbound.sp.entityId,
    level: facts.level,
    users: state.users,
  });
  return c.html(html, 200, { ...NO_STORE, "Content-Security-Policy": pageCsp(new URL(endpoints.entityId).origin) });
}

function answerWithUser(state: IdpState, pending: PendingLogin, context: ResponseContext, key: string | undefined) {
  const user = state.users.find((candidate) => candidate.key === key);
  if (user === undefined) return refuse("UNKNOWN_USER", `no test user ${key ?? "(none)"}`);
  const nameId = newSamlId();
  const sessionIndex = pending.level === 1 ? newSamlId() : undefined;
  state.sessions.set(nameId, { spEntityId: context.spEntityId, nameId, sessionIndex }, context.now);
  return buildSuccessResponse(context, { user, level: pending.level, nameId, sessionIndex });
}
