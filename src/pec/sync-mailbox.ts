/**
 * Reading an entity's PEC box (issue 6 "Receipts"): each new message is parsed, its provider
 * signature verified, correlated to a dispatch and stored byte for byte with its SHA-256; then it
 * is moved to `Faccia/Elaborati`, and only then does the box's cursor move past it, so a crash at
 * any point leaves it to be read again (and skipped as already stored: same bytes). The
 * dispatches the pass concerns are recomputed at its end.
 *
 * Nothing read is ever lost, and nothing blocks the box: a message the database refuses is stored
 * as `unreadable` with its raw bytes alone.
 */
import type { Clock } from "../shared/clock.js";
import type { Logger } from "../shared/logger.js";
import type { DispatchRepository } from "./adapters/dispatch-repository.js";
import { isRefusedContent, type ReceivedMessage } from "./adapters/evidence-queries.js";
import type { PecBox, PecSettingsRepository } from "./adapters/pec-settings-repository.js";
import type { MailboxCursor, MailboxReader } from "./domain/mailbox.js";
import { type ReadMessage, readMessage, referencedKeys, storedMessage, unreadableRow } from "./stored-message.js";
import type { DispatchTracker } from "./track-dispatches.js";

export interface MailboxSyncDeps {
  readonly repo: DispatchRepository;
  readonly settings: Pick<PecSettingsRepository, "advanceCursor">;
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
  const { repo, settings, tracker, clock, log } = deps;

  /** Stores a batch; if the database refuses it, message by message, the refused ones as bytes only. */
  async function storeBatch(box: PecBox, reads: readonly ReadMessage[], rows: ReceivedMessage[]): Promise<string[]> {
    try {
      return await repo.storeReceived(box.entityId, rows);
    } catch (error) {
      log.warn({ entity: box.ipaCode, err: error }, "pec batch refused by the database: storing one by one");
    }
    const dispatchIds: string[] = [];
    for (const [index, row] of rows.entries()) {
      try {
        dispatchIds.push(...(await repo.storeReceived(box.entityId, [row])));
      } catch (error) {
        // Only a row refused for its content becomes bytes only; an unavailable database fails the pass.
        if (!isRefusedContent(error)) throw error;
        const read = reads[index] as ReadMessage;
        const problem = { code: "STORE_REFUSED", message: error instanceof Error ? error.message : String(error) };
        await repo.storeReceived(box.entityId, [unreadableRow(box.entityId, read, problem)]);
        log.warn({ entity: box.ipaCode, sha256: read.sha256 }, "pec message stored as bytes only");
      }
    }
    return dispatchIds;
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
        const reads = items.map((item) => readMessage(item, deps.trust));
        const { messageIds, identificativi } = referencedKeys(reads);
        const keys = await repo.keys(box.entityId, messageIds, identificativi);
        const rows = reads.map((one) => storedMessage(box.entityId, one, keys, clock.now()));
        const dispatchIds = await storeBatch(box, reads, rows);
        await reader.markProcessed(items.map((item) => item.key));
        const last = items.at(-1)?.position ?? null;
        if (last !== null) {
          await settings.advanceCursor(box.entityId, last);
          cursor = last;
        }
        for (const id of dispatchIds) touched.add(id);
        read += items.length;
        receipts += rows.filter((row) => row.receipt !== null).length;
        for (const row of rows)
          if (row.dispatchId === null && row.type !== "plain")
            log.info(
              { entity: box.ipaCode, type: row.type, sha256: row.sha256 },
              "pec message not about a dispatch stored",
            );
      }
      // Once for the whole pass (a dispatch's receipts often span batches). Should the process die
      // before this, the next pass's `refreshOpen` finds these dispatches by their newer receipts.
      await tracker.refreshMany([...touched]);
      if (read > 0) log.info({ entity: box.ipaCode, read, receipts, dispatches: touched.size }, "pec mailbox read");
      return { read, receipts, dispatches: touched.size };
    },
  };
}

export type MailboxSync = ReturnType<typeof createMailboxSync>;
