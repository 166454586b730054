import { createPrivateKey, X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Hono } from "hono";
import { type Config, ConfigError } from "./config/index.js";
import type { Database } from "./db/index.js";
import { DEMO_ENTITY } from "./demo/index.js";
import {
  type AuditAppender,
  authRoutes,
  createDevIdp,
  createDevIdpCredential,
  createIdpRegistry,
  createLoginRepository,
  createSamlLogin,
  createSamlLogout,
  createSpMetadataSource,
  createStaffSessions,
  DEV_IDP_USERS,
  type DevIdp,
  type IdpDescriptor,
  type IdpRegistry,
  type IdpSource,
  type LoginRepository,
  parseIdpMetadata,
  type SamlFederation,
  type SamlSigningCredential,
  type ServiceProviderRuntime,
  type StaffSessions,
  type StaffUsers,
  samlSigningCredential,
  spEndpoints,
} from "./identity/index.js";
import type { Clock } from "./shared/clock.js";
import { clientAddressResolver } from "./shared/http/client-address.js";
import type { AppEnv } from "./shared/http/env.js";
import type { Logger } from "./shared/logger.js";
import { createRateLimiter } from "./shared/rate-limiter.js";
import { devCertificatesDirectory, ensureDevCertificates } from "./signature/index.js";

/**
 * From configuration to staff login (issue 7): the SP's key and certificate, the IdP lists
 * (SPID registry, CIE metadata, the development IdP), sessions and the SAML endpoints.
 */
export interface IdentityRuntime {
  /** `/`, `/auth/…` and, in development, `/dev-idp/…`. */
  readonly routes: Hono<AppEnv>[];
  readonly sessions: StaffSessions;
  readonly repo: LoginRepository;
  readonly registry: IdpRegistry;
  readonly devIdp: DevIdp | null;
  /** With the demo: the demo comune's SP profile and the development IdP's users as its staff. */
  prepareDemo(): Promise<void>;
  /** The retention job (24-month SAML register, expired assertions, requests, sessions): now, then every 6 hours. */
  startRetention(): void;
  stop(): void;
}

export interface IdentityDeps {
  db: Database;
  clock: Clock;
  log: Logger;
  audit: AuditAppender;
  staffUsers: StaffUsers;
  /** The entity by IPA code (name for the metadata). */
  entityByIpa(ipaCode: string): Promise<{ id: string; name: string } | null>;
  /** The gateway's base URL, read lazily: with PORT=0 it is known only after listen. */
  publicUrl: () => string;
}

const RETENTION_INTERVAL_MS = 6 * 3_600_000;

export function devIdpEnabled(config: Config): boolean {
  return config.FACCIA_DEV_IDP ?? config.FACCIA_DEMO;
}

/** Secure cookies when the public URL is https (behind a TLS proxy). */
export function secureCookies(config: Config): boolean {
  return config.FACCIA_PUBLIC_URL?.startsWith("https:") ?? false;
}

async function spCredential(config: Config, now: Date): Promise<SamlSigningCredential | null> {
  if (config.FACCIA_SAML_KEY_FILE || config.FACCIA_SAML_CERT_FILE) {
    if (!config.FACCIA_SAML_KEY_FILE || !config.FACCIA_SAML_CERT_FILE) {
      throw new ConfigError(["FACCIA_SAML_KEY_FILE and FACCIA_SAML_CERT_FILE go together"]);
    }
    const [key, cert] = await Promise.all([
      readFile(config.FACCIA_SAML_KEY_FILE, "utf8"),
      readFile(config.FACCIA_SAML_CERT_FILE, "utf8"),
    ]);
    return credentialFromPem(key, cert);
  }
  if (!config.FACCIA_DEMO && !devIdpEnabled(config)) return null;
  const dir = devCertificatesDirectory(config.FACCIA_DATA_DIR);
  const { paths } = await ensureDevCertificates(dir, { ipa: DEMO_ENTITY.ipaCode, entityName: DEMO_ENTITY.name, now });
  const [key, cert] = await Promise.all([readFile(paths.samlSp.key, "utf8"), readFile(paths.samlSp.cert, "utf8")]);
  return credentialFromPem(key, cert);
}

function credentialFromPem(keyPem: string, certificatePem: string): SamlSigningCredential {
  try {
    const key = createPrivateKey(keyPem).export({ format: "der", type: "pkcs8" });
    return samlSigningCredential(key, new X509Certificate(certificatePem).raw);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError([`FACCIA_SAML_KEY_FILE / FACCIA_SAML_CERT_FILE: ${reason}`]);
  }
}

/** The IdP lists to load; the SPID registry's signer is read here, once (a missing file stops the start). */
async function idpSources(config: Config): Promise<IdpSource[]> {
  const sources: IdpSource[] = [];
  if (config.FACCIA_SPID_REGISTRY) {
    const signer = config.FACCIA_SPID_REGISTRY_SIGNER;
    sources.push({
      federation: "spid",
      location: config.FACCIA_SPID_REGISTRY,
      ...(signer ? { signerPem: await readFile(signer, "utf8") } : {}),
    });
  }
  if (config.FACCIA_CIE_METADATA) sources.push({ federation: "cie", location: config.FACCIA_CIE_METADATA });
  return sources;
}

/** Builds the identity side; the IdP lists load in the background (`start` refreshes them once first). */
export async function setUpIdentity(config: Config, deps: IdentityDeps): Promise<IdentityRuntime> {
  const { clock, log } = deps;
  const credential = await spCredential(config, clock.now());
  const repo = createLoginRepository(deps.db);
  const sessions = createStaffSessions({
    repo,
    clock,
    idleMs: config.FACCIA_SESSION_IDLE_MINUTES * 60_000,
    absoluteMs: config.FACCIA_SESSION_MAX_HOURS * 3_600_000,
  });
  const registry = createIdpRegistry({
    sources: await idpSources(config),
    cacheDir: join(config.FACCIA_DATA_DIR, "idp-metadata"),
    log,
  });
  await registry.start();

  const baseUrl = () => deps.publicUrl().replace(/\/+$/, "");
  const spEntityId = () => config.FACCIA_SAML_ENTITY_ID ?? baseUrl();
  const operatorIpa = config.FACCIA_SAML_SP_ENTITY ?? (config.FACCIA_DEMO ? DEMO_ENTITY.ipaCode : undefined);

  const devIdp =
    devIdpEnabled(config) && credential
      ? createDevIdp({
          baseUrl,
          credential: await createDevIdpCredential(clock.now()),
          now: () => clock.now(),
          serviceProvider: (entityId) => {
            if (entityId !== spEntityId()) return undefined;
            const endpoints = spEndpoints(baseUrl(), "spid");
            return {
              entityId,
              acsUrl: endpoints.assertionConsumerService,
              sloUrl: endpoints.singleLogoutService,
              certificates: [credential.certificate],
            };
          },
        })
      : null;
  // The development IdP describes itself from its own metadata, once per base URL.
  let devDescriptor: { url: string; idp: IdpDescriptor } | undefined;
  const devIdpDescriptor = (): IdpDescriptor | undefined => {
    if (!devIdp) return undefined;
    if (devDescriptor?.url !== baseUrl()) {
      const [idp] = parseIdpMetadata(devIdp.metadataXml(), "spid").idps;
      if (!idp) throw new Error("the development IdP's metadata describes no IdP");
      devDescriptor = { url: baseUrl(), idp };
    }
    return devDescriptor.idp;
  };
  const idps = {
    get(federation: SamlFederation, entityId: string): IdpDescriptor | undefined {
      const dev = federation === "spid" && devIdp && entityId === devIdp.entityId() ? devIdpDescriptor() : undefined;
      return dev ?? registry.get(federation, entityId);
    },
    list(federation: SamlFederation): readonly IdpDescriptor[] {
      const dev = federation === "spid" ? devIdpDescriptor() : undefined;
      return dev ? [...registry.list(federation), dev] : registry.list(federation);
    },
  };

  const routes: Hono<AppEnv>[] = [];
  let retention: NodeJS.Timeout | undefined;
  if (credential) {
    const sp: ServiceProviderRuntime = { entityId: spEntityId, baseUrl, credential };
    const login = createSamlLogin({ repo, idps, sessions, audit: deps.audit, sp, clock });
    const logout = createSamlLogout({ repo, idps, sessions, audit: deps.audit, sp, clock });
    routes.push(
      authRoutes({
        login,
        logout,
        sessions,
        idps,
        secureCookies: secureCookies(config),
        clock,
        limiter: createRateLimiter(config.FACCIA_LOGIN_RATE_LIMIT, clock),
        clientAddress: clientAddressResolver(config.FACCIA_TRUST_PROXY),
        // Without a public URL the gateway is reached by several names (localhost, 127.0.0.1):
        // the pages send the browser to the one the SAML endpoints use, or its cookies get lost.
        ...(config.FACCIA_PUBLIC_URL ? {} : { canonicalOrigin: () => new URL(baseUrl()).origin }),
        ...(devIdp ? { devIdpEntityId: () => devIdp.entityId() } : {}),
        metadata: createSpMetadataSource({
          operatorIpa,
          entityByIpa: deps.entityByIpa,
          spProfile: repo.spProfile,
          entityId: spEntityId,
          baseUrl,
          credential,
          clock,
        }).metadata,
      }),
    );
  } else {
    log.warn("no SAML SP key (FACCIA_SAML_KEY_FILE, FACCIA_SAML_CERT_FILE): SPID/CIE login is off");
  }
  if (devIdp) {
    routes.push(devIdp.routes as unknown as Hono<AppEnv>);
    log.warn({ users: DEV_IDP_USERS.map((user) => user.key) }, "development IdP at /dev-idp: not for production");
  }

  return {
    routes,
    sessions,
    repo,
    registry,
    devIdp,
    async prepareDemo() {
      const entity = await deps.entityByIpa(DEMO_ENTITY.ipaCode);
      if (!entity) return;
      if (!(await repo.spProfile(entity.id))) {
        await repo.saveSpProfile(
          {
            entityId: entity.id,
            organizationUrl: "https://www.comune.demo.invalid",
            contactEmail: "protocollo@comune.demo.invalid",
            contactPhone: "+390000000000",
            municipality: "Z999",
            province: "RM",
          },
          clock.now(),
        );
      }
      const roles = { admin: "admin", secretary: "secretary", operator: "operator" } as const;
      // Only the missing ones: a role an admin changed since stays as it is.
      const staff = new Set((await deps.staffUsers.list(DEMO_ENTITY.ipaCode)).map((user) => user.fiscalCode));
      for (const user of DEV_IDP_USERS) {
        if (staff.has(user.fiscalNumber)) continue;
        await deps.staffUsers.add({
          entityIpaCode: DEMO_ENTITY.ipaCode,
          fiscalCode: user.fiscalNumber,
          role: roles[user.key as keyof typeof roles] ?? "viewer",
          name: `${user.name} ${user.familyName}`,
          actor: "system",
        });
      }
    },
    startRetention() {
      const purge = () =>
        repo
          .purge(clock.now())
          .then((removed) => log.info(removed, "login records past their retention removed"))
          .catch((error: unknown) => log.warn({ err: error }, "login retention job failed: retried later"));
      void purge();
      retention = setInterval(purge, RETENTION_INTERVAL_MS);
      retention.unref();
    },
    stop() {
      if (retention) clearInterval(retention);
      registry.stop();
    },
  };
}
