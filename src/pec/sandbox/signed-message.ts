/**
 * The one S/MIME shape every message the sandbox provider makes shares: receipts, the busta di
 * trasporto and the busta di anomalia (DM 2 novembre 2005, Allegato §3–§5; RFC 6109 §3; every
 * provider message is signed by the provider, DM art. 6 c.1). RFC 5751 §3.5 multipart/signed,
 * CRLF line endings, a detached CAdES signature over the first part:
 *
 * ```
 * multipart/signed; protocol="application/pkcs7-signature"; micalg=sha-256
 * ├─ multipart/mixed
 * │  ├─ text/plain; charset=UTF-8           the notice, in Italian
 * │  ├─ application/xml; name=daticert.xml  absent in the busta di anomalia
 * │  └─ message/rfc822; name=postacert.eml  envelopes and completa receipts
 * └─ application/pkcs7-signature; name=smime.p7s
 * ```
 */
import { randomBytes } from "node:crypto";
import { type Signer, signCades } from "../../signature/index.js";
import { base64Lines, isSevenBit } from "./mime-text.js";

const CRLF = "\r\n";

export interface SignedMessageParts {
  /**
   * The top-level header lines (RFC 5322 §3.6 plus the PEC markers), without MIME-Version and
   * Content-Type. Called once the boundaries are drawn, so an injected token numbers the
   * boundaries first and the default Message-ID after them.
   */
  readonly headers: () => readonly string[];
  /** The human-readable notice (CRLF lines, UTF-8). */
  readonly notice: string;
  readonly daticert: Uint8Array | null;
  /** The carried message, already in CRLF form. */
  readonly postacert: Uint8Array | null;
  /** The signing time: the provider's time of the event. */
  readonly at: Date;
}

/** Random token for boundaries and default Message-IDs. */
export function randomToken(): string {
  return randomBytes(12).toString("hex");
}

/** The signed message, CRLF throughout. */
export async function buildSignedMessage(
  parts: SignedMessageParts,
  signer: Signer,
  token: () => string = randomToken,
): Promise<Uint8Array> {
  const content = signedContent(parts, token);
  const p7s = await signCades(content, signer, { detached: true, signingTime: parts.at });
  const outer = uniqueBoundary(token, [content]);
  const head = [
    ...parts.headers(),
    "MIME-Version: 1.0",
    `Content-Type: multipart/signed; protocol="application/pkcs7-signature"; micalg=sha-256; boundary="${outer}"`,
    "",
    "This is an S/MIME signed message",
    "",
    `--${outer}`,
    "",
  ];
  const signature = [
    "",
    `--${outer}`,
    'Content-Type: application/pkcs7-signature; name="smime.p7s"',
    "Content-Transfer-Encoding: base64",
    'Content-Disposition: attachment; filename="smime.p7s"',
    "",
    base64Lines(p7s),
    `--${outer}--`,
    "",
  ];
  return Buffer.concat([Buffer.from(head.join(CRLF), "utf8"), content, Buffer.from(signature.join(CRLF), "latin1")]);
}

/** The first part of the multipart/signed: the exact bytes the signature covers (RFC 5751 §3.5). */
function signedContent(parts: SignedMessageParts, token: () => string): Buffer {
  const { postacert, daticert } = parts;
  const boundary = uniqueBoundary(token, postacert === null ? [] : [postacert]);
  const lines = [
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    "",
    `--${boundary}`,
    ...base64Part('text/plain; charset="UTF-8"', "inline", new TextEncoder().encode(parts.notice)),
  ];
  if (daticert !== null) {
    lines.push(
      `--${boundary}`,
      ...base64Part('application/xml; name="daticert.xml"', 'inline; filename="daticert.xml"', daticert),
    );
  }
  if (postacert === null) return Buffer.from([...lines, `--${boundary}--`].join(CRLF), "utf8");
  lines.push(
    `--${boundary}`,
    'Content-Type: message/rfc822; name="postacert.eml"',
    `Content-Transfer-Encoding: ${isSevenBit(postacert) ? "7bit" : "8bit"}`,
    'Content-Disposition: inline; filename="postacert.eml"',
    "",
    "",
  );
  const close = Buffer.from(`${CRLF}--${boundary}--`, "utf8");
  return Buffer.concat([Buffer.from(lines.join(CRLF), "utf8"), postacert, close]);
}

function base64Part(contentType: string, disposition: string, body: Uint8Array): string[] {
  return [
    `Content-Type: ${contentType}`,
    "Content-Transfer-Encoding: base64",
    `Content-Disposition: ${disposition}`,
    "",
    base64Lines(body),
  ];
}

/** RFC 2046 §5.1.1: the boundary must not occur in the enclosed parts; draw again until it does not. */
function uniqueBoundary(token: () => string, bodies: readonly Uint8Array[]): string {
  for (let attempt = 0; attempt < 8; attempt++) {
    const boundary = `----=_sandbox_${token()}`;
    if (bodies.every((body) => !Buffer.from(body).includes(boundary, 0, "latin1"))) return boundary;
  }
  throw new Error("no boundary absent from the content after 8 attempts");
}
