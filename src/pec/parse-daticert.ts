/**
 * Reads `daticert.xml` into the domain model (src/pec/domain/daticert.ts) with @xmldom/xmldom,
 * non-validating. Any DOCTYPE or ENTITY declaration is refused before the parser sees the text:
 * the DTD of the technical rules is never fetched, and no entity is ever expanded (XXE).
 * Never throws: every failure is a `DaticertProblem`.
 */
import { DOMParser, type Element } from "@xmldom/xmldom";
import {
  type Daticert,
  type DaticertDate,
  type DaticertProblemCode,
  type DaticertRecipient,
  type DaticertResult,
  daticertInstant,
  isDaticertError,
  isDaticertType,
  isReceiptDetail,
  stripAngleBrackets,
} from "./domain/daticert.js";

/** Real ones are about 1–2 KB; a hundred recipients stay far below this. */
const MAX_DATICERT_BYTES = 256 * 1024;

class DaticertFailure extends Error {
  constructor(
    readonly code: DaticertProblemCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * @example
 * const result = parseDaticert(part.body);
 * if (result.ok) log.info({ tipo: result.daticert.type }, "daticert read");
 */
export function parseDaticert(bytes: Uint8Array): DaticertResult {
  try {
    return { ok: true, daticert: readDaticert(bytes) };
  } catch (error) {
    if (error instanceof DaticertFailure) return { ok: false, problem: { code: error.code, message: error.message } };
    const message = error instanceof Error ? error.message : "unknown error";
    return { ok: false, problem: { code: "DATICERT_NOT_XML", message: `not well-formed XML: ${message}` } };
  }
}

function readDaticert(bytes: Uint8Array): Daticert {
  if (bytes.byteLength > MAX_DATICERT_BYTES)
    throw new DaticertFailure("DATICERT_TOO_LARGE", `${bytes.byteLength} bytes, at most ${MAX_DATICERT_BYTES}`);
  const text = decodeText(bytes);
  if (/<!DOCTYPE/i.test(text) || /<!ENTITY/i.test(text))
    throw new DaticertFailure("DATICERT_DOCTYPE_REFUSED", "DOCTYPE and ENTITY declarations are refused");
  const parser = new DOMParser({
    onError: (level, message) => {
      if (level !== "warning") throw new DaticertFailure("DATICERT_NOT_XML", `not well-formed XML: ${message}`);
    },
  });
  const root = parser.parseFromString(text, "text/xml").documentElement;
  if (root === null || root.localName !== "postacert")
    throw new DaticertFailure("DATICERT_INVALID", "the root element is not <postacert>");
  return readPostacert(root);
}

/** UTF-8 unless the XML declaration names another encoding (the DTD allows any). */
function decodeText(bytes: Uint8Array): string {
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 200));
  const declared = /^\uFEFF?<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1] ?? "utf-8";
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder(declared, { fatal: true });
  } catch {
    throw new DaticertFailure("DATICERT_NOT_XML", `unknown encoding ${declared}`);
  }
  try {
    return decoder.decode(bytes);
  } catch {
    throw new DaticertFailure("DATICERT_NOT_XML", `not ${declared} text`);
  }
}

function readPostacert(root: Element): Daticert {
  const type = root.getAttribute("tipo") ?? "";
  if (!isDaticertType(type)) throw invalid(`postacert tipo "${type}" is not in the DTD`);
  const error = root.getAttribute("errore") || "nessuno";
  if (!isDaticertError(error)) throw invalid(`postacert errore "${error}" is not in the DTD`);
  const header = child(root, "intestazione");
  const data = child(root, "dati");
  if (header === null || data === null) throw invalid("postacert needs <intestazione> and <dati>");
  const msgid = optionalText(data, "msgid");
  return {
    type,
    error,
    sender: requiredText(header, "mittente"),
    recipients: children(header, "destinatari").map(readRecipient),
    replyTo: optionalText(header, "risposte") ?? "",
    subject: optionalText(header, "oggetto"),
    provider: requiredText(data, "gestore-emittente"),
    date: readDate(data),
    identificativo: requiredText(data, "identificativo"),
    msgid: msgid === null ? null : stripAngleBrackets(msgid),
    receiptDetail: readReceiptDetail(data),
    delivery: optionalText(data, "consegna"),
    takenInCharge: children(data, "ricezione").map(textOf),
    extendedError: optionalText(data, "errore-esteso"),
  };
}

function readRecipient(element: Element): DaticertRecipient {
  const kind = element.getAttribute("tipo");
  if (kind !== "certificato" && kind !== "esterno") throw invalid(`destinatari tipo "${kind ?? ""}" is not in the DTD`);
  const address = textOf(element);
  if (address === "") throw invalid("empty <destinatari>");
  return { address, kind };
}

function readDate(data: Element): DaticertDate {
  const element = child(data, "data");
  if (element === null) throw invalid("missing <data>");
  const zone = element.getAttribute("zona") ?? "";
  const day = requiredText(element, "giorno");
  const time = requiredText(element, "ora");
  return { zone, day, time, instant: daticertInstant(day, time, zone) };
}

function readReceiptDetail(data: Element): Daticert["receiptDetail"] {
  const element = child(data, "ricevuta");
  if (element === null) return null;
  const detail = element.getAttribute("tipo") || "completa";
  if (!isReceiptDetail(detail)) throw invalid(`ricevuta tipo "${detail}" is not in the DTD`);
  return detail;
}

function children(parent: Element, name: string): Element[] {
  const found: Element[] = [];
  for (let node = parent.firstChild; node !== null; node = node.nextSibling) {
    if (node.nodeType === node.ELEMENT_NODE && (node as Element).localName === name) found.push(node as Element);
  }
  return found;
}

function child(parent: Element, name: string): Element | null {
  return children(parent, name)[0] ?? null;
}

function textOf(element: Element): string {
  return (element.textContent ?? "").trim();
}

function optionalText(parent: Element, name: string): string | null {
  const element = child(parent, name);
  return element === null ? null : textOf(element);
}

function requiredText(parent: Element, name: string): string {
  const value = optionalText(parent, name);
  if (value === null || value === "") throw invalid(`missing <${name}>`);
  return value;
}

function invalid(message: string): DaticertFailure {
  return new DaticertFailure("DATICERT_INVALID", message);
}
