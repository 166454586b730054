/**
 * Italian fiscal codes (codice fiscale) of persons, the identity SPID and CIE assert (as
 * `TINIT-RSSMRA80A01H501U`, ETSI EN 319 412-1 §5.1.3) and the key of staff users (issue 7).
 * Shape and check character: DM 23 dicembre 1976, with the omocodia letters (L–V for digits).
 */
export type FiscalCodeResult = { ok: true; value: string } | { ok: false; reason: string };

const DIGIT = "[0-9LMNPQRSTUV]";
const PERSON = new RegExp(`^[A-Z]{6}${DIGIT}{2}[ABCDEHLMPRST]${DIGIT}{2}[A-Z]${DIGIT}{3}[A-Z]$`);
const LEGAL_PERSON = /^[0-9]{11}$/;
const ODD_VALUES = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];

/** 0–25 for `0`–`9` and `A`–`Z` (digits count as A–J). */
function ordinal(char: string): number {
  const code = char.charCodeAt(0);
  return code <= 57 ? code - 48 : code - 65;
}

/** The 16th character, from the first 15. */
export function fiscalCodeCheckCharacter(first15: string): string {
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const n = ordinal(first15.charAt(i));
    // Positions count from 1: odd positions are indexes 0, 2, 4...
    sum += i % 2 === 0 ? (ODD_VALUES[n] ?? 0) : n;
  }
  return String.fromCharCode(65 + (sum % 26));
}

/** Upper-cases, drops spaces and a `TINIT-` prefix, and checks shape and check character. */
export function parseFiscalCode(raw: string): FiscalCodeResult {
  const value = raw
    .replace(/\s+/g, "")
    .toUpperCase()
    .replace(/^TINIT-/, "");
  if (LEGAL_PERSON.test(value)) {
    return {
      ok: false,
      reason: `${value} is a legal person's fiscal code (11 digits); staff need a person's (16 characters)`,
    };
  }
  if (value.length !== 16) {
    return { ok: false, reason: `a person's fiscal code has 16 characters, "${value}" has ${value.length}` };
  }
  if (!PERSON.test(value)) {
    return { ok: false, reason: `"${value}" does not have the shape of a fiscal code (e.g. RSSMRA80A01H501U)` };
  }
  const expected = fiscalCodeCheckCharacter(value.slice(0, 15));
  if (value.charAt(15) !== expected) {
    return { ok: false, reason: `${value} has a wrong check character: expected ${expected} at the end` };
  }
  return { ok: true, value };
}
