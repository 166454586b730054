/**
 * The SPID/CIE IdP registry (reference spid-cie.md §1.8): loads each source's metadata, keeps the
 * last good copy (in memory and, with `cacheDir`, on disk), refreshes daily, and never trusts a
 * document that is unparsable, unsigned when a signer is configured, or without a usable IdP.
 */
import type { X509Certificate } from "node:crypto";
import { buildIdpIndex, type IdpIndex } from "./idp-index.js";
import { interpretMetadata } from "./interpret-metadata.js";
import { cacheFileFor, readCachedMetadata, writeCachedMetadata } from "./metadata-cache.js";
import { signerCertificates } from "./metadata-signature.js";
import type {
  Federation,
  IdpDescriptor,
  IdpRegistry,
  IdpRegistryOptions,
  IdpSource,
  ParsedIdpMetadata,
  RegistryLog,
  SourceRefresh,
} from "./model.js";
import { type ReadSourceOptions, readMetadataSource } from "./read-source.js";

export const DEFAULT_REFRESH_INTERVAL_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_MAX_METADATA_BYTES = 10 * 1024 * 1024;
export const METADATA_FETCH_TIMEOUT_MS = 20_000;

const SILENT: RegistryLog = { info() {}, warn() {} };

interface PreparedSource {
  readonly source: IdpSource;
  readonly signers: readonly X509Certificate[] | undefined;
  readonly cacheFile: string | undefined;
}

/**
 * @example
 * const registry = createIdpRegistry({
 *   sources: [
 *     { federation: "spid", location: "https://registry.spid.gov.it/entities-idp" },
 *     { federation: "cie", location: "https://idserver.servizicie.interno.gov.it/idp/shibboleth?Metadata" },
 *   ],
 *   cacheDir: "/var/lib/faccia/idp-metadata",
 *   log,
 * });
 * await registry.start();
 * registry.list("spid"); // for the "Entra con SPID" button
 */
export function createIdpRegistry(options: IdpRegistryOptions): IdpRegistry {
  const log = options.log ?? SILENT;
  const now = options.now ?? (() => new Date());
  const intervalMs = options.refreshIntervalMs ?? DEFAULT_REFRESH_INTERVAL_MS;
  const read: ReadSourceOptions = {
    // Looked up at call time, so a fetch patched after construction (msw, undici mocks) is used.
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    maxBytes: options.maxBytes ?? DEFAULT_MAX_METADATA_BYTES,
    timeoutMs: METADATA_FETCH_TIMEOUT_MS,
  };
  const sources = options.sources.map((source) => prepareSource(source, options.cacheDir));
  const loaded = new Map<PreparedSource, readonly IdpDescriptor[]>();
  const locals = new Map<string, IdpDescriptor>();
  let index: IdpIndex = buildIdpIndex([], []).index;
  let inFlight: Promise<SourceRefresh[]> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let generation = 0;

  function rebuild(): void {
    const fromSources = sources.flatMap((source) => loaded.get(source) ?? []);
    const built = buildIdpIndex(fromSources, [...locals.values()]);
    for (const duplicate of built.duplicates) {
      log.warn({ federation: duplicate.federation, entityId: duplicate.entityId }, "idp listed by two sources");
    }
    index = built.index;
  }

  function accept(source: PreparedSource, parsed: ParsedIdpMetadata, origin: "source" | "cache"): void {
    loaded.set(source, Object.freeze(parsed.idps));
    rebuild();
    const where = { federation: source.source.federation, location: loggable(source.source.location) };
    log.info({ ...where, origin, count: parsed.idps.length, skipped: parsed.skipped.length }, "idp metadata loaded");
    if (parsed.skipped.length > 0) log.warn({ ...where, skipped: parsed.skipped }, "idp metadata entities skipped");
    if (parsed.notes.length > 0) log.info({ ...where, notes: parsed.notes }, "idp metadata notes");
  }

  async function refreshSource(source: PreparedSource): Promise<SourceRefresh> {
    const { federation, location } = source.source;
    let parsed: ParsedIdpMetadata;
    let xml: string;
    try {
      xml = await readMetadataSource(location, read);
      parsed = interpretMetadata(xml, { federation, signers: source.signers }, now());
    } catch (error) {
      const message = messageOf(error);
      log.warn({ federation, location: loggable(location), error: message }, "idp metadata refresh failed");
      if (!loaded.has(source)) await restoreFromCache(source);
      return { federation, location, ok: false, count: loaded.get(source)?.length ?? 0, error: message };
    }
    accept(source, parsed, "source");
    await saveToCache(source, xml);
    return { federation, location, ok: true, count: parsed.idps.length };
  }

  /** The cache copy goes through the same checks as a download: the disk is not trusted more. */
  async function restoreFromCache(source: PreparedSource): Promise<void> {
    if (source.cacheFile === undefined) return;
    const { federation, location } = source.source;
    try {
      const xml = await readCachedMetadata(source.cacheFile);
      if (xml === undefined) return;
      accept(source, interpretMetadata(xml, { federation, signers: source.signers }, now()), "cache");
    } catch (error) {
      log.warn({ federation, location: loggable(location), error: messageOf(error) }, "idp metadata cache unusable");
    }
  }

  async function saveToCache(source: PreparedSource, xml: string): Promise<void> {
    if (source.cacheFile === undefined) return;
    try {
      await writeCachedMetadata(source.cacheFile, xml);
    } catch (error) {
      const where = { federation: source.source.federation, location: loggable(source.source.location) };
      log.warn({ ...where, error: messageOf(error) }, "idp metadata cache not written");
    }
  }

  function refresh(): Promise<SourceRefresh[]> {
    inFlight ??= Promise.all(sources.map(refreshSource)).finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  }

  function stop(): void {
    generation += 1;
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
  }

  async function start(): Promise<void> {
    stop();
    const started = generation;
    await refresh();
    if (started !== generation) return;
    timer = setInterval(() => void refresh(), intervalMs);
    timer.unref();
  }

  function addLocal(idp: IdpDescriptor): void {
    if (idp.federation !== "spid" && idp.federation !== "cie") throw new Error("unknown federation");
    if (idp.entityId.trim() === "") throw new Error("a local IdP needs an entityId");
    locals.set(`${idp.federation} ${idp.entityId}`, Object.freeze({ ...idp }));
    rebuild();
  }

  return {
    list: (federation: Federation) => index.list(federation),
    get: (federation: Federation, entityId: string) => index.get(federation, entityId),
    refresh,
    start,
    stop,
    addLocal,
  };
}

/** Parses the signer certificates once, at construction: a bad `signerPem` is a configuration error. */
function prepareSource(source: IdpSource, cacheDir: string | undefined): PreparedSource {
  if (source.location.trim() === "") throw new Error(`an ${source.federation} metadata source has no location`);
  return {
    source,
    signers: source.signerPem === undefined ? undefined : signerCertificates(source.signerPem),
    cacheFile: cacheDir === undefined ? undefined : cacheFileFor(cacheDir, source),
  };
}

/** A URL with user info loses it before it reaches the log. */
function loggable(location: string): string {
  if (!URL.canParse(location)) return location;
  const url = new URL(location);
  if (url.username === "" && url.password === "") return location;
  url.username = "";
  url.password = "";
  return url.toString();
}

function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return `${error.message}${cause}`;
}
