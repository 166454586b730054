import type { ExistsEvent, FetchMessageObject, ImapFlow } from "imapflow";
import { waitForFirst } from "../../shared/wait-for-first.js";
import { type MailboxMessage, type MailboxReader, PROCESSED_FOLDER } from "../domain/mailbox.js";
import { createImapSession, type ImapMailboxOptions, type ImapSession } from "./imap-session.js";

export type { ImapMailboxOptions } from "./imap-session.js";

/**
 * The entity's PEC mailbox over IMAP (imapflow): the production reader, and Dovecot in the tests.
 *
 * - Progress is UIDVALIDITY + UID (RFC 3501 §2.3.1.1), never `\Seen`, which a person reading the
 *   box in webmail sets. Our own FETCH asks for `BODY.PEEK[]` (imapflow's `source`), which leaves
 *   `\Seen` alone (RFC 3501 §6.4.5); the inbox is selected read-write only because MOVE needs it.
 * - Processed messages are moved, never deleted, to `Faccia/Elaborati`, built with the server's
 *   hierarchy delimiter and namespace prefix (imapflow joins a path given as an array).
 * - One connection, opened lazily; after it breaks, the next call reconnects.
 *
 * @example
 * const reader = createImapMailbox({ host: "imaps.pec.aruba.it", port: 993, secure: true,
 *   user: "protocollo@pec.comune.example.it", password, logger });
 * const messages = await reader.fetch(cursor, 50);
 */
export function createImapMailbox(options: ImapMailboxOptions): MailboxReader {
  let newMail = false;
  /** Connections on which `Faccia/Elaborati` is known to exist. */
  const withFolder = new WeakSet<ImapFlow>();
  const session = createImapSession(options, () => {
    newMail = true;
  });

  return {
    description: session.description,
    async fetch(cursor, limit) {
      if (limit < 1) return [];
      const client = await session.open();
      newMail = false;
      try {
        return await withInbox(session, client, async () => {
          // A selected mailbox learns of new deliveries at NOOP (RFC 3501 §6.1.2); SEARCH alone may not.
          await client.noop();
          const uidValidity = selectedUidValidity(client);
          const after = cursor?.uidValidity === uidValidity ? cursor.uid : 0;
          const uids = await uidsAfter(client, after, limit);
          return uids.length === 0 ? [] : await fetchMessages(client, uidValidity, uids);
        });
      } catch (error) {
        session.discard();
        throw session.failure(error, "fetch");
      }
    },
    async markProcessed(keys) {
      const wanted = uidsByValidity(keys);
      if (wanted.size === 0) return;
      const client = await session.open();
      try {
        await withInbox(session, client, async () => {
          // Keys of an older UIDVALIDITY name messages the server has renumbered: leave them.
          const uids = wanted.get(selectedUidValidity(client)) ?? [];
          if (uids.length > 0) await moveToProcessed(client, uids, withFolder);
        });
      } catch (error) {
        session.discard();
        throw session.failure(error, `move to ${PROCESSED_FOLDER}`);
      }
    },
    async waitForChange(pollMs, signal) {
      if (signal.aborted || newMail) return;
      const client = await session.open().catch(() => null);
      if (!client?.capabilities.has("IDLE")) return waitForFirst(pollMs, signal, () => () => {});
      try {
        await idleUntilChange(session, client, pollMs, signal);
      } catch {
        session.discard();
      }
    },
    close: () => session.close(),
  };
}

/** Runs `work` with the inbox selected (imapflow's mailbox lock queues other users of the connection). */
async function withInbox<T>(session: ImapSession, client: ImapFlow, work: () => Promise<T>): Promise<T> {
  const lock = await client.getMailboxLock(session.mailbox);
  try {
    return await work();
  } finally {
    lock.release();
  }
}

function selectedUidValidity(client: ImapFlow): string {
  if (!client.mailbox) throw new Error("no mailbox is selected");
  return String(client.mailbox.uidValidity);
}

/** The oldest `limit` UIDs above `after`. */
async function uidsAfter(client: ImapFlow, after: number, limit: number): Promise<number[]> {
  const found = await client.search({ uid: `${after + 1}:*` }, { uid: true });
  if (!Array.isArray(found)) throw new Error("the server refused UID SEARCH");
  // `n:*` always includes the highest UID, even when n is above it (RFC 3501 §6.4.8): filter.
  return found
    .filter((uid) => uid > after)
    .sort((a, b) => a - b)
    .slice(0, limit);
}

async function fetchMessages(client: ImapFlow, uidValidity: string, uids: number[]): Promise<MailboxMessage[]> {
  const found = new Map<number, MailboxMessage>();
  const query = { uid: true, source: true, internalDate: true };
  for await (const message of client.fetch(uids, query, { uid: true })) {
    found.set(message.uid, toMailboxMessage(uidValidity, message));
  }
  // UID order is arrival order; a UID someone moved away since the SEARCH is simply gone.
  return uids.flatMap((uid) => found.get(uid) ?? []);
}

function toMailboxMessage(uidValidity: string, message: FetchMessageObject): MailboxMessage {
  // A message without its body would be skipped for good once the cursor passes it: fail instead.
  if (!message.source) throw new Error(`the server sent no body for UID ${message.uid}`);
  const internalDate = message.internalDate === undefined ? null : new Date(message.internalDate);
  return {
    key: `imap:${uidValidity}:${message.uid}`,
    position: { uidValidity, uid: message.uid },
    raw: message.source,
    receivedAt: internalDate && !Number.isNaN(internalDate.getTime()) ? internalDate : null,
  };
}

/** `imap:<uidValidity>:<uid>` keys grouped by UIDVALIDITY; other keys are not ours and are ignored. */
function uidsByValidity(keys: readonly string[]): Map<string, number[]> {
  const wanted = new Map<string, number[]>();
  for (const key of keys) {
    const match = /^imap:(\d+):(\d+)$/.exec(key);
    if (!match?.[1] || !match[2]) continue;
    const uids = wanted.get(match[1]) ?? [];
    uids.push(Number(match[2]));
    wanted.set(match[1], uids);
  }
  return wanted;
}

/**
 * UID MOVE (RFC 6851) into `Faccia/Elaborati`, created first when missing (RFC 3501 §6.3.3: the
 * server creates the superior `Faccia` too). Without MOVE, imapflow copies, flags the originals
 * `\Deleted` and expunges exactly those UIDs with UID EXPUNGE (RFC 4315 UIDPLUS). A
 * server with neither only gets a COPY: a plain EXPUNGE would also remove messages someone else
 * flagged `\Deleted`, so the originals stay in the inbox and the cursor keeps us past them.
 */
async function moveToProcessed(client: ImapFlow, uids: number[], withFolder: WeakSet<ImapFlow>): Promise<void> {
  const folder = PROCESSED_FOLDER.split("/");
  if (!withFolder.has(client)) {
    await client.mailboxCreate(folder); // an existing folder (NO [ALREADYEXISTS], RFC 5530) is fine
    withFolder.add(client);
  }
  const canMove = client.capabilities.has("MOVE") || client.capabilities.has("UIDPLUS");
  const result = canMove
    ? await client.messageMove(uids, folder, { uid: true })
    : await client.messageCopy(uids, folder, { uid: true });
  if (!result) throw new Error(`the server refused UID ${canMove ? "MOVE" : "COPY"} to ${PROCESSED_FOLDER}`);
}

/**
 * IDLE (RFC 2177) on the inbox until the server announces new mail, `pollMs` passes or `signal`
 * aborts. The poll bound stays even with IDLE: some providers' IDLE silently stops notifying.
 */
async function idleUntilChange(session: ImapSession, client: ImapFlow, pollMs: number, signal: AbortSignal) {
  // IDLE reports changes of the selected mailbox only.
  const lock = await client.getMailboxLock(session.mailbox);
  lock.release();
  let idling: Promise<unknown> = Promise.resolve();
  await waitForFirst(pollMs, signal, (wake) => {
    const onExists = (event: ExistsEvent) => {
      if (event.count > event.prevCount) wake();
    };
    client.on("exists", onExists);
    client.on("close", wake);
    // `false`: the server refused IDLE; keep waiting for the poll instead of spinning.
    idling = client.idle({ whenFree: true }).then((result) => result !== false && wake(), wake);
    return () => {
      client.off("exists", onExists);
      client.off("close", wake);
    };
  });
  // DONE ends the IDLE (imapflow sends it before the next command), so the connection is free again.
  if (client.idling) await client.noop();
  await idling;
}
