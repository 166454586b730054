import { html, raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";

/**
 * The staff area's pages before the staff app exists (issue 7): the login page with the SPID and
 * CIE buttons, the signed-in page, and the error page the ACS answers refusals with. Server-rendered
 * HTML without scripts (the SPID button's list is a `<details>`), styled after the Designers Italia
 * UI kit (Titillium Web, #0066CC), so a refusal looks like the rest of the app (reference §0.1).
 */

type Page = HtmlEscapedString | Promise<HtmlEscapedString>;

/** Served at {@link STAFF_CSS_PATH}; the pages allow no other style or script source. */
export const STAFF_CSS = `
:root{--blue:#0066cc;--blue-dark:#004d99;--text:#1a1a1a;--muted:#5c6f82;--bg:#f5f7fa;--danger:#b71918;--ok:#00805a}
*{box-sizing:border-box}
body{margin:0;font-family:"Titillium Web",-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--text);background:var(--bg);line-height:1.5;font-size:1.05rem}
header{background:var(--blue);color:#fff;padding:1rem 1.5rem}
header .brand{font-size:1.5rem;font-weight:700;margin:0}
header .tagline{margin:0;opacity:.9}
main{max-width:44rem;margin:2rem auto;padding:0 1rem}
.card{background:#fff;border-radius:4px;box-shadow:0 2px 8px rgba(0,0,0,.08);padding:1.5rem 2rem;margin-bottom:1.5rem}
h1{font-size:1.75rem;margin:0 0 1rem}
h2{font-size:1.25rem;margin:1.5rem 0 .5rem}
p.muted,.muted{color:var(--muted)}
a{color:var(--blue)}
a:focus,button:focus,summary:focus{outline:3px solid #ff9900;outline-offset:2px}
.button,button{display:inline-flex;align-items:center;gap:.75rem;background:var(--blue);color:#fff;border:0;border-radius:4px;padding:.6rem 1.25rem;font:inherit;font-weight:600;text-decoration:none;cursor:pointer;min-height:3rem}
.button:hover,button:hover{background:var(--blue-dark)}
.button.secondary,button.secondary{background:#fff;color:var(--blue);box-shadow:inset 0 0 0 2px var(--blue)}
.spid-button summary{list-style:none}
.spid-button summary::-webkit-details-marker{display:none}
.spid-button ul{list-style:none;margin:.5rem 0 0;padding:0;border:1px solid #d9dadb;border-radius:4px;max-width:22rem;background:#fff}
.spid-button li a{display:block;padding:.6rem 1rem;border-bottom:1px solid #e6e9f2;text-decoration:none;font-weight:600}
.spid-button li:last-child a{border-bottom:0}
.spid-button li a:hover{background:#e6f0fa}
.spid-links{font-size:.9rem;margin:.75rem 0 0}
.spid-links a{margin-right:1rem}
.icon{width:1.75rem;height:1.75rem;flex:none}
.error h1{color:var(--danger)}
.code{font-family:ui-monospace,monospace;font-size:.9rem;color:var(--muted)}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.5rem;border-bottom:1px solid #e6e9f2}
.notice{border-left:4px solid var(--ok);padding:.5rem 1rem;background:#e8f5ef}
.dev{border-left:4px solid #ff9900;padding:.5rem 1rem;background:#fff6e5}
footer{max-width:44rem;margin:0 auto 2rem;padding:0 1rem;color:var(--muted);font-size:.9rem}
`;

export const STAFF_CSS_PATH = "/auth/assets/staff.css";

/** The pages' CSP: our stylesheet, inline SVG only, forms to us (and to `formTargets`, an IdP). */
export function staffPageCsp(formTargets: readonly string[] = []): string {
  return [
    "default-src 'none'",
    "style-src 'self'",
    "img-src 'self' data:",
    `form-action 'self'${formTargets.map((origin) => ` ${origin}`).join("")}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join("; ");
}

function layout(title: string, body: Page): Page {
  return html`<!DOCTYPE html>
<html lang="it">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Faccia</title>
<link rel="stylesheet" href="${STAFF_CSS_PATH}">
<link rel="icon" href="data:,">
</head>
<body>
<header><p class="brand">Faccia</p><p class="tagline">Mettiamoci la faccia: area riservata al personale</p></header>
<main id="contenuto">${body}</main>
<footer>Faccia è software libero (EUPL-1.2) per la customer satisfaction delle pubbliche amministrazioni.</footer>
</body>
</html>`;
}

/** The SPID symbol (a person in a circle), drawn inline: no image request, allowed by the CSP. */
const SPID_ICON = raw(
  '<svg class="icon" viewBox="0 0 32 32" aria-hidden="true" focusable="false"><circle cx="16" cy="16" r="16" fill="#fff"/>' +
    '<circle cx="16" cy="11" r="4.5" fill="#0066cc"/><path d="M8.5 25.5c0-4.4 3.4-7.5 7.5-7.5s7.5 3.1 7.5 7.5z" fill="#0066cc"/></svg>',
);
const CIE_ICON = raw(
  '<svg class="icon" viewBox="0 0 32 32" aria-hidden="true" focusable="false"><rect x="2" y="6" width="28" height="20" rx="3" fill="#fff"/>' +
    '<circle cx="11" cy="15" r="3.5" fill="#0066cc"/><path d="M5.5 23c0-3 2.5-5 5.5-5s5.5 2 5.5 5z" fill="#0066cc"/>' +
    '<rect x="18" y="12" width="9" height="2" fill="#0066cc"/><rect x="18" y="16" width="7" height="2" fill="#0066cc"/></svg>',
);

export interface LoginChoice {
  entityId: string;
  displayName: string;
}

export interface LoginPageInput {
  /** Every SPID IdP of the registry: AgID requires the button to list them all. */
  spid: readonly LoginChoice[];
  /** The CIE IdP, when its metadata is configured. */
  cie?: LoginChoice;
  /** The development IdP, listed apart and marked as such. */
  devIdp?: LoginChoice;
  /** A line shown above the buttons (e.g. after logout). */
  notice?: string;
}

function spidLoginUrl(entityId: string): string {
  return `/auth/spid/login?${new URLSearchParams({ idp: entityId, level: "2" })}`;
}

/**
 * The login page. The SPID button follows AgID's "Entra con SPID" (italia/spid-sp-access-button):
 * label, symbol, the list of every IdP, and the three links (more information, request SPID, help).
 * Level 2 is asked from the start: signing and dispatching need it (issue 7).
 */
export function loginPage(input: LoginPageInput): Page {
  const spidList = input.spid.map(
    (idp) => html`<li><a href="${spidLoginUrl(idp.entityId)}">${idp.displayName}</a></li>`,
  );
  const spid =
    input.spid.length === 0
      ? html`<p class="muted">Nessun gestore di identità SPID configurato (FACCIA_SPID_REGISTRY).</p>`
      : html`<details class="spid-button">
<summary class="button" role="button">${SPID_ICON}<span>Entra con SPID</span></summary>
<ul aria-label="Gestori di identità SPID">${spidList}</ul>
</details>
<p class="spid-links"><a href="https://www.spid.gov.it">Maggiori informazioni</a><a href="https://www.spid.gov.it/cos-e-spid/come-attivare-spid/">Non hai SPID?</a><a href="https://www.spid.gov.it/serve-aiuto">Serve aiuto?</a></p>`;
  const cie = input.cie
    ? html`<h2>Carta d'identità elettronica</h2>
<p><a class="button" href="/auth/cie/login?${new URLSearchParams({ idp: input.cie.entityId, level: "2" })}">${CIE_ICON}<span>Entra con CIE</span></a></p>
<p class="spid-links"><a href="https://www.cartaidentita.interno.gov.it/entra-con-cie/">Maggiori informazioni su Entra con CIE</a></p>`
    : html``;
  const dev = input.devIdp
    ? html`<div class="dev"><h2>Sviluppo</h2>
<p>Questo gateway offre un gestore di identità di prova con utenti fittizi del comune dimostrativo.
Non è SPID: non usarlo in produzione.</p>
<p><a class="button secondary" href="${spidLoginUrl(input.devIdp.entityId)}">Entra con l'IdP di sviluppo</a></p></div>`
    : html``;
  const notice = input.notice ? html`<p class="notice" role="status">${input.notice}</p>` : html``;
  return layout(
    "Accesso",
    html`<div class="card">
<h1>Accedi all'area riservata</h1>
${notice}
<p>Il personale del comune accede con la propria identità digitale.</p>
<h2>SPID</h2>
${spid}
${cie}
</div>
${dev}`,
  );
}

const ROLE_LABELS: Record<string, string> = {
  admin: "Amministratore",
  secretary: "Segretario",
  operator: "Operatore",
  viewer: "Sola lettura",
};

export interface HomePageInput {
  name: string;
  fiscalCode: string;
  federation: "spid" | "cie";
  level: 1 | 2 | 3;
  expiresAt: Date;
  grants: readonly { ipaCode: string; entityName: string; role: string }[];
  csrfToken: string;
  idleMinutes: number;
}

/** The signed-in page: who, where, which roles, and logout (a later issue grows it into the staff app). */
export function homePage(input: HomePageInput): Page {
  const rows = input.grants.map(
    (grant) =>
      html`<tr><td>${grant.entityName}</td><td class="code">${grant.ipaCode}</td><td>${ROLE_LABELS[grant.role] ?? grant.role}</td></tr>`,
  );
  const via = input.federation === "spid" ? "SPID" : "CIE";
  const until = input.expiresAt.toLocaleString("it-IT", {
    timeZone: "Europe/Rome",
    dateStyle: "short",
    timeStyle: "short",
  });
  return layout(
    "Area riservata",
    html`<div class="card">
<h1>Benvenuto, ${input.name}</h1>
<p>Codice fiscale <span class="code">${input.fiscalCode}</span> · accesso con ${via} di livello ${input.level}</p>
<h2>I tuoi enti e ruoli</h2>
<table><thead><tr><th scope="col">Ente</th><th scope="col">Codice IPA</th><th scope="col">Ruolo</th></tr></thead>
<tbody>${rows}</tbody></table>
<p class="muted">La sessione scade dopo ${input.idleMinutes} minuti di inattività e comunque alle ${until}.</p>
<form method="post" action="/auth/logout"><input type="hidden" name="csrf" value="${input.csrfToken}">
<button type="submit" class="secondary">Esci</button></form>
</div>`,
  );
}

export interface ErrorPageInput {
  title: string;
  message: string;
  /** The stable code, shown small for the help desk. */
  code: string;
}

/** The page of a refused login or a bad request: always a 4xx, never a redirect (reference §0.1). */
export function errorPage(input: ErrorPageInput): Page {
  return layout(
    input.title,
    html`<div class="card error" role="alert">
<h1>${input.title}</h1>
<p>${input.message}</p>
<p class="code">Codice: ${input.code}</p>
<p><a class="button" href="/">Torna alla pagina di accesso</a></p>
</div>`,
  );
}
