import { checkUniqueIds, rootSignature, verifyEnveloped } from "./enveloped-signature.js";
import { DEFAULT_MAX_MESSAGE_BYTES, decodeBase64 } from "./redirect-binding.js";
import {
  type LogoutFailure,
  parseSamlDocument,
  refusalAsFailure,
  refuseLogout,
  refuseLogoutSignature as refuseSignature,
} from "./saml-message.js";

/**
 * The HTTP-POST binding's receiving side for protocol messages whose one signature is on the root
 * (SAML Bindings §3.5.4–3.5.5.2, SAML Core §5.4; the logout messages of single-logout.rst).
 * Reference §5.2: one strict parse, a fixed algorithm list, keys only from the IdP metadata, and
 * the result read from the exact bytes xml-crypto verified (getSignedReferences), nothing else.
 */

export type PostReading = { ok: true; xml: string } | LogoutFailure;

/**
 * Decodes the `SAMLRequest`/`SAMLResponse` form field (base64, not deflated: Bindings §3.5.4),
 * verifies the enveloped signature on the root element with one of `certificates` (DER), and
 * returns the root as signed — without its Signature, exclusive-canonicalised. Never throws for
 * bad input.
 */
export function readPostMessage(
  base64: string,
  certificates: readonly Uint8Array[],
  options: { readonly maxBytes?: number } = {},
): PostReading {
  return refusalAsFailure(() => {
    const maxBytes = options.maxBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    const compact = base64.replace(/[\r\n\t ]/g, "");
    if (compact.length > Math.ceil(maxBytes / 3) * 4)
      refuseLogout("SAML_TOO_LARGE", `the message is over ${maxBytes} bytes`);
    const bytes = decodeBase64(compact);
    if (bytes === undefined) refuseLogout("SAML_BAD_ENCODING", "the message is not base64");
    let xml: string;
    try {
      xml = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      return refuseLogout("SAML_BAD_ENCODING", "the message is not UTF-8");
    }
    const doc = parseSamlDocument(xml);
    const signature = rootSignature(doc, doc.documentElement, refuseSignature);
    checkUniqueIds(doc, refuseSignature);
    const signed = verifyEnveloped(xml, signature, doc.documentElement, certificates, refuseSignature);
    return { ok: true as const, xml: signed.xml };
  });
}
