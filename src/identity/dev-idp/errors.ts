/**
 * The closed list of reasons the development IdP refuses a request, each with the Italian text of
 * its error page. Every refusal is answered with HTTP 400; the technical detail (`message`) is for
 * tests and logs, never shown.
 */
export const DEV_IDP_ERROR_MESSAGES = {
  MALFORMED_REQUEST: "La richiesta SAML ricevuta non è leggibile o non è completa.",
  UNSIGNED_REQUEST: "La richiesta SAML non è firmata: l'IdP di sviluppo accetta solo richieste firmate.",
  BAD_SIGNATURE: "La firma della richiesta SAML non è valida per il certificato del fornitore di servizi.",
  UNKNOWN_SERVICE_PROVIDER: "Il fornitore di servizi che ha inviato la richiesta non è noto a questo IdP.",
  WRONG_DESTINATION: "La richiesta SAML è indirizzata a un altro destinatario.",
  STALE_REQUEST: "La richiesta SAML ha un orario di emissione non valido o troppo lontano dall'ora attuale.",
  UNSUPPORTED_REQUEST: "La richiesta SAML chiede qualcosa che l'IdP di sviluppo non offre.",
  LOGIN_EXPIRED: "La procedura di accesso è scaduta o è già stata completata. Torna al servizio e riprova.",
  UNKNOWN_USER: "L'utente di prova scelto non esiste.",
  NO_LOGOUT_SERVICE: "Il fornitore di servizi non ha un indirizzo per la disconnessione (SingleLogoutService).",
} as const;

export type DevIdpErrorCode = keyof typeof DEV_IDP_ERROR_MESSAGES;

export class DevIdpError extends Error {
  readonly code: DevIdpErrorCode;

  constructor(code: DevIdpErrorCode, message: string) {
    super(message);
    this.name = "DevIdpError";
    this.code = code;
  }
}

export function refuse(code: DevIdpErrorCode, message: string): never {
  throw new DevIdpError(code, message);
}
