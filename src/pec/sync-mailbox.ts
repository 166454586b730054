/**
 * Reading an entity's PEC box (issue 6 "Receipts"): each new message is parsed, its provider
 * signature verified, correlated to a dispatch and stored byte for byte with its SHA-256, in one
 * transaction with the mailbox cursor; only then is it moved to `Faccia/Elaborati`. The dispatches
 * it concerns are recomputed afterwards.
 *
 * A message that cannot be read at all is still stored (type `unreadable`): evidence is never lost.
 */
import { createHash } from "node:crypto";
import type { Clock } from "../shared/clock.js";
import type { Logger } from "../shared/logger.js";
import type { DispatchRepository } from "./adapters/dispatch-repository.js";
import type { ReceivedMessage } from "./adapters/evidence-queries.js";
import type { PecBox } from "./adapters/pec-settings-repository.js";
import type { MailboxCursor, MailboxMessage, MailboxReader } from "./domain/mailbox.js";
import type { PecParseResult } from "./domain/pec-message.js";
import { correlate, type DispatchKeys, receiptEvent, storeReceipt } from "./domain/receipt-facts.js";
import { parsePecMessage } from "./parse-pec-message.js";
import type { DispatchTracker } from "./track-dispatches.js";

export interface MailboxSyncDeps {
  readonly repo: DispatchRepository;
  readonly tracker: DispatchTracker;
  readonly trust: readonly Uint8Array[];
  readonly clock: Clock;
  readonly log: Logger;
  /** Messages per transaction. */
  readonly batchSize?: number;
}

export interface SyncResult {
  readonly read: number;
  readonly receipts: number;
  readonly dispatches: number;
}

export function createMailboxSync(deps: MailboxSyncDeps) {
  const { repo, tracker, clock, log } = deps;

  interface Read {
    readonly item: MailboxMessage;
    readonly sha256: string;
    readonly parsed: PecParseResult;
  }

  function readOne(item: MailboxMessage): Read {
    const sha256 = createHash("sha256").update(item.raw).digest("hex");
    return { item, sha256, parsed: parsePecMessage(item.raw, { trust: deps.trust }) };
  }

  function toStored(box: PecBox, { item, sha256, parsed }: Read, keys: readonly DispatchKeys[]): ReceivedMessage {
    const base = { entityId: box.entityId, raw: item.raw, sha256, mailboxKey: item.key, receivedAt: item.receivedAt };
    if (!parsed.ok) {
      const unreadable = { type: "unreadable", messageId: null, subject: null, sender: null, references: null };
      return {
        ...base,
        ...unreadable,
        dispatchId: null,
        verified: false,
        signature: null,
        problems: [parsed.error],
        receipt: null,
      };
    }
    const message = parsed.message;
    const found = correlate(
      message,
      (id) => keys.find((key) => key.messageId === id),
      (id) => keys.find((key) => key.identificativo === id),
    );
    const event = found ? receiptEvent(message, found.dispatch, sha256, item.receivedAt ?? clock.now()) : null;
    const { reasons, signingTime, ...signature } = message.signature;
    return {
      ...base,
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
    };
  }

  async function keysFor(box: PecBox, reads: readonly Read[]): Promise<DispatchKeys[]> {
    const ids = new Set<string>();
    const identificativi = new Set<string>();
    for (const { parsed } of reads) {
      if (!parsed.ok) continue;
      const { riferimentoMessageId, msgid, identificativo } = parsed.message.references;
      for (const id of [riferimentoMessageId, msgid]) if (id) ids.add(id);
      if (identificativo) identificativi.add(identificativo);
    }
    return repo.keys(box.entityId, [...ids], [...identificativi]);
  }

  return {
    /** Reads everything new in the box, batch by batch, until it is empty. */
    async syncBox(box: PecBox, reader: MailboxReader): Promise<SyncResult> {
      let cursor: MailboxCursor | null = box.cursor;
      let read = 0;
      let receipts = 0;
      const touched = new Set<string>();
      for (;;) {
        const items = await reader.fetch(cursor, deps.batchSize ?? 50);
        if (items.length === 0) break;
        const reads = items.map(readOne);
        const keys = await keysFor(box, reads);
        const stored = reads.map((one) => toStored(box, one, keys));
        const last = items.at(-1)?.position ?? null;
        for (const id of await repo.storeReceived(box.entityId, stored, last)) touched.add(id);
        await reader.markProcessed(items.map((item) => item.key));
        cursor = last ?? cursor;
        read += items.length;
        receipts += stored.filter((message) => message.receipt !== null).length;
        for (const message of stored)
          if (message.dispatchId === null && message.type !== "plain")
            log.info(
              { entity: box.ipaCode, type: message.type, sha256: message.sha256 },
              "pec message not about a dispatch stored",
            );
      }
      await tracker.refreshMany([...touched]);
      if (read > 0) log.info({ entity: box.ipaCode, read, receipts, dispatches: touched.size }, "pec mailbox read");
      return { read, receipts, dispatches: touched.size };
    },
  };
}

export type MailboxSync = ReturnType<typeof createMailboxSync>;
