import { readFile, stat } from "node:fs/promises";
import { TrustedListError } from "./errors.js";
import { DEFAULT_MAX_TRUSTED_LIST_BYTES, type ParseTrustedListOptions, type TrustedList } from "./model.js";
import { parseTrustedList } from "./parse-trusted-list.js";

/** The I/O side of the trusted-list loader: read bytes, then hand them to the pure parser. */

export interface FetchTrustedListOptions extends ParseTrustedListOptions {
  /** Whole request, body included; default 30 s. */
  readonly timeoutMs?: number;
  /** For tests and proxies; default the global fetch. */
  readonly fetch?: typeof fetch;
}

export const DEFAULT_TRUSTED_LIST_TIMEOUT_MS = 30_000;

/** Loads and verifies a trusted list from a file (e.g. a copy of TSL-IT shipped with the deployment). */
export async function loadTrustedListFromFile(path: string, options: ParseTrustedListOptions): Promise<TrustedList> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_TRUSTED_LIST_BYTES;
  let bytes: Uint8Array;
  try {
    const { size } = await stat(path);
    if (size > maxBytes) {
      throw new TrustedListError("TRUSTED_LIST_TOO_LARGE", `trusted list is ${size} bytes, over the ${maxBytes} limit`);
    }
    bytes = await readFile(path);
  } catch (cause) {
    if (cause instanceof TrustedListError) throw cause;
    throw new TrustedListError("TRUSTED_LIST_UNAVAILABLE", "trusted list file cannot be read", { cause });
  }
  return parseTrustedList(bytes, options);
}

/**
 * Downloads and verifies a trusted list (e.g. https://eidas.agid.gov.it/TL/TSL-IT.xml). Transport
 * security is not relied on: the list's own signature, checked against the expected signers, is.
 */
export async function loadTrustedListFromUrl(
  url: string | URL,
  options: FetchTrustedListOptions,
): Promise<TrustedList> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_TRUSTED_LIST_BYTES;
  const signal = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TRUSTED_LIST_TIMEOUT_MS);
  let bytes: Uint8Array;
  try {
    const response = await (options.fetch ?? fetch)(url, { signal, headers: { accept: "application/xml, text/xml" } });
    if (!response.ok) {
      await response.body?.cancel();
      throw new TrustedListError("TRUSTED_LIST_UNAVAILABLE", `trusted list download answered HTTP ${response.status}`, {
        retryable: response.status >= 500 || response.status === 429,
      });
    }
    bytes = await readLimited(response, maxBytes);
  } catch (cause) {
    if (cause instanceof TrustedListError) throw cause;
    throw new TrustedListError("TRUSTED_LIST_UNAVAILABLE", "trusted list download failed", { cause, retryable: true });
  }
  return parseTrustedList(bytes, options);
}

async function readLimited(response: Response, maxBytes: number): Promise<Uint8Array> {
  if (response.body === null) return new Uint8Array();
  const declared = Number(response.headers.get("content-length") ?? "0");
  if (declared > maxBytes) {
    await response.body.cancel();
    throw new TrustedListError(
      "TRUSTED_LIST_TOO_LARGE",
      `trusted list is ${declared} bytes, over the ${maxBytes} limit`,
    );
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks, total);
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new TrustedListError("TRUSTED_LIST_TOO_LARGE", `trusted list is over the ${maxBytes} limit`);
    }
    chunks.push(value);
  }
}
