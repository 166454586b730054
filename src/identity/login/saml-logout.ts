import type { SessionRecord } from "../adapters/login-repository.js";
import {
  buildLogoutRequest,
  buildLogoutResponse,
  isEchoableRelayState,
  parseLogoutRequest,
  parseLogoutResponse,
  readPostMessage,
  readRedirectMessage,
  redirectUrl,
  type SamlFederation,
  spEndpoints,
} from "../saml/index.js";
import { describeSamlMessage } from "./describe-message.js";
import type { SamlFlowDeps } from "./saml-login.js";

/** What the SLO endpoint received: a Redirect-binding query, or the fields of a POST-binding form. */
export interface ReceivedLogoutMessage {
  rawQuery: string;
  samlRequest?: string | undefined;
  samlResponse?: string | undefined;
  relayState?: string | undefined;
}

export type LogoutOutcome =
  | { ok: true; kind: "response-to-idp" | "done"; redirectUrl: string }
  | { ok: false; code: string; message: string };

/** Where the browser lands after a logout the SP started (or a message it could not place). */
const LOGGED_OUT_PAGE = "/?uscita";

export type SamlLogout = ReturnType<typeof createSamlLogout>;

/**
 * Logout (issue 7; AgID single-logout.rst, SAML Profiles §4.4). The local session always ends
 * first. SPID: the SP-initiated LogoutRequest goes to the IdP over HTTP-Redirect, and the IdP's
 * own LogoutRequests are accepted at the SLO endpoint and answered. CIE: local logout only, as
 * the CIE IdP does not support SAML SLO (reference §2).
 */
export function createSamlLogout(deps: SamlFlowDeps) {
  const { repo, clock } = deps;

  const logoutEvent = (fiscalCode: string, subject: string, details: Record<string, string>) => ({
    actor: fiscalCode,
    action: "logout" as const,
    subject,
    details,
  });

  /** Reads and verifies a message with the certificates of the IdP that claims to have sent it. */
  function readMessage(
    federation: SamlFederation,
    message: ReceivedLogoutMessage,
    parameter: "SAMLRequest" | "SAMLResponse",
  ) {
    const viaPost = (parameter === "SAMLRequest" ? message.samlRequest : message.samlResponse) !== undefined;
    const unverified = viaPost
      ? unverifiedPost(parameter === "SAMLRequest" ? message.samlRequest : message.samlResponse)
      : readRedirectMessage(withoutSignature(message.rawQuery), parameter, [], { requireSignature: false });
    if (!unverified.ok) return unverified;
    const issuer = describeSamlMessage(unverified.xml).fields.responseIssuer ?? "";
    const idp = deps.idps.get(federation, issuer);
    if (!idp) return { ok: false as const, code: "SAML_WRONG_ISSUER", message: `no ${federation} IdP ${issuer}` };
    const verified = viaPost
      ? readPostMessage(
          (parameter === "SAMLRequest" ? message.samlRequest : message.samlResponse) ?? "",
          idp.signingCertificates,
        )
      : readRedirectMessage(message.rawQuery, parameter, idp.signingCertificates);
    if (!verified.ok) return verified;
    const relayState: string | undefined = viaPost
      ? message.relayState
      : (verified as { relayState?: string | undefined }).relayState;
    return { ok: true as const, xml: verified.xml, header: describeSamlMessage(verified.xml), idp, relayState };
  }

  return {
    /** Ends the session; returns the IdP URL to send the browser to, or null when logout is local only. */
    async start(session: SessionRecord): Promise<string | null> {
      const now = clock.now();
      const idp = session.federation === "spid" ? deps.idps.get(session.federation, session.idpEntityId) : undefined;
      const slo = idp?.singleLogout.redirect;
      const request =
        idp && slo
          ? buildLogoutRequest({
              spEntityId: deps.sp.entityId(),
              destination: slo.location,
              nameId: session.nameId,
              nameQualifier: session.nameQualifier ?? idp.entityId,
              ...(session.sessionIndex ? { sessionIndex: session.sessionIndex } : {}),
              issueInstant: now,
            })
          : undefined;
      await repo.transaction(async (tx, handle) => {
        await tx.endSession(session.id, now);
        if (idp && request) {
          await tx.openExchange({
            federation: session.federation,
            kind: "logout",
            idpEntityId: idp.entityId,
            requestId: request.id,
            requestIssueInstant: now,
            requestXml: request.xml,
          });
        }
        const details = { federation: session.federation, initiator: "user" };
        await deps.audit.append(logoutEvent(session.fiscalCode, session.id, details), handle);
      });
      // CIE (no SAML SLO, reference §2) and IdPs without a Redirect SLO: the logout is local.
      if (!slo || !request) return null;
      return redirectUrl(slo.location, "SAMLRequest", request.xml, undefined, deps.sp.credential);
    },

    /** The SLO endpoint: the IdP's answer to our LogoutRequest, or its own LogoutRequest. */
    async receive(federation: SamlFederation, message: ReceivedLogoutMessage): Promise<LogoutOutcome> {
      const now = clock.now();
      const sloUrl = spEndpoints(deps.sp.baseUrl(), federation).singleLogoutService;
      const isResponse = message.samlResponse !== undefined || /(?:^|&)SAMLResponse=/.test(message.rawQuery);
      if (isResponse) {
        const read = readMessage(federation, message, "SAMLResponse");
        if (!read.ok) return read;
        const key = {
          kind: "logout" as const,
          idpEntityId: read.idp.entityId,
          requestId: read.header.inResponseTo ?? "",
        };
        const exchange = await repo.exchange(key);
        if (!exchange || exchange.respondedAt) {
          return { ok: false, code: "SAML_WRONG_IN_RESPONSE_TO", message: `no open logout request ${key.requestId}` };
        }
        const parsed = parseLogoutResponse(read.xml, {
          idpEntityId: read.idp.entityId,
          requestId: key.requestId,
          sloUrl,
          now,
        });
        const outcome = parsed.ok ? (parsed.partial ? "partial" : "accepted") : parsed.code;
        const fields = { ...read.header.fields, fiscalCode: null, outcome, responseXml: read.xml };
        if (!(await repo.recordResponse(key, fields, now))) {
          return {
            ok: false,
            code: "SAML_WRONG_IN_RESPONSE_TO",
            message: `logout request ${key.requestId} already answered`,
          };
        }
        // The local session ended before the request left: a failed IdP logout changes nothing here.
        return { ok: true, kind: "done", redirectUrl: LOGGED_OUT_PAGE };
      }
      const read = readMessage(federation, message, "SAMLRequest");
      if (!read.ok) return read;
      const parsed = parseLogoutRequest(read.xml, { idpEntityId: read.idp.entityId, sloUrl, now });
      if (!parsed.ok) return parsed;
      const slo = read.idp.singleLogout.redirect;
      if (!slo) return { ok: false, code: "SAML_NO_SLO_ENDPOINT", message: `${read.idp.entityId} has no SLO Redirect` };
      const destination = slo.responseLocation ?? slo.location;
      const response = buildLogoutResponse({
        spEntityId: deps.sp.entityId(),
        destination,
        inResponseTo: parsed.id,
        issueInstant: now,
        // single-logout.rst: the session is closed even if it was already closed.
        status: "success",
      });
      const idpEntityId = read.idp.entityId;
      const recorded = await repo
        .transaction(async (tx, handle) => {
          const ended = await tx.endSessionsByNameId(idpEntityId, parsed.nameId, parsed.sessionIndexes, now);
          const fields = {
            ...describeSamlMessage(response.xml).fields,
            fiscalCode: ended[0] ?? null,
            outcome: "accepted",
            responseXml: response.xml,
          };
          const request = {
            federation,
            kind: "logout" as const,
            idpEntityId,
            requestId: parsed.id,
            requestIssueInstant: now,
            requestXml: read.xml,
          };
          // A LogoutRequest whose ID the IdP already used is a replay: nothing is ended or written.
          if (!(await tx.openExchange(request, { fields, at: now }))) throw new ReplayedLogout();
          for (const fiscalCode of ended) {
            await deps.audit.append(logoutEvent(fiscalCode, parsed.id, { federation, initiator: "idp" }), handle);
          }
          return true;
        })
        .catch((error: unknown) => {
          if (error instanceof ReplayedLogout) return false;
          throw error;
        });
      if (!recorded)
        return { ok: false, code: "SAML_DUPLICATE_ID", message: `LogoutRequest ${parsed.id} was already received` };
      // Echoed unchanged (Bindings §3.4.3); one that breaks the binding's limit is dropped, not fatal.
      const relayState =
        read.relayState !== undefined && isEchoableRelayState(read.relayState) ? read.relayState : undefined;
      return {
        ok: true,
        kind: "response-to-idp",
        redirectUrl: redirectUrl(destination, "SAMLResponse", response.xml, relayState, deps.sp.credential),
      };
    },
  };
}

/** Rolls back an IdP-initiated logout whose request ID was seen before. */
class ReplayedLogout extends Error {}

/** The query without its signature: read once unverified, only to learn which IdP's keys to verify it with. */
function withoutSignature(rawQuery: string): string {
  return rawQuery
    .split("&")
    .filter((pair) => !/^(?:Signature|SigAlg)=/.test(pair))
    .join("&");
}

/** The XML of a POST-binding field before its signature is checked (only to learn the Issuer). */
function unverifiedPost(
  field: string | undefined,
): { ok: true; xml: string } | { ok: false; code: string; message: string } {
  const xml = Buffer.from(field ?? "", "base64").toString("utf8");
  return xml.startsWith("<") || xml.startsWith("\uFEFF<")
    ? { ok: true, xml }
    : { ok: false, code: "SAML_BAD_ENCODING", message: "the message is not base64 XML" };
}
