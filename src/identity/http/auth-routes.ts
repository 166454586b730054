import type { Context } from "hono";
import { Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Clock } from "../../shared/clock.js";
import { bodyLimit } from "../../shared/http/body-limit.js";
import type { AppEnv } from "../../shared/http/env.js";
import type { RateLimiter } from "../../shared/rate-limiter.js";
import type { IdpDescriptor } from "../idp-registry/index.js";
import type { LoginFailureCode, SamlLogin } from "../login/saml-login.js";
import type { SamlLogout } from "../login/saml-logout.js";
import type { LiveSession, StaffSessions } from "../login/staff-sessions.js";
import { POST_FORM_SCRIPT_SOURCE, type SamlFederation, type SpidLevel } from "../saml/index.js";
import { type SpidErrorCode, spidErrorMessage } from "../saml/response/index.js";
import { sessionCookieName } from "./staff-auth.js";
import {
  errorPage,
  homePage,
  type LoginChoice,
  loginPage,
  STAFF_CSS,
  STAFF_CSS_PATH,
  staffPageCsp,
} from "./staff-pages.js";

/**
 * Holds the nonce that binds a pending AuthnRequest to this browser; lives as long as the request.
 * `__Host-` behind TLS (RFC 6265bis §4.1.3.2): a sibling subdomain cannot plant its own nonce and
 * log the victim in as the attacker (login CSRF).
 */
const loginCookieName = (secure: boolean) => (secure ? "__Host-faccia_login" : "faccia_login");
const LOGIN_COOKIE_MAX_AGE_S = 15 * 60;
/** A SPID Response is a few kilobytes; the form adds base64 (4/3) and RelayState. */
const SAML_FORM_LIMIT = 512 * 1024;

export interface AuthRoutesDeps {
  login: SamlLogin;
  logout: SamlLogout;
  sessions: StaffSessions;
  idps: { list(federation: SamlFederation): readonly IdpDescriptor[] };
  /** The signed SP metadata of a federation, or why it cannot be made yet (in Italian, for the page). */
  metadata(federation: SamlFederation): Promise<{ xml: string } | { problem: string }>;
  /** The development IdP's entityID, when it is mounted. */
  devIdpEntityId?: () => string;
  /** Behind TLS: cookies `Secure` and `__Host-`, the login cookie `SameSite=None`. */
  secureCookies: boolean;
  clock: Clock;
  /** Login and ACS attempts per minute per client address. */
  limiter: RateLimiter;
  clientAddress: (c: Context) => string;
  /**
   * The one origin the SAML endpoints live on, when the pages must move a browser there first
   * (no FACCIA_PUBLIC_URL: `localhost` and `127.0.0.1` are different sites to the cookies).
   */
  canonicalOrigin?: () => string;
}

const FEDERATIONS = new Set<string>(["spid", "cie"]);

function federationOf(c: Context<AppEnv>): SamlFederation | null {
  const federation = c.req.param("federation") ?? "";
  return FEDERATIONS.has(federation) ? (federation as SamlFederation) : null;
}

/** A page with the staff CSP; errors are answered directly with their status (never a redirect, reference §0.1). */
function page(c: Context<AppEnv>, body: ReturnType<typeof errorPage>, status: 200 | 400 | 403 | 404 | 429 | 503 = 200) {
  c.header("Content-Security-Policy", staffPageCsp());
  c.header("Cache-Control", "no-store");
  return c.html(body, status);
}

const FAILURE_PAGES: Partial<Record<LoginFailureCode, { title: string; message: string }>> = {
  LOGIN_NO_PENDING_REQUEST: {
    title: "Richiesta di accesso scaduta",
    message:
      "La richiesta di accesso non è più valida: è scaduta, è già stata usata o è partita da un altro browser. Riprova dalla pagina di accesso.",
  },
  LOGIN_NO_ROLE: {
    title: "Utente non abilitato",
    message:
      "L'identità è stata verificata, ma il tuo codice fiscale non ha un ruolo in nessun ente. Chiedi all'amministratore del tuo comune di abilitarti.",
  },
  LOGIN_UNKNOWN_IDP: {
    title: "Gestore di identità non riconosciuto",
    message:
      "Il gestore di identità scelto non è tra quelli ammessi. Torna alla pagina di accesso e scegline un altro.",
  },
};

function failurePage(code: LoginFailureCode, spidErrorCode: SpidErrorCode | undefined) {
  const known = FAILURE_PAGES[code];
  if (known) return errorPage({ ...known, code });
  const cancelled = spidErrorCode === 22 || spidErrorCode === 25;
  return errorPage({
    title: cancelled ? "Accesso annullato" : "Accesso non riuscito",
    message: spidErrorMessage(spidErrorCode),
    code: spidErrorCode === undefined ? code : `${code} (ErrorCode nr${spidErrorCode})`,
  });
}

/**
 * The SAML service provider's endpoints (AgID "Regole tecniche"; paths from `spEndpoints`), the
 * login page at `/` and logout. HTML pages, not part of the JSON API.
 */
export function authRoutes(deps: AuthRoutesDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const sessionCookie = sessionCookieName(deps.secureCookies);
  const secure = deps.secureCookies;
  const loginCookie = loginCookieName(secure);
  const loginCookiePath = secure ? "/" : "/auth";

  /** The same page on the canonical origin, when the browser came by another name for this host. */
  function elsewhere(c: Context<AppEnv>): string | null {
    const origin = deps.canonicalOrigin?.();
    if (!origin) return null;
    const url = new URL(c.req.url);
    return url.origin === new URL(origin).origin ? null : `${origin}${url.pathname}${url.search}`;
  }

  /** Too many attempts from one address: a 429 page with Retry-After. */
  function limited(c: Context<AppEnv>) {
    const wait = deps.limiter.take(deps.clientAddress(c));
    if (wait === 0) return null;
    c.header("Retry-After", String(wait));
    const message = "Troppi tentativi di accesso da questo indirizzo. Riprova tra qualche minuto.";
    return page(c, errorPage({ title: "Troppi tentativi", message, code: "RATE_LIMITED" }), 429);
  }

  async function liveSession(c: Context<AppEnv>): Promise<LiveSession | null> {
    const token = getCookie(c, sessionCookie);
    return token ? deps.sessions.resolve(token) : null;
  }

  app.get(STAFF_CSS_PATH, (c) => {
    c.header("Cache-Control", "public, max-age=3600");
    return c.body(STAFF_CSS, 200, { "Content-Type": "text/css; charset=utf-8" });
  });

  app.get("/", async (c) => {
    const move = elsewhere(c);
    if (move) return c.redirect(move, 302);
    const live = await liveSession(c);
    if (live) {
      return page(
        c,
        homePage({
          name: live.session.name,
          fiscalCode: live.session.fiscalCode,
          federation: live.session.federation,
          level: live.session.level,
          expiresAt: live.session.expiresAt,
          grants: live.grants,
          csrfToken: live.csrfToken,
          idleMinutes: Math.round(deps.sessions.idleMs / 60_000),
        }),
      );
    }
    const choice = (idp: IdpDescriptor): LoginChoice => ({ entityId: idp.entityId, displayName: idp.displayName });
    const devEntityId = deps.devIdpEntityId?.();
    const [cie] = deps.idps.list("cie");
    const notice =
      c.req.query("uscita") !== undefined
        ? "Sei uscito dall'area riservata."
        : getCookie(c, sessionCookie)
          ? "La sessione è scaduta: accedi di nuovo."
          : undefined;
    return page(
      c,
      loginPage({
        spid: deps.idps.list("spid").map(choice),
        ...(cie ? { cie: choice(cie) } : {}),
        ...(devEntityId ? { devIdp: { entityId: devEntityId, displayName: "IdP di sviluppo" } } : {}),
        ...(notice ? { notice } : {}),
      }),
    );
  });

  app.get("/auth/:federation/metadata", async (c) => {
    const federation = federationOf(c);
    if (!federation) return c.notFound();
    const metadata = await deps.metadata(federation);
    if ("problem" in metadata) {
      const body = errorPage({
        title: "Metadata non disponibili",
        message: metadata.problem,
        code: "SAML_SP_NOT_CONFIGURED",
      });
      return page(c, body, 503);
    }
    return c.body(metadata.xml, 200, { "Content-Type": "application/samlmetadata+xml; charset=utf-8" });
  });

  app.get("/auth/:federation/login", async (c) => {
    const federation = federationOf(c);
    if (!federation) return c.notFound();
    const move = elsewhere(c);
    if (move) return c.redirect(move, 302);
    const tooMany = limited(c);
    if (tooMany) return tooMany;
    const level = Number(c.req.query("level") ?? "2");
    if (level !== 1 && level !== 2 && level !== 3) {
      const message = "Il livello di sicurezza richiesto deve essere 1, 2 o 3.";
      return page(c, errorPage({ title: "Richiesta non valida", message, code: "LOGIN_LEVEL_INVALID" }), 400);
    }
    const started = await deps.login.start(federation, c.req.query("idp") ?? "", level as SpidLevel);
    if (!started.ok) return page(c, failurePage(started.code, undefined), 400);
    setCookie(c, loginCookie, started.browserNonce, {
      path: loginCookiePath,
      httpOnly: true,
      // The IdP posts the Response cross-site: over TLS the cookie must be SameSite=None to come along.
      sameSite: secure ? "None" : "Lax",
      secure,
      maxAge: LOGIN_COOKIE_MAX_AGE_S,
    });
    c.header("Cache-Control", "no-store");
    if (started.redirectUrl) return c.redirect(started.redirectUrl, 302);
    c.header(
      "Content-Security-Policy",
      `default-src 'none'; script-src ${POST_FORM_SCRIPT_SOURCE}; form-action ${started.idpOrigin}; base-uri 'none'`,
    );
    return c.html(started.postForm?.html ?? "", 200);
  });

  app.post("/auth/:federation/acs", bodyLimit(SAML_FORM_LIMIT), async (c) => {
    const federation = federationOf(c);
    if (!federation) return c.notFound();
    const tooMany = limited(c);
    if (tooMany) return tooMany;
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const text = (value: unknown) => (typeof value === "string" ? value : undefined);
    const nonce = getCookie(c, loginCookie);
    if (nonce !== undefined) deleteCookie(c, loginCookie, { path: loginCookiePath, secure });
    const result = await deps.login.finish(
      federation,
      { samlResponse: text(form.SAMLResponse), relayState: text(form.RelayState) },
      nonce,
    );
    if (!result.ok) {
      c.get("log").warn({ code: result.code, detail: result.message, federation }, "login refused");
      return page(c, failurePage(result.code, result.spidErrorCode), 403);
    }
    c.get("log").info({ session: result.session.id, entities: result.entities, federation }, "staff login");
    // A new login replaces the browser's previous session, which must not stay usable.
    const previous = await liveSession(c);
    if (previous) await deps.sessions.end(previous.session.id);
    setCookie(c, sessionCookie, result.session.token, {
      path: "/",
      httpOnly: true,
      sameSite: "Lax",
      secure,
      maxAge: Math.floor((result.session.expiresAt.getTime() - deps.clock.now().getTime()) / 1000),
    });
    return c.redirect("/", 303);
  });

  app.post("/auth/logout", async (c) => {
    const live = await liveSession(c);
    if (!live) {
      // A dead session's cookie may go; a forged cross-site POST carries no (Lax) cookie and changes nothing.
      if (getCookie(c, sessionCookie) !== undefined) deleteCookie(c, sessionCookie, { path: "/", secure });
      return c.redirect("/?uscita", 303);
    }
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const csrf = typeof form.csrf === "string" ? form.csrf : c.req.header("x-csrf-token");
    if (!deps.sessions.csrfMatches(live, csrf)) {
      const message = "La richiesta di uscita non proviene da questa pagina. Riprova dal pulsante Esci.";
      return page(c, errorPage({ title: "Richiesta non valida", message, code: "AUTH_CSRF_FAILED" }), 403);
    }
    const next = await deps.logout.start(live.session);
    deleteCookie(c, sessionCookie, { path: "/", secure });
    return c.redirect(next ?? "/?uscita", 303);
  });

  app.on(["GET", "POST"], "/auth/:federation/slo", bodyLimit(SAML_FORM_LIMIT), async (c) => {
    const federation = federationOf(c);
    if (!federation) return c.notFound();
    const rawQuery = new URL(c.req.url).search.replace(/^\?/, "");
    const form = c.req.method === "POST" ? await c.req.parseBody().catch(() => ({})) : {};
    const field = (name: string) => {
      const value = (form as Record<string, unknown>)[name];
      return typeof value === "string" ? value : undefined;
    };
    const outcome = await deps.logout.receive(federation, {
      rawQuery,
      samlRequest: field("SAMLRequest"),
      samlResponse: field("SAMLResponse"),
      relayState: field("RelayState"),
    });
    if (outcome.ok) return c.redirect(outcome.redirectUrl, outcome.kind === "response-to-idp" ? 302 : 303);
    c.get("log").warn({ code: outcome.code, detail: outcome.message, federation }, "logout message refused");
    const message = "Il messaggio di uscita ricevuto dal gestore di identità non è valido.";
    return page(c, errorPage({ title: "Uscita non riuscita", message, code: outcome.code }), 400);
  });

  return app;
}
