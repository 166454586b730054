import { randomBytes } from "node:crypto";
import type { Clock } from "../../shared/clock.js";
import { hashSecret } from "../../shared/secrets.js";
import type { LoginRepository } from "../adapters/login-repository.js";
import type { AuditEventInput } from "../domain/audit-event.js";
import type { IdpDescriptor } from "../idp-registry/index.js";
import {
  buildAuthnRequest,
  newRelayState,
  type PostBindingForm,
  postBindingForm,
  redirectBindingUrl,
  type SamlFederation,
  type SamlSigningCredential,
  type SpidLevel,
  spEndpoints,
} from "../saml/index.js";
import {
  decodeSamlResponse,
  type ResponseFailureCode,
  type SpidErrorCode,
  validateResponse,
} from "../saml/response/index.js";
import { describeSamlMessage } from "./describe-message.js";
import type { OpenedSession, StaffSessions } from "./staff-sessions.js";

/** How long the browser has to come back from the IdP (AgID does not fix it; IdPs time out in minutes). */
export const PENDING_LOGIN_TTL_MS = 15 * 60_000;

/** The SP as a login needs it; the base URL is read lazily (the port may be known only after listen). */
export interface ServiceProviderRuntime {
  entityId(): string;
  baseUrl(): string;
  readonly credential: SamlSigningCredential;
}

export interface IdpLookup {
  get(federation: SamlFederation, entityId: string): IdpDescriptor | undefined;
}

/** Why a login did not open a session; `LOGIN_*` codes are ours, `SAML_*` the validator's. */
export type LoginFailureCode =
  | ResponseFailureCode
  | "LOGIN_UNKNOWN_IDP"
  | "LOGIN_NO_PENDING_REQUEST"
  | "LOGIN_RELAY_STATE_MISMATCH"
  | "LOGIN_NO_ROLE";

export type LoginFailure = {
  ok: false;
  code: LoginFailureCode;
  /** For the log only. */
  message: string;
  spidErrorCode?: SpidErrorCode;
};

export type LoginStart =
  | {
      ok: true;
      /** Goes in the login cookie; its hash binds the pending request to this browser. */
      browserNonce: string;
      /** HTTP-Redirect binding: answer 303 to this URL … */
      redirectUrl?: string;
      /** … or HTTP-POST binding: answer 200 with this page. */
      postForm?: PostBindingForm;
      /** The IdP's origin, for the POST page's `form-action`. */
      idpOrigin: string;
    }
  | LoginFailure;

export type LoginFinish =
  | { ok: true; session: OpenedSession; fiscalCode: string; name: string; entities: string[] }
  | LoginFailure;

export type SamlLogin = ReturnType<typeof createSamlLogin>;

/**
 * The SAML Web Browser SSO profile from the SP's side (SAML Profiles §4.1; AgID "Regole tecniche"
 * single-sign-on.rst): sends the AuthnRequest, remembers it bound to the browser, validates the
 * Response against exactly that request and opens a staff session. Every attempt is written to
 * the log.rst register and the audit log.
 */
export function createSamlLogin(deps: {
  repo: LoginRepository;
  idps: IdpLookup;
  sessions: StaffSessions;
  audit: { append(event: AuditEventInput): Promise<unknown> };
  sp: ServiceProviderRuntime;
  clock: Clock;
  clockSkewMs?: number;
}) {
  const { repo, clock } = deps;

  async function refuse(
    federation: SamlFederation,
    failure: LoginFailure,
    details: { requestId?: string; idp?: string; fiscalCode?: string },
  ): Promise<LoginFailure> {
    await deps.audit.append({
      actor: details.fiscalCode ?? "anonymous",
      action: "login_refused",
      subject: details.requestId ?? null,
      details: {
        federation,
        code: failure.code,
        ...(details.idp ? { idp: details.idp } : {}),
        ...(failure.spidErrorCode ? { spidErrorCode: failure.spidErrorCode } : {}),
      },
    });
    return failure;
  }

  return {
    /** Starts a login with `idpEntityId` at `level` (SpidL1–L3; CIE uses the same URIs). */
    async start(federation: SamlFederation, idpEntityId: string, level: SpidLevel): Promise<LoginStart> {
      const idp = deps.idps.get(federation, idpEntityId);
      const destination = idp?.singleSignOn.redirect ?? idp?.singleSignOn.post;
      if (!idp || destination === undefined) {
        return { ok: false, code: "LOGIN_UNKNOWN_IDP", message: `no ${federation} IdP ${idpEntityId}` };
      }
      const now = clock.now();
      const request = buildAuthnRequest({ spEntityId: deps.sp.entityId(), destination, level, issueInstant: now });
      const relayState = newRelayState();
      const browserNonce = randomBytes(32).toString("base64url");
      const viaRedirect = idp.singleSignOn.redirect !== undefined;
      const postForm = viaRedirect ? undefined : postBindingForm(request, relayState, deps.sp.credential);
      await repo.savePending({
        id: request.id,
        federation,
        idpEntityId,
        level,
        issueInstant: now,
        relayState,
        expiresAt: new Date(now.getTime() + PENDING_LOGIN_TTL_MS),
        browserBinding: hashSecret(browserNonce),
        requestXml: postForm?.signedXml ?? request.xml,
      });
      const idpOrigin = new URL(destination).origin;
      if (postForm) return { ok: true, browserNonce, postForm, idpOrigin };
      return {
        ok: true,
        browserNonce,
        redirectUrl: redirectBindingUrl(request, relayState, deps.sp.credential),
        idpOrigin,
      };
    },

    /** The ACS: the Response the IdP had the browser POST, with the browser's login cookie. */
    async finish(
      federation: SamlFederation,
      form: { samlResponse: string | undefined; relayState: string | undefined },
      browserNonce: string | undefined,
    ): Promise<LoginFinish> {
      const now = clock.now();
      const pending = browserNonce ? await repo.consumePending(hashSecret(browserNonce), now) : null;
      if (!pending || pending.federation !== federation) {
        return refuse(
          federation,
          {
            ok: false,
            code: "LOGIN_NO_PENDING_REQUEST",
            message: "no pending login for this browser (expired or used)",
          },
          {},
        );
      }
      const context = { requestId: pending.id, idp: pending.idpEntityId };
      const xml = safeDecode(form.samlResponse);
      const record = async (outcome: string, accepted?: { fiscalCode: string }) =>
        repo.recordResponse(
          pending.id,
          { ...describeSamlMessage(xml), fiscalCode: accepted?.fiscalCode ?? null, outcome, responseXml: xml },
          now,
        );
      if (form.relayState !== pending.relayState) {
        await record("LOGIN_RELAY_STATE_MISMATCH");
        const message = "RelayState differs from the pending request's";
        return refuse(federation, { ok: false, code: "LOGIN_RELAY_STATE_MISMATCH", message }, context);
      }
      const idp = deps.idps.get(federation, pending.idpEntityId);
      if (!idp) {
        await record("LOGIN_UNKNOWN_IDP");
        const message = `IdP ${pending.idpEntityId} left the registry`;
        return refuse(federation, { ok: false, code: "LOGIN_UNKNOWN_IDP", message }, context);
      }
      const result = await validateResponse(
        form.samlResponse ?? "",
        {
          spEntityId: deps.sp.entityId(),
          acsUrl: spEndpoints(deps.sp.baseUrl(), federation).assertionConsumerService,
          requestId: pending.id,
          requestIssueInstant: pending.issueInstant,
          requestedLevel: pending.level,
          idpEntityId: idp.entityId,
          idpCertificates: idp.signingCertificates,
          // CIE's Response Issuer carries no Format (reference §2, ciespid.rst).
          requireAssertionIssuerFormat: federation === "spid",
        },
        {
          now,
          ...(deps.clockSkewMs === undefined ? {} : { clockSkewMs: deps.clockSkewMs }),
          rememberAssertion: repo.rememberAssertion,
        },
      );
      if (!result.ok) {
        await record(result.code);
        return refuse(federation, result, context);
      }
      const fiscalCode = result.attributes.fiscalNumber as string;
      await record("accepted", { fiscalCode });
      const grants = await repo.grants(fiscalCode);
      if (grants.length === 0) {
        const message = `${fiscalCode} has no role in any entity`;
        return refuse(federation, { ok: false, code: "LOGIN_NO_ROLE", message }, { ...context, fiscalCode });
      }
      const name = [result.attributes.name, result.attributes.familyName].filter(Boolean).join(" ") || fiscalCode;
      const session = await deps.sessions.open({
        fiscalCode,
        name,
        federation,
        idpEntityId: idp.entityId,
        level: result.level,
        nameId: result.nameId,
        nameQualifier: idp.entityId,
        sessionIndex: result.sessionIndex ?? null,
      });
      // One event per entity, so each comune's audit view shows who entered it.
      for (const grant of grants) {
        await deps.audit.append({
          actor: fiscalCode,
          action: "login",
          entityId: grant.entityId,
          subject: session.id,
          details: { federation, idp: idp.entityId, level: result.level, role: grant.role },
        });
      }
      return { ok: true, session, fiscalCode, name, entities: grants.map((grant) => grant.ipaCode) };
    },
  };
}

/** The Response XML for the register; a message that is not even base64 is kept as received. */
function safeDecode(samlResponse: string | undefined): string {
  if (samlResponse === undefined) return "";
  try {
    return decodeSamlResponse(samlResponse, 512 * 1024);
  } catch {
    return samlResponse.slice(0, 64 * 1024);
  }
}
