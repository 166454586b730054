/**
 * Escaping for the XML we write by hand (XML 1.0 §2.4 character data, §3.3.3 attribute values).
 * Attribute values also escape `"` and the whitespace characters an attribute-value normaliser
 * would otherwise fold into spaces, so what we sign is what a verifier reads back.
 */

// XML 1.0 §2.2 Char: no C0 controls other than tab, newline and carriage return.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find them
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;

function checkChars(value: string): string {
  if (FORBIDDEN.test(value)) throw new Error("text contains a character XML 1.0 does not allow");
  return value;
}

/** Character data: `&`, `<` and `>` (the last for `]]>`). */
export function escapeText(value: string): string {
  return checkChars(value).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A double-quoted attribute value. */
export function escapeAttribute(value: string): string {
  return escapeText(value)
    .replace(/"/g, "&quot;")
    .replace(/\t/g, "&#9;")
    .replace(/\n/g, "&#10;")
    .replace(/\r/g, "&#13;");
}

/** `name="value"` pairs, skipping undefined values, in the order given. */
export function attributes(pairs: Record<string, string | number | boolean | undefined>): string {
  return Object.entries(pairs)
    .filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined)
    .map(([name, value]) => ` ${name}="${escapeAttribute(String(value))}"`)
    .join("");
}

/** `<name attrs>text</name>`, text escaped. */
export function textElement(name: string, text: string, attrs: Record<string, string | undefined> = {}): string {
  return `<${name}${attributes(attrs)}>${escapeText(text)}</${name}>`;
}
