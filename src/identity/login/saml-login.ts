import { randomBytes } from "node:crypto";
import type { Transaction } from "../../db/index.js";
import type { Clock } from "../../shared/clock.js";
import { hashSecret } from "../../shared/secrets.js";
import type { LoginRepository, LoginStore, PendingLogin } from "../adapters/login-repository.js";
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

/** What login and logout both work with. */
export interface SamlFlowDeps {
  repo: LoginRepository;
  idps: IdpLookup;
  sessions: StaffSessions;
  /** The audit log; `tx` makes the event commit with the change it records. */
  audit: { append(event: AuditEventInput, tx?: Transaction): Promise<unknown> };
  sp: ServiceProviderRuntime;
  clock: Clock;
}

/**
 * The SAML Web Browser SSO profile from the SP's side (SAML Profiles §4.1; AgID "Regole tecniche"
 * single-sign-on.rst): sends the AuthnRequest, remembers it bound to the browser, validates the
 * Response against exactly that request and opens a staff session. Every attempt is written to
 * the log.rst register and the audit log.
 */
export function createSamlLogin(deps: SamlFlowDeps & { clockSkewMs?: number }) {
  const { repo, clock } = deps;

  /** The audit event of a refused login (only for a consumed pending request: anonymous noise is not audited). */
  function refusedEvent(federation: SamlFederation, failure: LoginFailure, pending: PendingLogin, fiscalCode?: string) {
    return {
      actor: fiscalCode ?? "anonymous",
      action: "login_refused" as const,
      subject: pending.id,
      details: {
        federation,
        code: failure.code,
        idp: pending.idpEntityId,
        ...(failure.spidErrorCode ? { spidErrorCode: failure.spidErrorCode } : {}),
      },
    };
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
        // Anyone can post here: logged by the route, not audited (the audit log is forever).
        return {
          ok: false,
          code: "LOGIN_NO_PENDING_REQUEST",
          message: "no pending login for this browser (expired or used)",
        };
      }
      const xml = safeDecode(form.samlResponse);
      /** The log.rst pair and the audit events, in one transaction. */
      const close = (
        outcome: string,
        fiscalCode: string | null,
        events: AuditEventInput[],
        then?: (tx: LoginStore) => Promise<void>,
      ) =>
        repo.transaction(async (tx, handle) => {
          const fields = { ...describeSamlMessage(xml).fields, fiscalCode, outcome, responseXml: xml };
          const request = {
            federation,
            kind: "login" as const,
            idpEntityId: pending.idpEntityId,
            requestId: pending.id,
            requestIssueInstant: pending.issueInstant,
            requestXml: pending.requestXml,
          };
          await tx.openExchange(request, { fields, at: now });
          await then?.(tx);
          for (const event of events) await deps.audit.append(event, handle);
        });
      const refuse = async (failure: LoginFailure, fiscalCode?: string): Promise<LoginFailure> => {
        await close(failure.code, fiscalCode ?? null, [refusedEvent(federation, failure, pending, fiscalCode)]);
        return failure;
      };
      if (form.relayState !== pending.relayState) {
        const message = "RelayState differs from the pending request's";
        return refuse({ ok: false, code: "LOGIN_RELAY_STATE_MISMATCH", message });
      }
      const idp = deps.idps.get(federation, pending.idpEntityId);
      if (!idp) {
        return refuse({
          ok: false,
          code: "LOGIN_UNKNOWN_IDP",
          message: `IdP ${pending.idpEntityId} left the registry`,
        });
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
      if (!result.ok) return refuse(result);
      const fiscalCode = result.attributes.fiscalNumber as string;
      const grants = await repo.grants(fiscalCode);
      if (grants.length === 0) {
        // The fiscal code goes to the audit log (actor), never into the message the app log prints.
        return refuse(
          { ok: false, code: "LOGIN_NO_ROLE", message: "the person has no role in any entity" },
          fiscalCode,
        );
      }
      const name = [result.attributes.name, result.attributes.familyName].filter(Boolean).join(" ") || fiscalCode;
      const user = {
        fiscalCode,
        name,
        federation,
        idpEntityId: idp.entityId,
        level: result.level,
        nameId: result.nameId,
        nameQualifier: idp.entityId,
        sessionIndex: result.sessionIndex ?? null,
      };
      const session = await deps.sessions.prepare(user);
      // One event per entity, so each comune's audit view shows who entered it.
      const events = grants.map((grant) => ({
        actor: fiscalCode,
        action: "login" as const,
        entityId: grant.entityId,
        subject: session.id,
        details: { federation, idp: idp.entityId, level: result.level, role: grant.role },
      }));
      await close("accepted", fiscalCode, events, (tx) => session.store(tx));
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
