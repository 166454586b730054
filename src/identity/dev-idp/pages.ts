import { createHash } from "node:crypto";
import { escapeAttribute, escapeText } from "../saml/xml-text.js";
import type { DevIdpUser } from "./users.js";

/**
 * The development IdP's HTML pages, in Italian, each with its Content-Security-Policy: no inline
 * code but one constant script and one constant style sheet, allowed by their hashes (CSP Level 3
 * §2.3.1 hash-source), and forms that may post only where the page means them to.
 */

const STYLE =
  "body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}" +
  ".avviso{border:3px solid #b00020;background:#fdecea;padding:.75rem 1rem;font-weight:600}" +
  "ul{list-style:none;padding:0}li{margin:.5rem 0}" +
  "button{display:block;width:100%;text-align:left;padding:.75rem 1rem;font:inherit;cursor:pointer}" +
  "button span{display:block;font-size:.9rem}.annulla{text-align:center}";
const AUTO_POST_SCRIPT = "document.forms[0].submit();";

const hashSource = (code: string) => `'sha256-${createHash("sha256").update(code).digest("base64")}'`;
const STYLE_SOURCE = hashSource(STYLE);
const SCRIPT_SOURCE = hashSource(AUTO_POST_SCRIPT);

/** CSP for a page without script whose forms post to `formOrigin`. */
export function pageCsp(formOrigin: string): string {
  return `default-src 'none'; style-src ${STYLE_SOURCE}; form-action ${formOrigin}; base-uri 'none'; frame-ancestors 'none'`;
}

/** CSP for the auto-POST page: only its one script, and the form may post only to the ACS's origin. */
export function autoPostCsp(acsUrl: string): string {
  return `default-src 'none'; script-src ${SCRIPT_SOURCE}; form-action ${new URL(acsUrl).origin}; base-uri 'none'; frame-ancestors 'none'`;
}

const WARNING =
  '<p class="avviso" role="alert">Attenzione: questo NON è un vero gestore di identità SPID o CIE. ' +
  "È l'IdP di sviluppo di Faccia: chiunque può entrare come uno degli utenti di prova. Non va mai usato in produzione.</p>";

function page(title: string, body: string): string {
  return (
    '<!DOCTYPE html><html lang="it"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${escapeText(title)}</title><style>${STYLE}</style></head><body><main>${WARNING}${body}</main></body></html>`
  );
}

export const CHOOSER_TITLE = "IdP di sviluppo — scegli un utente di prova";

export interface ChooserPage {
  /** The pending login's key, posted back in a hidden field. */
  readonly key: string;
  readonly continueUrl: string;
  readonly spEntityId: string;
  readonly level: number;
  readonly users: readonly DevIdpUser[];
}

/** The user chooser: one button per test user, and "Annulla". */
export function chooserPage(options: ChooserPage): string {
  const buttons = options.users
    .map(
      (user) =>
        `<li><button type="submit" name="user" value="${escapeAttribute(user.key)}">` +
        `<strong>${escapeText(`${user.name} ${user.familyName}`)}</strong>` +
        `<span>${escapeText(user.roleLabel)}</span>` +
        `<span>Codice fiscale ${escapeText(user.fiscalNumber)}</span></button></li>`,
    )
    .join("");
  return page(
    CHOOSER_TITLE,
    `<h1>${escapeText(CHOOSER_TITLE)}</h1>` +
      `<p>Il servizio <strong>${escapeText(options.spEntityId)}</strong> chiede un accesso con livello SPID ${options.level}.</p>` +
      `<form method="post" action="${escapeAttribute(options.continueUrl)}">` +
      `<input type="hidden" name="key" value="${escapeAttribute(options.key)}">` +
      `<ul>${buttons}</ul>` +
      '<button type="submit" name="cancel" value="1" class="annulla">Annulla</button></form>',
  );
}

/**
 * SAML Bindings §3.5.4: the Response, base64, in a form posted to the ACS with RelayState beside
 * it; the one script submits it, and without JavaScript the user presses the button.
 */
export function autoPostPage(options: { acsUrl: string; samlResponse: string; relayState: string | undefined }) {
  const relayState =
    options.relayState === undefined
      ? ""
      : `<input type="hidden" name="RelayState" value="${escapeAttribute(options.relayState)}">`;
  return (
    '<!DOCTYPE html><html lang="it"><head><meta charset="utf-8"><title>Accesso in corso</title></head><body>' +
    `<form method="post" action="${escapeAttribute(options.acsUrl)}">` +
    `<input type="hidden" name="SAMLResponse" value="${options.samlResponse}">${relayState}` +
    "<noscript><p>Il browser non esegue JavaScript: premere il pulsante per tornare al servizio.</p>" +
    '<button type="submit">Prosegui</button></noscript></form>' +
    `<script>${AUTO_POST_SCRIPT}</script></body></html>`
  );
}

/** The error page: what went wrong in plain Italian and the stable code, never a stack trace. */
export function errorPage(message: string, code: string): string {
  return page(
    "IdP di sviluppo — richiesta non valida",
    "<h1>Richiesta non valida</h1>" +
      `<p>${escapeText(message)}</p><p>Codice dell'errore: <code>${escapeText(code)}</code></p>`,
  );
}
