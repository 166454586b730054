/**
 * Just enough of the PDF object syntax (ISO 32000-1 §7.2 lexical conventions, §7.3 objects) to
 * read a signature dictionary where it sits in the file, with the byte offsets of every value:
 * the ByteRange gap must be exactly the /Contents string (§12.8.1). Streams and indirect objects
 * are never followed. Every loop advances, nesting is capped and a shared budget caps the work,
 * so hostile bytes end in a {@link PdfSyntaxError}, never in a hang or a crash.
 */

interface Span {
  readonly start: number;
  /** Offset just after the value's last byte. */
  readonly end: number;
}

export type PdfValue =
  | (Span & { readonly kind: "name"; readonly value: string })
  | (Span & { readonly kind: "number"; readonly value: number })
  | (Span & { readonly kind: "string"; readonly bytes: Uint8Array; readonly hex: boolean })
  | (Span & { readonly kind: "array"; readonly items: readonly PdfValue[] })
  | (Span & { readonly kind: "dict"; readonly entries: readonly PdfDictEntry[] })
  /** true, false, null, R and any other bare word. */
  | (Span & { readonly kind: "keyword"; readonly value: string });

export interface PdfDictEntry {
  readonly key: string;
  readonly keyStart: number;
  readonly value: PdfValue;
}

export class PdfSyntaxError extends Error {}

/** Bytes of lexing left for one parse of a whole file; shared by every attempt. */
export interface LexBudget {
  remaining: number;
}

const MAX_DEPTH = 32;

/** §7.2.2 Table 1 (white space) and Table 2 (delimiters). */
export function isWhiteSpace(byte: number | undefined): boolean {
  return byte === 0x00 || byte === 0x09 || byte === 0x0a || byte === 0x0c || byte === 0x0d || byte === 0x20;
}

export function isDelimiter(byte: number | undefined): boolean {
  return byte !== undefined && "()<>[]{}/%".includes(String.fromCharCode(byte));
}

const isRegular = (byte: number | undefined) => byte !== undefined && !isWhiteSpace(byte) && !isDelimiter(byte);

/** Parses the value that starts at `offset` (after optional white space). */
export function parseValueAt(bytes: Uint8Array, offset: number, budget: LexBudget): PdfValue {
  const reader = new Reader(bytes, offset, budget);
  return reader.value(0);
}

class Reader {
  constructor(
    private readonly bytes: Uint8Array,
    private position: number,
    private readonly budget: LexBudget,
  ) {}

  private peek(ahead = 0): number | undefined {
    return this.bytes[this.position + ahead];
  }

  private next(): number {
    const byte = this.bytes[this.position];
    if (byte === undefined) throw new PdfSyntaxError("unexpected end of file");
    this.position += 1;
    if (--this.budget.remaining < 0) throw new PdfSyntaxError("too much to parse");
    return byte;
  }

  /** §7.2.3: comments run to the end of the line and count as white space. */
  private skipSpace(): void {
    for (;;) {
      const byte = this.peek();
      if (isWhiteSpace(byte)) this.next();
      else if (byte === 0x25)
        while (this.peek() !== undefined && this.peek() !== 0x0a && this.peek() !== 0x0d) this.next();
      else return;
    }
  }

  value(depth: number): PdfValue {
    if (depth > MAX_DEPTH) throw new PdfSyntaxError("nested too deeply");
    this.skipSpace();
    const start = this.position;
    const byte = this.peek();
    if (byte === 0x2f) return { kind: "name", value: this.name(), start, end: this.position };
    if (byte === 0x3c && this.peek(1) === 0x3c) return this.dictionary(depth, start);
    if (byte === 0x3c) return { kind: "string", bytes: this.hexString(), hex: true, start, end: this.position };
    if (byte === 0x28) return { kind: "string", bytes: this.literalString(), hex: false, start, end: this.position };
    if (byte === 0x5b) return this.array(depth, start);
    if (isRegular(byte)) return this.word(start);
    throw new PdfSyntaxError(`unexpected byte ${byte ?? "EOF"} at ${start}`);
  }

  private dictionary(depth: number, start: number): PdfValue {
    this.next();
    this.next();
    const entries: PdfDictEntry[] = [];
    for (;;) {
      this.skipSpace();
      if (this.peek() === 0x3e && this.peek(1) === 0x3e) {
        this.next();
        this.next();
        return { kind: "dict", entries, start, end: this.position };
      }
      const keyStart = this.position;
      if (this.peek() !== 0x2f) throw new PdfSyntaxError(`dictionary key expected at ${keyStart}`);
      const key = this.name();
      entries.push({ key, keyStart, value: this.value(depth + 1) });
    }
  }

  private array(depth: number, start: number): PdfValue {
    this.next();
    const items: PdfValue[] = [];
    for (;;) {
      this.skipSpace();
      if (this.peek() === 0x5d) {
        this.next();
        return { kind: "array", items, start, end: this.position };
      }
      items.push(this.value(depth + 1));
    }
  }

  /** §7.3.5: a solidus, then regular characters, with #xx hex escapes. */
  private name(): string {
    this.next();
    const out: number[] = [];
    while (isRegular(this.peek())) {
      const byte = this.next();
      const hex = byte === 0x23 ? String.fromCharCode(this.peek() ?? 0, this.peek(1) ?? 0) : "";
      if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
        out.push(Number.parseInt(hex, 16));
        this.next();
        this.next();
      } else out.push(byte);
    }
    return Buffer.from(out).toString("latin1");
  }

  /** Numbers (§7.3.3) and keywords such as true, false, null, R. */
  private word(start: number): PdfValue {
    while (isRegular(this.peek())) this.next();
    const text = Buffer.from(this.bytes.subarray(start, this.position)).toString("latin1");
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(text))
      return { kind: "number", value: Number(text), start, end: this.position };
    return { kind: "keyword", value: text, start, end: this.position };
  }

  /** §7.3.4.3: hex digits and white space; an odd final digit is followed by an implied 0. */
  private hexString(): Uint8Array {
    this.next();
    const digits: string[] = [];
    for (;;) {
      const byte = this.next();
      if (byte === 0x3e) break;
      if (isWhiteSpace(byte)) continue;
      const digit = String.fromCharCode(byte);
      if (!/[0-9A-Fa-f]/.test(digit)) throw new PdfSyntaxError("not a hex digit in a hex string");
      digits.push(digit);
    }
    if (digits.length % 2 === 1) digits.push("0");
    return new Uint8Array(Buffer.from(digits.join(""), "hex"));
  }

  /** §7.3.4.2: balanced parentheses, backslash escapes, end-of-line markers read as LF. */
  private literalString(): Uint8Array {
    this.next();
    const out: number[] = [];
    let open = 1;
    for (;;) {
      const byte = this.next();
      if (byte === 0x5c) this.escape(out);
      else if (byte === 0x0d) {
        if (this.peek() === 0x0a) this.next();
        out.push(0x0a);
      } else {
        if (byte === 0x28) open += 1;
        if (byte === 0x29 && --open === 0) return new Uint8Array(out);
        out.push(byte);
      }
    }
  }

  private escape(out: number[]): void {
    const byte = this.next();
    const simple: Record<number, number> = { 110: 0x0a, 114: 0x0d, 116: 0x09, 98: 0x08, 102: 0x0c };
    if (byte in simple) out.push(simple[byte] ?? byte);
    else if (byte >= 0x30 && byte <= 0x37) {
      let code = byte - 0x30;
      for (let i = 0; i < 2 && (this.peek() ?? 0) >= 0x30 && (this.peek() ?? 0) <= 0x37; i++) {
        code = code * 8 + this.next() - 0x30;
      }
      out.push(code & 0xff);
    } else if (byte === 0x0d) {
      if (this.peek() === 0x0a) this.next();
    } else if (byte !== 0x0a) out.push(byte);
  }
}
