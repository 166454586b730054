import { mkdirSync, renameSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";

let deliveries = 0;

/**
 * Delivers one message into `<root>/<address>` the way an MTA does (the Maildir convention): the
 * file is written in `tmp/` and renamed into `new/`, so a reader never sees half a message. The
 * name `<seconds>.M<n>P<pid>.faccia-test` keeps deliveries of this process in order. Private
 * modes (0700 directories, 0600 files) like the sandbox's: Dovecot must read them all the same.
 *
 * @returns the file name in `new/` (also the message's unique name: it has no `:2,` info yet)
 */
export function deliverToMaildir(
  root: string,
  address: string,
  raw: Uint8Array | string,
  options: { receivedAt?: Date } = {},
): string {
  const box = join(root, address);
  for (const folder of ["tmp", "new", "cur"]) mkdirSync(join(box, folder), { recursive: true, mode: 0o700 });
  deliveries += 1;
  const at = options.receivedAt ?? new Date();
  const name = `${Math.floor(at.getTime() / 1000)}.M${deliveries}P${process.pid}.faccia-test`;
  writeFileSync(join(box, "tmp", name), raw, { mode: 0o600 });
  if (options.receivedAt) utimesSync(join(box, "tmp", name), at, at);
  renameSync(join(box, "tmp", name), join(box, "new", name));
  return name;
}

/** An RFC 5322 message with CRLF line ends (the wire form; what PEC providers store and sign). */
export function testMessage(subject: string, body = "Messaggio di prova.", from = "mittente@pec.example.it"): string {
  return [
    `From: ${from}`,
    "To: protocollo@pec.comune.example.it",
    `Subject: ${subject}`,
    `Message-ID: <${subject.replace(/\W+/g, ".")}.${deliveries}@faccia.test>`,
    "Date: Thu, 04 Dec 2025 10:00:00 +0100",
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "",
    body,
    "",
  ].join("\r\n");
}
