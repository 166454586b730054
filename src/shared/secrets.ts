import { createHash, randomBytes, randomInt } from "node:crypto";

/**
 * Bearer tokens are 256-bit random values, so a single SHA-256 is enough to
 * store them (no password stretching needed: there is nothing to guess).
 */
export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

export function newToken(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString("base64url")}`;
}

/** Crockford base32 without I, L, O, U: easy to read aloud and type on a kiosk. */
const PAIRING_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** A pairing code such as `7KQ4-M2XD` (40 bits; short-lived and single-use). */
export function newPairingCode(): string {
  let raw = "";
  for (let i = 0; i < 8; i++) raw += PAIRING_ALPHABET[randomInt(PAIRING_ALPHABET.length)];
  return `${raw.slice(0, 4)}-${raw.slice(4)}`;
}

/** Accepts what a person types: any case, spaces or dashes, O for 0, I/L for 1. */
export function normalizePairingCode(input: string): string {
  const compact = input.toUpperCase().replace(/[\s-]/g, "").replace(/O/g, "0").replace(/[IL]/g, "1");
  return compact.length === 8 ? `${compact.slice(0, 4)}-${compact.slice(4)}` : compact;
}
