import type { SpidErrorCode } from "./errors.js";

/**
 * AgID "Tabella messaggi di anomalia" (docs.italia.it, spid-regole-tecniche `messaggi-errore.rst`,
 * reference §1.5): for user-caused anomalies the SP must show a specific, non-technical message
 * (AgID in italia/spid-saml-check#237). Code 30 comes from Avviso SPID n. 18. Every other error is
 * shown with the generic message.
 */
export const SPID_ERROR_MESSAGES: Readonly<Record<SpidErrorCode, string>> = {
  19: "Autenticazione non riuscita: sono stati fatti troppi tentativi con credenziali errate. Riprova più tardi.",
  20: "Autenticazione non riuscita: le tue credenziali SPID non sono adatte al livello di sicurezza richiesto da questo servizio.",
  21: "Autenticazione non riuscita: il tempo a disposizione è scaduto. Riprova.",
  22: "Autenticazione annullata: non hai dato il consenso all'invio dei dati richiesti da questo servizio.",
  23: "Autenticazione non riuscita: la tua identità SPID risulta sospesa o revocata. Contatta il tuo gestore di identità.",
  25: "Autenticazione annullata: hai interrotto la procedura di accesso.",
  30: "Autenticazione non riuscita: il tipo di identità SPID usato non è accettato da questo servizio.",
};

export const GENERIC_LOGIN_ERROR_MESSAGE =
  "Non è stato possibile completare l'accesso con SPID. Riprova; se il problema si ripete, contatta l'ufficio.";

const STATUS_MESSAGE = /^\s*ErrorCode\s+nr\s*0*(\d{1,3})\s*$/i;

/** `StatusMessage` "ErrorCode nr19" → 19, when it is one of the codes the user must be told. */
export function spidErrorCodeOf(statusMessage: string | undefined): SpidErrorCode | undefined {
  const match = statusMessage === undefined ? null : STATUS_MESSAGE.exec(statusMessage);
  const code = match?.[1] === undefined ? undefined : Number(match[1]);
  return code !== undefined && code in SPID_ERROR_MESSAGES ? (code as SpidErrorCode) : undefined;
}

/** The message to show the user for a refused login. */
export function spidErrorMessage(code: SpidErrorCode | undefined): string {
  return code === undefined ? GENERIC_LOGIN_ERROR_MESSAGE : SPID_ERROR_MESSAGES[code];
}
