/**
 * The human-readable notice of each sandbox receipt (the text/plain part), worded after the
 * providers' notices (DM 2 novembre 2005, Allegato §3–§5; reference/pec.md §2). Informative only:
 * what counts is daticert.xml.
 */

import { PROVIDER_TIME_ZONE, providerTime } from "./provider-time.js";
import type { SandboxReceiptInput } from "./sandbox-receipt.js";

/** CRLF-terminated lines, UTF-8. */
export function receiptNotice(input: SandboxReceiptInput): string {
  const { original } = input;
  const time = providerTime(input.at, input.provider.timeZone ?? PROVIDER_TIME_ZONE);
  const when = `Il giorno ${time.day} alle ore ${time.time} (${time.zone})`;
  const message = `il messaggio "${original.subject}" proveniente da "${original.from}"`;
  const recipient = input.recipient ?? original.to.join(", ");
  const error = input.erroreEsteso === undefined ? [] : [`Errore: ${input.erroreEsteso}`];
  const lines = [TITLE[input.kind], "", `${when} ${message}`, ...BODY[input.kind](recipient, original.to), ...error];
  lines.push(`Identificativo messaggio: ${input.identificativo}`, "");
  return lines.join("\r\n");
}

const TITLE: Readonly<Record<SandboxReceiptInput["kind"], string>> = {
  accettazione: "Ricevuta di accettazione",
  "non-accettazione": "Avviso di non accettazione",
  "avvenuta-consegna": "Ricevuta di avvenuta consegna",
  "errore-consegna": "Avviso di mancata consegna",
  "preavviso-errore-consegna": "Preavviso di mancata consegna",
};

type Body = (recipient: string, to: readonly string[]) => string[];

const BODY: Readonly<Record<SandboxReceiptInput["kind"], Body>> = {
  accettazione: (_, to) => [
    "ed indirizzato a:",
    ...to.map((address) => `${address} ("posta certificata")`),
    "è stato accettato dal sistema ed inoltrato.",
  ],
  "non-accettazione": () => ["non è stato accettato dal sistema per il motivo indicato."],
  "avvenuta-consegna": (recipient) => [
    `ed indirizzato a "${recipient}"`,
    "è stato consegnato nella casella di destinazione.",
  ],
  "errore-consegna": (recipient) => [
    `ed indirizzato a "${recipient}"`,
    "non è stato consegnato per il motivo indicato.",
  ],
  "preavviso-errore-consegna": (recipient) => [
    `ed indirizzato a "${recipient}"`,
    "non è stato ancora consegnato entro le prime 12 ore dall'invio.",
  ],
};
