/**
 * ETSI TS 119 612 trusted lists (the Italian TSL published by AgID, or any EU member state's):
 * verified against pinned signers, read into the qualified CAs to use as trust anchors.
 */
export { isTrustedListError, TrustedListError, type TrustedListErrorCode } from "./errors.js";
export {
  DEFAULT_TRUSTED_LIST_TIMEOUT_MS,
  type FetchTrustedListOptions,
  loadTrustedListFromFile,
  loadTrustedListFromUrl,
} from "./load-trusted-list.js";
export {
  DEFAULT_MAX_TRUSTED_LIST_BYTES,
  type ParseTrustedListOptions,
  SERVICE_STATUS_GRANTED,
  SERVICE_STATUS_WITHDRAWN,
  SERVICE_TYPE_CA_QC,
  type TrustedList,
  type TrustedListService,
  type TrustedListSignerPin,
  type TrustedListWarning,
  type TrustedListWarningCode,
} from "./model.js";
export { parseTrustedList } from "./parse-trusted-list.js";
