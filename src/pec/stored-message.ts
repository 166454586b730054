/**
 * From a message read in the mailbox to the evidence row that files it (issue 6 "Receipts"): what
 * it is, which dispatch it is about, the receipt the state machine reads, the signature's verdict.
 *
 * Postgres `text` and `jsonb` cannot hold U+0000, which a hostile message can smuggle in through
 * an encoded header (`=?UTF-8?Q?a=00b?=`): such characters are dropped from the fields shown and
 * queried, while the raw bytes, the evidence itself, are stored untouched.
 */
import { createHash } from "node:crypto";
import type { ReceivedMessage } from "./adapters/evidence-queries.js";
import type { MailboxMessage } from "./domain/mailbox.js";
import type { PecParseResult } from "./domain/pec-message.js";
import { correlate, type DispatchKeys, receiptEvent, storeReceipt } from "./domain/receipt-facts.js";
import { parsePecMessage } from "./parse-pec-message.js";

export interface ReadMessage {
  readonly item: MailboxMessage;
  readonly sha256: string;
  readonly parsed: PecParseResult;
}

export function readMessage(item: MailboxMessage, trust: readonly Uint8Array[]): ReadMessage {
  const sha256 = createHash("sha256").update(item.raw).digest("hex");
  return { item, sha256, parsed: parsePecMessage(item.raw, { trust }) };
}

/** The correlation keys a batch of messages names (for one lookup of the dispatches). */
export function referencedKeys(reads: readonly ReadMessage[]): { messageIds: string[]; identificativi: string[] } {
  const messageIds = new Set<string>();
  const identificativi = new Set<string>();
  for (const { parsed } of reads) {
    if (!parsed.ok) continue;
    const { riferimentoMessageId, msgid, identificativo } = parsed.message.references;
    for (const id of [riferimentoMessageId, msgid]) if (id) messageIds.add(id);
    if (identificativo) identificativi.add(identificativo);
  }
  return { messageIds: [...messageIds], identificativi: [...identificativi] };
}

/** Drops U+0000 from every string, deeply (Postgres text and jsonb refuse it). */
export function withoutNul<T>(value: T): T {
  if (typeof value === "string") return value.replaceAll("\u0000", "") as T;
  if (Array.isArray(value)) return value.map(withoutNul) as T;
  if (value !== null && typeof value === "object" && !(value instanceof Uint8Array) && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, withoutNul(field)])) as T;
  }
  return value;
}

/** Only the bytes, when nothing else about the message can be stored. */
export function unreadableRow(
  entityId: string,
  read: Pick<ReadMessage, "item" | "sha256">,
  problem: { code: string; message: string },
): ReceivedMessage {
  const { item, sha256 } = read;
  return {
    entityId,
    raw: item.raw,
    sha256,
    mailboxKey: item.key,
    receivedAt: item.receivedAt,
    type: "unreadable",
    messageId: null,
    subject: null,
    sender: null,
    references: null,
    dispatchId: null,
    verified: false,
    signature: null,
    problems: [withoutNul(problem)],
    receipt: null,
  };
}

export function storedMessage(
  entityId: string,
  read: ReadMessage,
  keys: readonly DispatchKeys[],
  now: Date,
): ReceivedMessage {
  const { item, sha256, parsed } = read;
  if (!parsed.ok) return unreadableRow(entityId, read, parsed.error);
  const message = parsed.message;
  const found = correlate(
    message,
    (id) => keys.find((key) => key.messageId === id),
    (id) => keys.find((key) => key.identificativo === id),
  );
  const event = found ? receiptEvent(message, found.dispatch, sha256, item.receivedAt ?? now) : null;
  const { reasons, signingTime, ...signature } = message.signature;
  return withoutNul({
    entityId,
    raw: item.raw,
    sha256,
    mailboxKey: item.key,
    receivedAt: item.receivedAt,
    dispatchId: found?.dispatch.id ?? null,
    type: message.type,
    messageId: message.references.messageId,
    subject: message.subject,
    sender: message.sender,
    verified: event?.verified ?? false,
    signature: { ...signature, signingTime: signingTime?.toISOString() ?? null, reasons },
    problems: message.problems,
    references: message.references,
    receipt: event ? storeReceipt(event) : null,
  });
}
