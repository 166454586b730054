/** The public types of the SPID/CIE IdP registry (reference spid-cie.md §1.8 and §2). */
import type { SamlFederation } from "../saml/index.js";

export type Federation = SamlFederation;

/** An endpoint of the SingleLogoutService (SAML Metadata §2.2.2: Location and ResponseLocation). */
export interface LogoutEndpoint {
  location: string;
  responseLocation?: string;
}

export interface IdpDescriptor {
  readonly federation: Federation;
  readonly entityId: string;
  /** OrganizationDisplayName (it, else first), else OrganizationName, else entityId. */
  readonly displayName: string;
  /** Every KeyDescriptor use="signing" (or without use) X509Certificate of the IDPSSODescriptor, DER. */
  readonly signingCertificates: readonly Uint8Array[];
  /** SingleSignOnService Location per binding. */
  readonly singleSignOn: { readonly redirect?: string; readonly post?: string };
  /** SingleLogoutService Location (and ResponseLocation) per binding. */
  readonly singleLogout: { readonly redirect?: LogoutEndpoint; readonly post?: LogoutEndpoint };
  /** mdui:Logo or an <md:Extensions> logo URL if present (for the SPID button). */
  readonly logoUrl?: string;
}

/** What `parseIdpMetadata` made of a metadata document. */
export interface ParsedIdpMetadata {
  idps: IdpDescriptor[];
  /** Entities with an IDPSSODescriptor that cannot be used, and why. */
  skipped: { entityId: string; reason: string }[];
  /** Usable entities with something worth logging (an expired certificate kept for rotation, a bad endpoint). */
  notes: { entityId: string; note: string }[];
}

export interface IdpSource {
  readonly federation: Federation;
  /** file path, file: URL or http(s) URL */
  readonly location: string;
  /**
   * optional PEM certificate(s) that must have signed the metadata document (enveloped signature on
   * the root); when set, unsigned or wrongly signed metadata is refused.
   */
  readonly signerPem?: string;
}

export interface SourceRefresh {
  federation: Federation;
  location: string;
  ok: boolean;
  /** IdPs in use for this source after the refresh (the last good copy when it failed). */
  count: number;
  error?: string;
}

export interface IdpRegistry {
  /** Sorted by displayName (Italian collation). */
  list(federation: Federation): readonly IdpDescriptor[];
  get(federation: Federation, entityId: string): IdpDescriptor | undefined;
  /** Loads every source now; a source that fails keeps its last good copy (memory, else the cache file) and the failure is logged and reported. */
  refresh(): Promise<SourceRefresh[]>;
  /** refresh() at once, then every refreshIntervalMs (default 24 h) with an unref'd timer. */
  start(): Promise<void>;
  stop(): void;
  /** Adds entities that are not loaded from a source (the development IdP registers itself this way). */
  addLocal(idp: IdpDescriptor): void;
}

export interface RegistryLog {
  info(o: object, m: string): void;
  warn(o: object, m: string): void;
}

export interface IdpRegistryOptions {
  sources: readonly IdpSource[];
  /** Where the last good copy of each source is kept (file per source, named from a hash of the location); optional. */
  cacheDir?: string;
  /** default globalThis.fetch; timeout 20 s with AbortSignal.timeout */
  fetch?: typeof globalThis.fetch;
  log?: RegistryLog;
  /** default 24 h */
  refreshIntervalMs?: number;
  /** default 10 MiB */
  maxBytes?: number;
  /** The clock that judges validUntil and certificate validity; default `() => new Date()`. */
  now?: () => Date;
}
