import { type FSWatcher, watch } from "node:fs";
import { mkdir, readdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { waitForFirst } from "../../shared/wait-for-first.js";
import {
  type MailboxMessage,
  type MailboxReader,
  MailboxUnavailableError,
  PROCESSED_FOLDER,
} from "../domain/mailbox.js";

export interface MaildirMailboxOptions {
  /** The directory holding one Maildir per address (the sandbox's, and Dovecot's `mail_location`). */
  readonly root: string;
  /** The PEC address: its Maildir is `<root>/<address lower-cased>`, as the sandbox and Dovecot (`%Lu`) name it. */
  readonly address: string;
}

/** A message file in `new/` or `cur/`: `<time>.<unique>.<host>[:2,<flags>]` (the Maildir convention). */
interface MaildirEntry {
  readonly folder: "new" | "cur";
  readonly name: string;
  /** The name before `:`: stable while the file moves between folders and gains flags. */
  readonly unique: string;
  /** Seconds since the epoch at delivery: the name's leading number, plus `M<microseconds>` when present. */
  readonly time: number;
}

/** Dovecot's Maildir++ directory for `Faccia/Elaborati` with its default `.` separator. */
const PROCESSED_DIRECTORY = `.${PROCESSED_FOLDER.split("/").join(".")}`;

/**
 * The PEC mailbox as a Maildir read directly: the embedded default, where the sandbox provider
 * writes `<root>/<address>/{tmp,new,cur}` on this machine. The inbox's content is the state, so
 * the cursor is ignored and positions are null. Processed messages move to the Maildir++ folder
 * Dovecot would use for `Faccia/Elaborati` (`.Faccia.Elaborati/cur`), so the same folder shows up
 * if Dovecot later serves this Maildir. Nothing is ever deleted.
 *
 * @example
 * const reader = createMaildirMailbox({ root: join(dataDir, "pec-sandbox"), address: "protocollo@pec.example.it" });
 */
export function createMaildirMailbox(options: MaildirMailboxOptions): MailboxReader {
  const box = join(options.root, checkedAddress(options.address));
  let seenInNew = new Set<string>();

  return {
    description: box,
    async fetch(_cursor, limit) {
      try {
        const [fresh, current] = await Promise.all([messageFiles(box, "new"), messageFiles(box, "cur")]);
        seenInNew = new Set(fresh.map((entry) => entry.name));
        const messages: MailboxMessage[] = [];
        for (const entry of oldestFirst([...fresh, ...current])) {
          if (messages.length >= limit) break;
          const message = await readMessage(box, entry);
          if (message) messages.push(message);
        }
        return messages;
      } catch (error) {
        throw new MailboxUnavailableError(`Maildir ${box} cannot be read`, { cause: error });
      }
    },
    async markProcessed(keys) {
      const wanted = new Set(keys.flatMap((key) => (key.startsWith("maildir:") ? [key.slice("maildir:".length)] : [])));
      if (wanted.size === 0) return;
      try {
        const target = await processedFolder(box);
        const entries = [...(await messageFiles(box, "new")), ...(await messageFiles(box, "cur"))];
        for (const entry of entries.filter((candidate) => wanted.has(candidate.unique))) {
          // rename(2) within one file system: the message is in exactly one folder at any time.
          await ignoreMissing(rename(join(box, entry.folder, entry.name), join(target, "cur", curName(entry))));
        }
      } catch (error) {
        throw new MailboxUnavailableError(`Maildir ${box}: cannot move to ${PROCESSED_FOLDER}`, { cause: error });
      }
    },
    waitForChange(pollMs, signal) {
      return waitForFirst(pollMs, signal, (wake) => {
        const watcher: FSWatcher = watch(join(box, "new"), () => wake());
        watcher.on("error", () => watcher.close());
        // A file delivered between the last fetch and this watch: do not wait for the poll.
        messageFiles(box, "new").then(
          (files) => files.some((entry) => !seenInNew.has(entry.name)) && wake(),
          () => {}, // unreadable now: the poll bound still ends the wait, and fetch reports the error
        );
        return () => watcher.close();
      });
    },
    async close() {},
  };
}

function checkedAddress(address: string): string {
  if (address === "" || address === "." || address === ".." || /[/\\\0]/.test(address)) {
    throw new Error(`not a usable Maildir name: ${JSON.stringify(address)}`);
  }
  return address.toLowerCase();
}

/** By delivery time, then by name: the order the sandbox delivered them in. */
function oldestFirst(entries: MaildirEntry[]): MaildirEntry[] {
  return entries.sort((a, b) => a.time - b.time || (a.unique < b.unique ? -1 : a.unique > b.unique ? 1 : 0));
}

async function messageFiles(box: string, folder: "new" | "cur"): Promise<MaildirEntry[]> {
  const names = (await ignoreMissing(readdir(join(box, folder)))) ?? [];
  return names
    .filter((name) => !name.startsWith("."))
    .map((name) => {
      const unique = name.split(":", 1)[0] ?? name;
      return { folder, name, unique, time: deliveryTime(unique) };
    });
}

/** `1733330000.M123456P42.host` → 1733330000.123456; names that do not start with a time sort last. */
function deliveryTime(unique: string): number {
  const match = /^(\d+)(?:\.[^.]*?M(\d{1,6})(?!\d))?/.exec(unique);
  if (!match?.[1]) return Number.MAX_SAFE_INTEGER;
  return Number(match[1]) + (match[2] ? Number(match[2]) / 1e6 : 0);
}

/** Null when the file went away since the listing (another reader moved it): the next fetch sees it. */
async function readMessage(box: string, entry: MaildirEntry): Promise<MailboxMessage | null> {
  const path = join(box, entry.folder, entry.name);
  const [raw, info] = await Promise.all([ignoreMissing(readFile(path)), ignoreMissing(stat(path))]);
  if (!raw || !info) return null;
  return { key: `maildir:${entry.unique}`, position: null, raw, receivedAt: info.mtime };
}

/** Creates `.Faccia.Elaborati/{cur,new,tmp}` and its `maildirfolder` marker (Maildir++), as Dovecot does. */
async function processedFolder(box: string): Promise<string> {
  const folder = join(box, PROCESSED_DIRECTORY);
  for (const sub of ["cur", "new", "tmp"]) await mkdir(join(folder, sub), { recursive: true });
  await writeFile(join(folder, "maildirfolder"), "", { flag: "a" });
  return folder;
}

/** A message in `cur/` carries the info `:2,<flags>`; one from `new/` gets an empty flag set. */
function curName(entry: MaildirEntry): string {
  return entry.folder === "cur" && entry.name.includes(":") ? entry.name : `${entry.unique}:2,`;
}

async function ignoreMissing<T>(operation: Promise<T>): Promise<T | null> {
  try {
    return await operation;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}
