/**
 * The busta di anomalia (DM 2 novembre 2005, Allegato; reference/pec.md §2): ordinary mail
 * reaching a PEC box is delivered wrapped, `X-Trasporto: errore`, subject "ANOMALIA MESSAGGIO: ",
 * the message as received in `postacert.eml`, signed by the provider, and no daticert: "tali dati
 * non sono stati certificati" (reference [K]; danzipie/go-pec builds it the same way). The
 * original's Message-ID is kept.
 */
import type { Signer } from "../../signature/index.js";
import { addressesOf, decodeHeaderText, headerValue, type MimeHeader, messageIdOf } from "../mime/headers.js";
import { addressField, CRLF, onBehalfOf, type ProviderIdentity, whenText } from "./envelope-fields.js";
import { angleAddr, crlf, encodeHeaderText, headerLine, isAngleAddrText } from "./mime-text.js";
import { PROVIDER_TIME_ZONE, providerTime } from "./provider-time.js";
import type { SandboxReceiptOptions } from "./receipt-builder.js";
import { buildSignedMessage, randomToken } from "./signed-message.js";
import { headerBlockOf } from "./submission.js";

export interface AnomalyEnvelopeInput {
  /** The ordinary message as received. */
  readonly message: Uint8Array;
  /** Why it is not PEC, for the notice ("messaggio di posta ordinaria"). */
  readonly error: string;
  readonly at: Date;
  readonly provider: ProviderIdentity;
}

/** What the envelope repeats of the ordinary message; addresses that cannot be written are left out. */
interface PlainMessage {
  readonly from: string | null;
  readonly to: readonly string[];
  readonly cc: readonly string[];
  readonly replyTo: string | null;
  readonly subject: string;
  readonly messageId: string | null;
}

/**
 * @example
 * const anomaly = await buildAnomalyEnvelope({ message: raw, error: "messaggio non PEC", at, provider }, signer);
 */
export async function buildAnomalyEnvelope(
  input: AnomalyEnvelopeInput,
  signer: Signer,
  options: SandboxReceiptOptions = {},
): Promise<Uint8Array> {
  const token = options.randomToken ?? randomToken;
  const plain = readPlainMessage(headerBlockOf(input.message));
  const parts = {
    headers: () => anomalyHeaders(input, plain, token),
    notice: anomalyNotice(input, plain),
    daticert: null,
    postacert: crlf(input.message),
    at: input.at,
  };
  return buildSignedMessage(parts, signer, token);
}

function readPlainMessage(headers: readonly MimeHeader[]): PlainMessage {
  const addresses = (name: string) => addressesOf(headerValue(headers, name) ?? "").filter(isAngleAddrText);
  const from = addresses("from")[0] ?? null;
  const messageId = messageIdOf(headerValue(headers, "message-id"));
  return {
    from,
    to: addresses("to"),
    cc: addresses("cc"),
    replyTo: addresses("reply-to")[0] ?? from,
    subject: decodeHeaderText(headerValue(headers, "subject") ?? ""),
    messageId: messageId !== null && isAngleAddrText(messageId) ? messageId : null,
  };
}

function anomalyHeaders({ provider, at }: AnomalyEnvelopeInput, plain: PlainMessage, token: () => string): string[] {
  const box = angleAddr(`posta-certificata@${provider.domain}`);
  return [
    headerLine("Message-ID", angleAddr(plain.messageId ?? `sandbox.${token()}@${provider.domain}`)),
    headerLine("Date", providerTime(at, provider.timeZone ?? PROVIDER_TIME_ZONE).rfc5322),
    headerLine("From", plain.from === null ? box : onBehalfOf(plain.from, provider.domain)),
    ...(plain.replyTo === null ? [] : [headerLine("Reply-To", angleAddr(plain.replyTo))]),
    ...addressField("To", plain.to),
    ...addressField("Cc", plain.cc),
    headerLine("Subject", encodeHeaderText(`ANOMALIA MESSAGGIO: ${plain.subject}`)),
    headerLine("X-Trasporto", "errore"),
  ];
}

function anomalyNotice({ provider, at, error }: AnomalyEnvelopeInput, plain: PlainMessage): string {
  return [
    "Anomalia nel messaggio",
    "",
    `${whenText(at, provider.timeZone ?? PROVIDER_TIME_ZONE)} è stato ricevuto`,
    `il messaggio "${plain.subject}" proveniente da "${plain.from ?? "(sconosciuto)"}"`,
    "ed indirizzato a:",
    ...plain.to,
    ...plain.cc,
    "Tali dati non sono stati certificati per il seguente errore:",
    error,
    "Il messaggio originale è incluso in allegato.",
    "",
  ].join(CRLF);
}
