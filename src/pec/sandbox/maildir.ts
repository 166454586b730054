/**
 * One standard Maildir per mailbox, `<root>/<address>/{cur,new,tmp}` (D. J. Bernstein, "Using
 * maildir format", cr.yp.to/proto/maildir.html), so Dovecot can serve the same directories with
 * `mail_location = maildir:<root>/%u`. A message is written to `tmp/` under a unique name,
 * flushed to disk, then renamed into `new/`: a reader never sees half a message.
 */
import { mkdir, open, readdir, readFile, rename } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";

const SUBDIRECTORIES = ["cur", "new", "tmp"] as const;

/**
 * An address usable as a directory name: RFC 5322 atext without `/` (a path separator), no
 * leading or doubled dot, a dotted domain. Anything else is not a sandbox mailbox.
 */
const MAILBOX_ADDRESS = /^[a-z0-9!#$%&'*+=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+=?^_`{|}~-]+)*@[a-z0-9-]+(\.[a-z0-9-]+)+$/;

/** Whether `address` can name a Maildir (compared lower-cased). */
export function isMailboxAddress(address: string): boolean {
  return address.length <= 254 && MAILBOX_ADDRESS.test(address.toLowerCase());
}

/** `<root>/<address lower-cased>`; refuses an address that is not a plain mailbox address. */
export function mailboxDirectory(root: string, address: string): string {
  if (!isMailboxAddress(address)) throw new TypeError(`"${address}" cannot name a mailbox directory`);
  return join(root, address.toLowerCase());
}

/** The Maildir spec's "Q": how many deliveries this process has made (it makes the name unique). */
let deliveries = 0;

/**
 * Writes `bytes` as a new message of `address`'s Maildir (created on first use) and returns
 * the path of the file in `new/`.
 *
 * @example
 * await deliverToMaildir("./data/pec-sandbox/maildir", "mario.rossi@pec.sandbox.test", raw);
 */
export async function deliverToMaildir(root: string, address: string, bytes: Uint8Array): Promise<string> {
  const box = mailboxDirectory(root, address);
  await Promise.all(SUBDIRECTORIES.map((name) => mkdir(join(box, name), { recursive: true, mode: 0o700 })));
  const name = uniqueName();
  const temporary = join(box, "tmp", name);
  // "wx": never overwrite a file of the same name (the spec's "if tmp/name exists, try again").
  const file = await open(temporary, "wx", 0o600);
  try {
    await file.writeFile(bytes);
    await file.sync();
  } finally {
    await file.close();
  }
  const delivered = join(box, "new", name);
  await rename(temporary, delivered);
  return delivered;
}

/** `<secs>.M<usecs>P<pid>Q<deliveries>.<host>`, the host with `/` and `:` escaped as the spec says. */
function uniqueName(): string {
  deliveries += 1;
  const micros = Math.floor((performance.timeOrigin + performance.now()) * 1000);
  const seconds = Math.floor(micros / 1_000_000);
  const host = hostname().replaceAll("/", "\\057").replaceAll(":", "\\072") || "localhost";
  return `${seconds}.M${micros % 1_000_000}P${process.pid}Q${deliveries}.${host}`;
}

export interface MaildirMessage {
  /** The file's path. */
  readonly path: string;
  readonly bytes: Uint8Array;
}

/**
 * The messages of `address`'s Maildir (`new/` and `cur/`) in delivery order, for tests and
 * demos; none when the box was never written.
 */
export async function readMaildir(root: string, address: string): Promise<MaildirMessage[]> {
  const box = mailboxDirectory(root, address);
  const names = await Promise.all(
    (["new", "cur"] as const).map(async (sub) => {
      try {
        return (await readdir(join(box, sub))).map((name) => join(sub, name));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
        throw error;
      }
    }),
  );
  const ordered = names.flat().sort((a, b) => compareOrder(deliveryOrder(a), deliveryOrder(b)));
  return Promise.all(
    ordered.map(async (name) => ({ path: join(box, name), bytes: new Uint8Array(await readFile(join(box, name))) })),
  );
}

/** `<secs>.M<usecs>P<pid>Q<n>…` → [secs, usecs, n]; names of other writers sort first. */
function deliveryOrder(name: string): number[] {
  const match = /(\d+)\.M(\d+)P\d+Q(\d+)\./.exec(name);
  return match === null ? [0, 0, 0] : [Number(match[1]), Number(match[2]), Number(match[3])];
}

function compareOrder(a: readonly number[], b: readonly number[]): number {
  for (let index = 0; index < a.length; index++) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}
