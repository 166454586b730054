/**
 * The busta di trasporto (DM 2 novembre 2005, Allegato; RFC 6109 §3; reference/pec.md §2–§3):
 * `X-Trasporto: posta-certificata`, subject "POSTA CERTIFICATA: ", daticert
 * `tipo="posta-certificata"`, the accepted message as `postacert.eml`, signed in the shape of
 * `./signed-message.ts` and sent to every recipient.
 *
 * Inside the envelope the original is not byte-identical: like Aruba, Sogei and Namirial, its
 * Message-ID becomes the identificativo and `X-Riferimento-Message-ID` keeps the one submitted.
 */
import type { Signer } from "../../signature/index.js";
import { writeDaticert } from "./daticert-writer.js";
import { addressField, CRLF, onBehalfOf, type ProviderIdentity, whenText } from "./envelope-fields.js";
import { angleAddr, crlf, encodeHeaderText, headerLine } from "./mime-text.js";
import { PROVIDER_TIME_ZONE, providerTime } from "./provider-time.js";
import type { SandboxReceiptOptions } from "./receipt-builder.js";
import { buildSignedMessage, randomToken } from "./signed-message.js";
import type { Submission } from "./submission.js";

export interface TransportEnvelopeInput {
  readonly submission: Omit<Submission, "raw">;
  /** The original as delivered: `deliveredMessage(submission.raw, identificativo, messageId)`. */
  readonly delivered: Uint8Array;
  readonly identificativo: string;
  readonly at: Date;
  readonly provider: ProviderIdentity;
}

/**
 * The original as the recipient gets it: CRLF, every `Message-ID` and `X-Riferimento-Message-ID`
 * field replaced by the identificativo and the submitted Message-ID (reference/pec.md §3).
 */
export function deliveredMessage(raw: Uint8Array, identificativo: string, messageId: string): Uint8Array {
  const text = Buffer.from(crlf(raw)).toString("latin1");
  const end = text.indexOf(CRLF + CRLF);
  const head = end < 0 ? text.replace(/\r\n$/, "") : text.slice(0, end);
  const rest = end < 0 ? CRLF + CRLF : text.slice(end);
  const replaced = new Set(["message-id", "x-riferimento-message-id"]);
  const kept: string[] = [];
  let dropping = false;
  for (const line of head.split(CRLF)) {
    // RFC 5322 §2.2.3: a line starting with white space continues the field above it.
    if (!/^[ \t]/.test(line)) dropping = replaced.has(line.slice(0, line.indexOf(":")).trim().toLowerCase());
    if (!dropping) kept.push(line);
  }
  kept.push(
    headerLine("Message-ID", angleAddr(identificativo)),
    headerLine("X-Riferimento-Message-ID", angleAddr(messageId)),
  );
  return new Uint8Array(Buffer.from(kept.join(CRLF) + rest, "latin1"));
}

/**
 * @example
 * const delivered = deliveredMessage(submission.raw, identificativo, submission.messageId);
 * const envelope = await buildTransportEnvelope({ submission, delivered, identificativo, at, provider }, signer);
 */
export async function buildTransportEnvelope(
  input: TransportEnvelopeInput,
  signer: Signer,
  options: SandboxReceiptOptions = {},
): Promise<Uint8Array> {
  const parts = {
    headers: () => transportHeaders(input),
    notice: transportNotice(input),
    daticert: transportDaticert(input),
    postacert: input.delivered,
    at: input.at,
  };
  return buildSignedMessage(parts, signer, options.randomToken ?? randomToken);
}

/** The busta di trasporto's header block (reference/pec.md §2, as Sogei and Namirial write it). */
function transportHeaders({ submission, provider, identificativo, at }: TransportEnvelopeInput): string[] {
  return [
    headerLine("Message-ID", angleAddr(identificativo)),
    headerLine("Date", providerTime(at, provider.timeZone ?? PROVIDER_TIME_ZONE).rfc5322),
    headerLine("From", onBehalfOf(submission.from, provider.domain)),
    headerLine("Reply-To", angleAddr(submission.replyTo ?? submission.from)),
    ...addressField("To", submission.to),
    ...addressField("Cc", submission.cc),
    headerLine("Subject", encodeHeaderText(`POSTA CERTIFICATA: ${submission.subject}`)),
    headerLine("X-Trasporto", "posta-certificata"),
    headerLine("X-Riferimento-Message-ID", angleAddr(submission.messageId)),
    // Copied from the original when it asked for a type (Sogei does, reference/pec.md §10.2).
    ...(submission.deliveryTypeRequested ? [headerLine("X-TipoRicevuta", submission.deliveryType)] : []),
  ];
}

function transportDaticert({ submission, provider, identificativo, at }: TransportEnvelopeInput): Uint8Array {
  return writeDaticert({
    type: "posta-certificata",
    sender: submission.from,
    recipients: [...submission.to, ...submission.cc].map((address) => ({ address, kind: "certificato" })),
    replyTo: submission.replyTo ?? submission.from,
    subject: submission.subject,
    provider: provider.name,
    at,
    timeZone: provider.timeZone ?? PROVIDER_TIME_ZONE,
    identificativo,
    msgid: submission.messageId,
    receiptDetail: submission.deliveryType,
  });
}

function transportNotice({ submission, provider, identificativo, at }: TransportEnvelopeInput): string {
  return [
    "Messaggio di posta certificata",
    "",
    `${whenText(at, provider.timeZone ?? PROVIDER_TIME_ZONE)} il messaggio`,
    `"${submission.subject}" è stato inviato da "${submission.from}"`,
    "indirizzato a:",
    ...submission.to,
    ...submission.cc,
    "Il messaggio originale è incluso in allegato.",
    `Identificativo messaggio: ${identificativo}`,
    "",
  ].join(CRLF);
}
