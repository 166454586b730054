/**
 * PAdES plumbing (ISO 32000-1 §12.8, ETSI EN 319 142-1): placeholder, ByteRange, embedding of a
 * detached CMS built elsewhere, and parsing of the signature dictionaries of a signed PDF.
 */
export { type ByteRange, embedCms, type PreparedPdf, prepareByteRange, signedBytes } from "./byte-range.js";
export { isPadesError, PadesError, type PadesErrorCode } from "./errors.js";
export { type PdfSignature, parsePdfSignatures } from "./parse-signatures.js";
export { parsePdfDate } from "./pdf-date.js";
export {
  addSignaturePlaceholder,
  DEFAULT_SIGNATURE_LENGTH,
  MAX_SIGNATURE_LENGTH,
  MIN_SIGNATURE_LENGTH,
  type PlaceholderOptions,
} from "./placeholder.js";
export { type DetachedCmsBuilder, type PadesSignOptions, signPades } from "./sign-pades.js";
