/**
 * Header fields and notice lines the two envelopes share (`./envelope-builder.ts`,
 * `./anomaly-builder.ts`).
 */
import { angleAddr, headerLine } from "./mime-text.js";
import { providerTime } from "./provider-time.js";
import type { SandboxReceiptInput } from "./sandbox-receipt.js";

export const CRLF = "\r\n";

export type ProviderIdentity = SandboxReceiptInput["provider"];

/** `"Per conto di: <sender>" <posta-certificata@<domain>>` (reference/pec.md §2). */
export function onBehalfOf(sender: string, domain: string): string {
  const name = /["\\]/.test(sender) ? "Per conto di: (mittente non rappresentabile)" : `Per conto di: ${sender}`;
  return `"${name}" ${angleAddr(`posta-certificata@${domain}`)}`;
}

/** `To: <a>,<CRLF> <b>`: one address a line, folded (RFC 5322 §2.2.3), never an overlong line. */
export function addressField(name: string, addresses: readonly string[]): string[] {
  if (addresses.length === 0) return [];
  return [headerLine(name, addresses.map(angleAddr).join(`,${CRLF} `))];
}

/** `Il giorno dd/mm/yyyy alle ore hh:mm:ss (+0100)`, as the providers' notices begin. */
export function whenText(at: Date, timeZone: string): string {
  const time = providerTime(at, timeZone);
  return `Il giorno ${time.day} alle ore ${time.time} (${time.zone})`;
}
