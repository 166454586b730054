/**
 * Builds the raw PEC message of a dispatch with nodemailer's MIME composer, once, before it is
 * committed to the outbox: the stored bytes are exactly what the worker submits, and they are the
 * sent message's evidence (issue 6).
 *
 * RFC 6109 §3.1.1 and reference/pec.md §6: From is the authenticated box, recipients only in To/Cc
 * (no Bcc), our own Message-ID, and no delivery-status or read-receipt requests (a DSN request
 * comes back from some providers as an "ANOMALIA MESSAGGIO").
 */
import MailComposer from "nodemailer/lib/mail-composer/index.js";
import type { DispatchAttachment, DispatchRecipient } from "../domain/dispatch-message.js";

export interface ComposeInput {
  readonly messageId: string;
  readonly from: string;
  readonly recipients: readonly DispatchRecipient[];
  readonly subject: string;
  readonly text: string;
  readonly date: Date;
  readonly attachments: ReadonlyArray<DispatchAttachment & { readonly content: Uint8Array }>;
}

function mailbox(recipient: DispatchRecipient) {
  return { name: recipient.name, address: recipient.address };
}

export async function composeDispatchMessage(input: ComposeInput): Promise<Uint8Array> {
  const primary = input.recipients.filter((recipient) => !recipient.copy).map(mailbox);
  const copies = input.recipients.filter((recipient) => recipient.copy).map(mailbox);
  // A PEC message needs at least one To (RFC 6109 §3.1.1): when only Cc recipients are left (a
  // redispatch to those still missing it), they become the To.
  const [to, cc] = primary.length > 0 ? [primary, copies] : [copies, []];
  const composer = new MailComposer({
    from: input.from,
    to,
    ...(cc.length > 0 ? { cc } : {}),
    subject: input.subject,
    text: input.text,
    date: input.date,
    messageId: `<${input.messageId}>`,
    // The report files are bytes we hand over; nothing is read from disk or fetched by URL.
    disableFileAccess: true,
    disableUrlAccess: true,
    attachments: input.attachments.map((file) => ({
      filename: file.filename,
      content: Buffer.from(file.content),
      contentType: file.contentType,
    })),
  });
  const built = await composer.compile().build();
  return new Uint8Array(built.buffer, built.byteOffset, built.byteLength);
}
