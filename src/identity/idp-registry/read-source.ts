/** Reads a metadata document from an http(s) URL, a file: URL or a plain path, within a size limit. */
import { open } from "node:fs/promises";
import { fileURLToPath } from "node:url";

export interface ReadSourceOptions {
  readonly fetch: typeof globalThis.fetch;
  readonly maxBytes: number;
  readonly timeoutMs: number;
}

/** Any failure (non-2xx, timeout, too large, not UTF-8, missing file) is thrown as an Error. */
export async function readMetadataSource(location: string, options: ReadSourceOptions): Promise<string> {
  if (/^https?:\/\//i.test(location)) return fetchMetadata(new URL(location), options);
  const path = /^file:/i.test(location) ? fileURLToPath(location) : location;
  return readMetadataFile(path, options.maxBytes);
}

async function fetchMetadata(url: URL, options: ReadSourceOptions): Promise<string> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  const response = await options.fetch(url, {
    signal,
    redirect: "follow",
    // The media type SAML Metadata registers, then the generic XML ones.
    headers: { accept: "application/samlmetadata+xml, application/xml;q=0.9, text/xml;q=0.8" },
  });
  if (!response.ok) {
    discard(response);
    throw new Error(`HTTP ${response.status} from ${url.origin}`);
  }
  if (url.protocol === "https:" && response.url !== "" && new URL(response.url).protocol !== "https:") {
    discard(response);
    throw new Error("an https metadata URL was redirected to plain http");
  }
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  if (declared > options.maxBytes) {
    discard(response);
    throw new Error(`metadata is over ${options.maxBytes} bytes (Content-Length ${declared})`);
  }
  if (response.body === null) throw new Error("empty response body");
  return decodeUtf8(await readLimited(response.body, options.maxBytes));
}

/** Lets the connection go without waiting for the peer (a cancel can wait on a stalled server). */
function discard(response: Response): void {
  response.body?.cancel().catch(() => undefined);
}

/** Reads the body, giving up as soon as it passes `maxBytes` (Content-Length may be absent or wrong). */
async function readLimited(body: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      reader.cancel().catch(() => undefined);
      throw new Error(`metadata is over ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

async function readMetadataFile(path: string, maxBytes: number): Promise<string> {
  const file = await open(path, "r");
  try {
    if ((await file.stat()).size > maxBytes) throw new Error(`metadata file is over ${maxBytes} bytes`);
    const bytes = await file.readFile();
    if (bytes.byteLength > maxBytes) throw new Error(`metadata file is over ${maxBytes} bytes`);
    return decodeUtf8(bytes);
  } finally {
    await file.close();
  }
}

/** XML 1.0 §4.3.3: UTF-8 is the default encoding; every IdP metadata we know of uses it. */
function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new Error("metadata is not UTF-8");
  }
}
