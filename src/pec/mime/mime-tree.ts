/**
 * A MIME tree read directly from the bytes (RFC 2045, RFC 2046 §5.1 multipart, §5.2.1
 * message/rfc822), keeping each part's exact bytes: S/MIME (RFC 8551 §3.5) signs the first
 * part of a multipart/signed as it is on the wire. Bounded in depth and number of parts, so
 * hostile input cannot make it slow; never throws on malformed input, it records problems.
 */
import { decodeTransferEncoding } from "./decode.js";
import { headerValue, type MimeHeader, parameterOf, parseHeaderBlock, parseParameterized } from "./headers.js";

const MAX_DEPTH = 16;
const MAX_PARTS = 2_000;

export interface MimePart {
  readonly headers: readonly MimeHeader[];
  /** Lower-cased `type/subtype`; `text/plain` when absent (RFC 2045 §5.2). */
  readonly contentType: string;
  readonly contentTypeParameters: ReadonlyMap<string, string>;
  /** `name` of Content-Type or `filename` of Content-Disposition; null when neither. */
  readonly fileName: string | null;
  /** The whole part, headers and body, exactly as on the wire (binary string). */
  readonly raw: string;
  /** The body, still transfer-encoded (binary string). */
  readonly body: string;
  readonly children: readonly MimePart[];
  /** The message inside a message/rfc822 part. */
  readonly message: MimePart | null;
}

export interface MimeTree {
  readonly root: MimePart;
  /** What was malformed: unterminated multiparts, missing boundaries, limits reached. */
  readonly problems: readonly string[];
}

interface Walk {
  parts: number;
  readonly problems: string[];
}

/** Reads `raw` (one message, LF or CRLF) as a tree of parts. */
export function parseMimeTree(raw: Uint8Array): MimeTree {
  const walk: Walk = { parts: 0, problems: [] };
  const root = readPart(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString("latin1"), 0, walk);
  return { root, problems: walk.problems };
}

function readPart(raw: string, depth: number, walk: Walk): MimePart {
  walk.parts += 1;
  const { headerBlock, body } = splitHeaderAndBody(raw);
  const headers = parseHeaderBlock(headerBlock);
  const type = parseParameterized(headerValue(headers, "content-type") ?? "text/plain");
  const contentType = type.value.includes("/") ? type.value : "text/plain";
  const disposition = parseParameterized(headerValue(headers, "content-disposition") ?? "");
  const part = {
    headers,
    contentType,
    contentTypeParameters: type.parameters,
    fileName: parameterOf(type, "name") ?? parameterOf(disposition, "filename"),
    raw,
    body,
    children: [] as MimePart[],
    message: null as MimePart | null,
  };
  if (depth >= MAX_DEPTH || walk.parts >= MAX_PARTS) {
    if (contentType.startsWith("multipart/") || contentType === "message/rfc822")
      walk.problems.push(`nesting or part limit reached at ${contentType}`);
    return part;
  }
  if (contentType.startsWith("multipart/")) {
    const boundary = type.parameters.get("boundary");
    if (boundary === undefined || boundary === "") walk.problems.push(`${contentType} without a boundary`);
    else part.children = splitMultipart(body, boundary, walk).map((child) => readPart(child, depth + 1, walk));
  } else if (contentType === "message/rfc822") {
    const encoding = headerValue(headers, "content-transfer-encoding");
    const inner = decodeTransferEncoding(body, encoding);
    part.message = readPart(Buffer.from(inner).toString("latin1"), depth + 1, walk);
  }
  return part;
}

/** The header block ends at the first empty line (RFC 5322 §2.1); a part may start with it. */
function splitHeaderAndBody(raw: string): { headerBlock: string; body: string } {
  const leading = /^\r?\n/.exec(raw);
  if (leading !== null) return { headerBlock: "", body: raw.slice(leading[0].length) };
  const blank = /\r?\n\r?\n/.exec(raw);
  if (blank === null) return { headerBlock: raw, body: "" };
  return { headerBlock: raw.slice(0, blank.index), body: raw.slice(blank.index + blank[0].length) };
}

/**
 * RFC 2046 §5.1.1: a delimiter is `--boundary` at the start of a line, optional trailing white
 * space; the line break before it belongs to the delimiter, not to the part. `--boundary--` closes.
 */
function splitMultipart(body: string, boundary: string, walk: Walk): string[] {
  const delimiter = `--${boundary}`;
  const parts: string[] = [];
  let partStart: number | null = null;
  let searchFrom = 0;
  for (;;) {
    const found = findDelimiterLine(body, delimiter, searchFrom);
    if (found === null) break;
    if (partStart !== null) parts.push(body.slice(partStart, found.lineBreakStart));
    if (found.closing) return parts;
    partStart = found.next;
    searchFrom = found.next;
  }
  if (partStart === null) {
    walk.problems.push(`no "${delimiter}" line in the multipart body`);
  } else {
    walk.problems.push(`multipart with boundary "${boundary}" is not closed`);
    parts.push(body.slice(partStart));
  }
  return parts;
}

interface DelimiterLine {
  /** Where the line break preceding the delimiter starts (the end of the previous part). */
  readonly lineBreakStart: number;
  /** Where the next part starts, after the delimiter line's own line break. */
  readonly next: number;
  readonly closing: boolean;
}

function findDelimiterLine(body: string, delimiter: string, from: number): DelimiterLine | null {
  let index = body.indexOf(delimiter, from);
  while (index !== -1) {
    if (index !== 0 && body[index - 1] !== "\n") {
      index = body.indexOf(delimiter, index + 1);
      continue;
    }
    const lineEnd = body.indexOf("\n", index);
    const end = lineEnd === -1 ? body.length : lineEnd;
    const rest = body.slice(index + delimiter.length, end).replace(/\r$/, "");
    const closing = rest.startsWith("--");
    if (/^[ \t]*$/.test(closing ? rest.slice(2) : rest)) {
      let lineBreakStart = index;
      if (index > 0) lineBreakStart = body[index - 2] === "\r" ? index - 2 : index - 1;
      return { lineBreakStart: Math.max(lineBreakStart, 0), next: lineEnd === -1 ? body.length : lineEnd + 1, closing };
    }
    index = body.indexOf(delimiter, index + 1);
  }
  return null;
}

/** Depth-first, parts before their children; does not enter message/rfc822 (a forwarded PEC is content). */
export function* partsOf(part: MimePart): Generator<MimePart> {
  yield part;
  for (const child of part.children) yield* partsOf(child);
}

/** The decoded body of a leaf part. */
export function decodedBody(part: MimePart): Uint8Array {
  return decodeTransferEncoding(part.body, headerValue(part.headers, "content-transfer-encoding"));
}
