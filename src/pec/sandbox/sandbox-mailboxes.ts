/**
 * Which mailboxes the sandbox provider has, and their passwords: either a fixed list (the
 * `--users` file), or every address of the sandbox domain with one shared password. Passwords
 * are compared in constant time and never leave this file.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { isMailboxAddress } from "./maildir.js";

export interface SandboxMailboxes {
  readonly domain: string;
  /** The mailbox `username` logs in as (lower-cased), or null when the credentials are wrong. */
  authenticate(username: string, password: string): string | null;
  /** Whether the provider keeps a mailbox for `address` (else an avviso di mancata consegna). */
  exists(address: string): boolean;
  /** Whether `address` belongs to the provider (a domain it serves). */
  isLocal(address: string): boolean;
}

export interface SandboxMailboxesOptions {
  readonly domain: string;
  /** address → password; when given, only these boxes exist. */
  readonly users?: ReadonlyMap<string, string>;
  /** The password of every box in the domain when there is no users map. */
  readonly password: string;
}

export function sandboxMailboxes(options: SandboxMailboxesOptions): SandboxMailboxes {
  const domain = options.domain.toLowerCase();
  const users = new Map([...(options.users ?? [])].map(([address, password]) => [address.toLowerCase(), password]));
  const fixed = options.users !== undefined;
  const domainOf = (address: string) => address.slice(address.lastIndexOf("@") + 1).toLowerCase();
  const exists = (address: string) => {
    const box = address.toLowerCase();
    if (!isMailboxAddress(box)) return false;
    return fixed ? users.has(box) : domainOf(box) === domain;
  };
  return {
    domain,
    exists,
    isLocal: (address) => domainOf(address) === domain || users.has(address.toLowerCase()),
    authenticate(username, password) {
      const box = username.toLowerCase();
      if (!exists(box)) return null;
      const expected = fixed ? users.get(box) : options.password;
      return expected !== undefined && samePassword(password, expected) ? box : null;
    },
  };
}

/** Compares digests, so neither the length nor the content leaks through timing. */
function samePassword(given: string, expected: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * The `--users` file: one `address password` per line; blank lines and `#` comments are
 * skipped. A malformed line is an error that names it.
 *
 * @example
 * parseSandboxUsers("# boxes\nprotocollo@pec.sandbox.test s3cret\n"); // Map { "protocollo@…" => "s3cret" }
 */
export function parseSandboxUsers(text: string): Map<string, string> {
  const users = new Map<string, string>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const fields = line.split(/\s+/);
    const [address, password] = fields;
    const where = `line ${index + 1}`;
    if (fields.length !== 2 || address === undefined || password === undefined)
      throw new SandboxUsersError(`${where}: expected "address password", got ${fields.length} field(s)`, index + 1);
    if (!isMailboxAddress(address))
      // Not echoed: with the fields swapped, the first one is the password.
      throw new SandboxUsersError(`${where}: the first field is not a usable mailbox address`, index + 1);
    if (users.has(address.toLowerCase()))
      throw new SandboxUsersError(`${where}: ${address} is listed twice`, index + 1);
    users.set(address.toLowerCase(), password);
  });
  return users;
}

/** A malformed `--users` file; `line` is 1-based. The message never contains a password. */
export class SandboxUsersError extends Error {
  readonly line: number;

  constructor(message: string, line: number) {
    super(message);
    this.name = "SandboxUsersError";
    this.line = line;
  }
}
