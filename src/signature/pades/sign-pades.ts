import { embedCms, prepareByteRange } from "./byte-range.js";
import { addSignaturePlaceholder, type PlaceholderOptions } from "./placeholder.js";

/**
 * Builds the detached CMS over the bytes to sign. For PAdES baseline B-B (ETSI EN 319 142-1
 * §6.3 Table 1) it is a CAdES SignedData without eContent, with the signed attributes
 * content-type, message-digest and signing-certificate-v2, and without signing-time.
 * Errors it throws (a remote signer being down, say) reach the caller unchanged.
 */
export type DetachedCmsBuilder = (bytesToSign: Uint8Array) => Promise<Uint8Array>;

export type PadesSignOptions = PlaceholderOptions;

/**
 * Signs a PDF as PAdES: placeholder as an incremental update, ByteRange, detached CMS, embed.
 * The input's bytes are a byte-exact prefix of the output, so an existing signature stays valid.
 *
 * @example
 * const signed = await signPades(reportPdf, (bytes) => buildCadesDetached(bytes, signer), {
 *   signingTime: clock.now(),
 *   reason: "Relazione mensile Mettiamoci la faccia",
 *   location: "Forlì",
 * });
 */
export async function signPades(
  pdf: Uint8Array,
  buildDetachedCms: DetachedCmsBuilder,
  options: PadesSignOptions,
): Promise<Uint8Array> {
  const prepared = prepareByteRange(addSignaturePlaceholder(pdf, options));
  const cms = await buildDetachedCms(prepared.bytesToSign);
  return embedCms(prepared, cms);
}
