/**
 * The PEC job (issue 6; DESIGN "jobs: dispatch retries, receipt deadlines"): one pass reads every
 * entity's box, recovers interrupted submissions, sends what is due and judges the deadlines; then
 * it waits for new mail (IMAP IDLE or polling), a new dispatch, or the poll interval. Passes hold a
 * cluster-wide lock, so replicas never read the same box or judge the same deadline twice.
 */
import type { Clock } from "../shared/clock.js";
import type { Logger } from "../shared/logger.js";
import { waitForFirst } from "../shared/wait-for-first.js";
import type { PecBox, PecSettingsRepository } from "./adapters/pec-settings-repository.js";
import type { MailboxReader } from "./domain/mailbox.js";
import type { PecAccountsPort } from "./ports.js";
import type { Outbox } from "./run-outbox.js";
import type { MailboxSync } from "./sync-mailbox.js";
import type { DispatchTracker } from "./track-dispatches.js";

export const PEC_LOCK_KEY = 4_242_006;

export interface PecWorkerDeps {
  readonly settings: PecSettingsRepository;
  readonly accounts: Pick<PecAccountsPort, "mailboxFor">;
  readonly outbox: Outbox;
  readonly sync: MailboxSync;
  readonly tracker: DispatchTracker;
  readonly clock: Clock;
  readonly log: Logger;
  readonly withLock: <T>(key: number, work: () => Promise<T>) => Promise<T>;
  /** Longest wait between passes (the IMAP poll interval). */
  readonly pollMs: number;
}

export function createPecWorker(deps: PecWorkerDeps) {
  const { settings, accounts, outbox, sync, tracker, clock, log } = deps;
  const readers = new Map<string, { address: string; reader: MailboxReader }>();
  let wake: AbortController = new AbortController();
  let stopping = false;
  let loop: Promise<void> | undefined;

  function readerOf(box: PecBox): MailboxReader {
    const known = readers.get(box.entityId);
    if (known && known.address === box.address) return known.reader;
    void known?.reader.close().catch(() => undefined);
    const reader = accounts.mailboxFor(box);
    readers.set(box.entityId, { address: box.address, reader });
    return reader;
  }

  async function readBoxes(): Promise<void> {
    for (const box of await settings.boxes()) {
      try {
        await sync.syncBox(box, readerOf(box));
        await settings.recordSync(box.entityId, clock.now(), null);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        await settings.recordSync(box.entityId, clock.now(), reason);
        log.warn(
          { entity: box.ipaCode, mailbox: readers.get(box.entityId)?.reader.description ?? box.address, reason },
          "pec mailbox not readable",
        );
      }
    }
  }

  /** One full pass; tests call it directly. */
  async function runPass(): Promise<void> {
    await deps.withLock(PEC_LOCK_KEY, async () => {
      await readBoxes();
      await outbox.recover();
      await outbox.runOnce();
      await tracker.refreshOpen();
    });
  }

  /** Until a reader sees new mail, a dispatch is queued (`wake`), or the poll interval ends. */
  async function waitForWork(): Promise<void> {
    const signal = wake.signal;
    await waitForFirst(deps.pollMs, signal, (woken) => {
      for (const { reader } of readers.values()) void reader.waitForChange(deps.pollMs, signal).then(woken);
      return () => undefined;
    });
    // End the other readers' waits (IMAP IDLE) too.
    if (!signal.aborted) wake.abort();
    wake = new AbortController();
  }

  return {
    runPass,
    /** Starts the loop: a pass, then a wait, until `stop`. A failed pass is logged and retried. */
    start(): void {
      loop ??= (async () => {
        while (!stopping) {
          try {
            await runPass();
          } catch (error) {
            log.error({ err: error }, "pec pass failed");
          }
          if (!stopping) await waitForWork();
        }
      })();
    },
    /** A dispatch was queued, or staff asked to refresh: run a pass now. */
    wake(): void {
      wake.abort();
    },
    async stop(): Promise<void> {
      stopping = true;
      wake.abort();
      await loop;
      await Promise.all([...readers.values()].map(({ reader }) => reader.close().catch(() => undefined)));
      readers.clear();
    },
  };
}

export type PecWorker = ReturnType<typeof createPecWorker>;
