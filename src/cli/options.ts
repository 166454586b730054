import { InvalidArgumentError } from "commander";

/** Commander parser for a whole number ≥ `min` (accepts `1_000_000` and `1e6`). */
export function integerOption(min: number, max = Number.MAX_SAFE_INTEGER) {
  return (raw: string): number => {
    const value = Number(raw.replace(/[_,]/g, ""));
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}, got "${raw}"`);
    }
    return value;
  };
}

const IPA = /^[a-z0-9_]{2,32}$/;

/** Commander parser for an IPA code such as `c_h501` (case-insensitive). */
export function ipaOption(raw: string): string {
  const value = raw.trim().toLowerCase();
  if (!IPA.test(value)) throw new InvalidArgumentError(`expected an IPA code such as c_h501, got "${raw}"`);
  return value;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function uuidOption(raw: string): string {
  if (!UUID.test(raw)) throw new InvalidArgumentError(`expected a UUID, got "${raw}"`);
  return raw.toLowerCase();
}

/** Help text block listing examples, appended after a command's options. */
export function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((line) => `  $ ${line}`).join("\n")}\n`;
}
