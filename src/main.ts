import type { Server } from "node:http";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import type { Hono } from "hono";
import type { Config } from "./config/index.js";
import { type DatabaseHandle, migrationStatus, openDatabase, runMigrations } from "./db/index.js";
import { createSecretFiles, DEMO_KIOSK_TOKEN_FILE, demoSecretsDirectory } from "./demo/index.js";
import { createGatewayApp } from "./gateway/index.js";
import {
  auditTrail,
  createAccessTokenRepository,
  createAccessTokens,
  createAuditLog,
  createStaffUserRepository,
  createStaffUsers,
  staffAuth,
} from "./identity/index.js";
import { type IdentityRuntime, secureCookies, setUpIdentity } from "./identity-options.js";
import {
  createIngestVotes,
  createKioskAdminRepository,
  createKioskAuthenticator,
  createKioskManagement,
  createKioskRepository,
  createPairKiosk,
  createProfileCache,
  createVoteWriter,
  KIOSK_CHANGED_CHANNEL,
  kioskApi,
  kioskAppRoutes,
  staffKioskApi,
} from "./kiosk/index.js";
import {
  createEntityLookup,
  createOrganization,
  createOrganizationRepository,
  staffOrganizationApi,
} from "./organization/index.js";
import {
  createDispatching,
  createDispatchRepository,
  createDispatchTracker,
  createPecSettingsRepository,
  DEFAULT_MAX_MESSAGE_BYTES,
  type DispatchReportsPort,
  staffDispatchApi,
  staffPecSettingsApi,
} from "./pec/index.js";
import { type PecRuntime, startPec } from "./pec-options.js";
import {
  createReportRepository,
  createReportScheduler,
  createReportSigning,
  createReports,
  type ReportRepository,
  type Reports,
  reportTransition,
  staffReportApi,
} from "./reports/index.js";
import { type Clock, systemClock } from "./shared/clock.js";
import { clientAddressResolver } from "./shared/http/client-address.js";
import type { AppEnv } from "./shared/http/env.js";
import { installRoot, softwareVersion } from "./shared/install.js";
import { type Logger, silentLogger } from "./shared/logger.js";
import { createRateLimiter } from "./shared/rate-limiter.js";
import { type SignatureSetup, setUpSignature, signerStatusApi } from "./signature/index.js";
import { reportSignaturePort, signatureSetupOptions } from "./signature-options.js";

/** Everything one Faccia process is made of, wired once. */
export interface Application {
  app: Hono<AppEnv>;
  database: DatabaseHandle;
  services: ReturnType<typeof createServices>;
  /** The configured signer, its certificate findings and the trust anchors (issue 5). */
  signature: SignatureSetup;
  /** Staff login: SAML SP, IdP lists, sessions (issue 7). */
  identity: IdentityRuntime;
  log: Logger;
  close(): Promise<void>;
}

export interface ApplicationOptions {
  log?: Logger;
  clock?: Clock;
  /** An already open database (tests share one); otherwise opened from config. */
  database?: DatabaseHandle;
  /** Apply pending migrations before serving (default true). */
  migrate?: boolean;
  /** An already set-up signer and trust (tests share one); otherwise from config. */
  signature?: SignatureSetup;
  /** Where the built kiosk web app is (default `dist/kiosk` in the install directory). */
  kioskAssetsDir?: string;
  /** The gateway's base URL, read when needed (default FACCIA_PUBLIC_URL, else HOST and PORT). */
  publicUrl?: () => string;
}

/** The base URL from configuration: FACCIA_PUBLIC_URL, else the address the gateway listens on. */
export function configuredUrl(config: Config, port: number = config.PORT): string {
  if (config.FACCIA_PUBLIC_URL) return config.FACCIA_PUBLIC_URL;
  // A wildcard bind address is not a place a browser (or an IdP's Destination) can name.
  const host = { "0.0.0.0": "127.0.0.1", "::": "::1" }[config.HOST] ?? config.HOST;
  return `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
}

/** In demo mode the demo kiosk's token, so that `/kiosk` on the gateway's own machine opens already paired. */
function demoKioskToken(config: Config): (() => Promise<string | null>) | undefined {
  if (!config.FACCIA_DEMO) return undefined;
  const secrets = createSecretFiles(demoSecretsDirectory(config.FACCIA_DATA_DIR));
  return () => secrets.read(DEMO_KIOSK_TOKEN_FILE);
}

export function openConfiguredDatabase(config: Config): Promise<DatabaseHandle> {
  return openDatabase({
    url: config.DATABASE_URL,
    dataDir: config.FACCIA_DATA_DIR,
    poolSize: config.DATABASE_POOL_SIZE,
  });
}

/** The reports module as the PEC dispatch sees it (issue 6): the report, its files, its lifecycle. */
function dispatchReportsPort(reports: Reports, repo: ReportRepository): DispatchReportsPort {
  return {
    async get(ipaCode, reportId) {
      const record = await reports.get(ipaCode, reportId);
      const entity = await repo.entityById(record.entityId);
      return {
        id: record.id,
        entityId: record.entityId,
        entityName: entity?.name ?? ipaCode,
        ipaCode,
        status: record.status,
        periodLabel: record.periodLabel,
        firstDay: record.firstDay,
        lastDay: record.lastDay,
        formats: record.artifacts.map((artifact) => artifact.format),
      };
    },
    file: async (ipaCode, reportId, format) =>
      (await reports.artifact(ipaCode, reportId, format as Parameters<Reports["artifact"]>[2])).content,
    transition(from, event) {
      const outcome = reportTransition(from as Parameters<typeof reportTransition>[0], event);
      return outcome.ok ? outcome.status : null;
    },
  };
}

/** The use cases, built over one database; the CLI uses them without the HTTP layer. */
export function createServices(database: DatabaseHandle, clock: Clock, options: { maxMessageBytes?: number } = {}) {
  const { db } = database;
  const kioskRepo = createKioskRepository(db);
  const profiles = createProfileCache(kioskRepo, clock);
  const voteWriter = createVoteWriter(db);
  const kioskAuthenticator = createKioskAuthenticator(kioskRepo, clock);
  const reportRepo = createReportRepository(db);
  const reports = createReports({ repo: reportRepo, clock, softwareVersion: softwareVersion() });
  const reportsForDispatch = dispatchReportsPort(reports, reportRepo);
  const dispatchRepo = createDispatchRepository(db);
  const pecSettings = createPecSettingsRepository(db);
  // The PEC worker (started by `startGateway`) listens, so a new dispatch is sent at once.
  const dispatchQueued = new EventTarget();
  const auditLog = createAuditLog(db, clock);
  return {
    auditLog,
    staffUsers: createStaffUsers({ repo: createStaffUserRepository(db, auditLog) }),
    onDispatchQueued(listener: () => void): () => void {
      dispatchQueued.addEventListener("queued", listener);
      return () => dispatchQueued.removeEventListener("queued", listener);
    },
    reportsForDispatch,
    dispatchRepo,
    pecSettings,
    dispatching: createDispatching({
      repo: dispatchRepo,
      settings: pecSettings,
      reports: reportsForDispatch,
      clock,
      maxMessageBytes: options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
      onQueued: () => dispatchQueued.dispatchEvent(new Event("queued")),
    }),
    dispatchTracker: createDispatchTracker({
      repo: dispatchRepo,
      transition: reportsForDispatch.transition,
      clock,
    }),
    reportRepo,
    reports,
    kioskRepo,
    kioskAuthenticator,
    voteWriter,
    profiles,
    entityIdByIpa: createEntityLookup(db),
    organization: createOrganization({ repo: createOrganizationRepository(db), clock }),
    accessTokens: createAccessTokens(createAccessTokenRepository(db), clock),
    kiosks: createKioskManagement({
      admin: createKioskAdminRepository(db),
      authenticator: kioskAuthenticator,
      kiosks: kioskRepo,
      profiles,
      clock,
    }),
    pairKiosk: createPairKiosk({ repo: kioskRepo, authenticator: kioskAuthenticator, profiles, clock }),
    ingestVotes: createIngestVotes({ repo: kioskRepo, writer: voteWriter, profiles, clock }),
  };
}

export async function createApplication(config: Config, options: ApplicationOptions = {}): Promise<Application> {
  const log = options.log ?? silentLogger();
  const clock = options.clock ?? systemClock;
  // Before the database: a wrong PKCS#12 password or a missing key file stops the start at once.
  const signature = options.signature ?? (await setUpSignature(signatureSetupOptions(config, clock)));
  logSignatureSetup(log, signature);
  const database = options.database ?? (await openConfiguredDatabase(config));
  if (options.migrate ?? true) await runMigrations(database);
  const services = createServices(database, clock, { maxMessageBytes: config.FACCIA_PEC_MAX_MESSAGE_BYTES });
  const identity = await setUpIdentity(config, {
    db: database.db,
    clock,
    log,
    audit: services.auditLog,
    staffUsers: services.staffUsers,
    entityByIpa: async (ipaCode) => {
      const entity = await services.organization.entities.get(ipaCode).catch(() => null);
      return entity ? { id: entity.id, name: entity.name } : null;
    },
    publicUrl: options.publicUrl ?? (() => configuredUrl(config)),
  });
  const signing = createReportSigning({
    reports: services.reports,
    repo: services.reportRepo,
    clock,
    signature: reportSignaturePort(signature.service),
    defaultFormat: config.FACCIA_SIGNATURE_FORMAT,
  });
  // Other processes revoke and re-pair kiosks too: forget their cached tokens when told.
  const tokens = services.kioskAuthenticator;
  await database.subscribe(KIOSK_CHANGED_CHANNEL, (kioskId) => tokens.forgetKiosk(kioskId), tokens.forgetAll);

  let migrationsCurrent = false;
  const readiness = {
    async problems(): Promise<string[]> {
      try {
        await database.ping(2000);
        if (!migrationsCurrent) {
          const status = await migrationStatus(database);
          migrationsCurrent = status.pending === 0;
          if (!migrationsCurrent) return [`${status.pending} database migration(s) pending: run 'faccia migrate'`];
        }
        return [];
      } catch {
        return ["database unreachable"];
      }
    },
  };

  const clientAddress = clientAddressResolver(config.FACCIA_TRUST_PROXY);
  const demoToken = demoKioskToken(config);
  const app = createGatewayApp({
    log,
    readiness,
    version: softwareVersion(),
    kioskApi: kioskApi({
      repo: services.kioskRepo,
      authenticator: services.kioskAuthenticator,
      profiles: services.profiles,
      pairKiosk: services.pairKiosk,
      ingestVotes: services.ingestVotes,
      clock,
      kioskLimiter: createRateLimiter(config.FACCIA_KIOSK_RATE_LIMIT, clock),
      pairingLimiter: createRateLimiter(config.FACCIA_PAIRING_RATE_LIMIT, clock),
      clientAddress,
    }),
    kioskApp: kioskAppRoutes({
      assetsDir: options.kioskAssetsDir ?? join(installRoot(), "dist", "kiosk"),
      clientAddress,
      ...(demoToken ? { demoToken } : {}),
    }),
    pages: identity.routes,
    staffAuth: staffAuth({
      tokens: services.accessTokens,
      sessions: identity.sessions,
      secureCookies: secureCookies(config),
    }),
    staffAudit: auditTrail({ log: services.auditLog, resolveEntityId: services.entityIdByIpa, prefix: "/api/v1" }),
    staffApis: [
      staffKioskApi({ kiosks: services.kiosks, resolveEntityId: services.entityIdByIpa }),
      staffReportApi({ reports: services.reports, signing, resolveEntityId: services.entityIdByIpa }),
      signerStatusApi({ setup: signature, clock, resolveEntityId: services.entityIdByIpa }),
      staffPecSettingsApi({ settings: services.pecSettings, resolveEntityId: services.entityIdByIpa }),
      staffDispatchApi({
        dispatching: services.dispatching,
        repo: services.dispatchRepo,
        resolveEntityId: services.entityIdByIpa,
      }),
      staffOrganizationApi({
        organization: services.organization,
        onCatalogueChange: (entityId) => {
          services.profiles.invalidate(entityId);
          tokens.forgetEntity(entityId);
        },
      }),
    ],
  });

  return {
    app,
    database,
    services,
    signature,
    identity,
    log,
    close: async () => {
      identity.stop();
      await services.voteWriter.drain();
      if (!options.database) await database.close();
    },
  };
}

/** The signer and its certificate's health at start: an expiring seal must not surprise the secretary. */
function logSignatureSetup(log: Logger, setup: SignatureSetup): void {
  const certificate = setup.signerCertificate;
  if (certificate) {
    log.info(
      { subject: certificate.subject, notAfter: certificate.notAfter.toISOString(), trustAnchors: setup.trust.anchors },
      "report signer ready",
    );
  } else if (setup.perEntity) {
    log.info({ trustAnchors: setup.trust.anchors }, "report signer per entity: each key is opened when first used");
  } else {
    log.info({ trustAnchors: setup.trust.anchors }, "no report signer configured (FACCIA_SIGNER)");
  }
  for (const finding of setup.findings) {
    const fields = { code: finding.code, daysLeft: finding.daysLeft, detail: finding.message };
    if (finding.severity === "error") log.error(fields, "report signer certificate not usable");
    else log.warn(fields, "report signer certificate needs attention");
  }
}

export interface RunningGateway {
  application: Application;
  /** The PEC side: the sandbox provider (demo) and the worker. */
  pec: PecRuntime;
  server: Server;
  url: string;
  /** Stops accepting, lets in-flight requests finish (up to the timeout), closes the database. */
  shutdown(reason: string): Promise<void>;
}

/** Starts the HTTP server and (unless told not to) installs SIGTERM/SIGINT handling for a graceful stop. */
export async function startGateway(
  config: Config,
  log: Logger,
  options: { handleSignals?: boolean } = {},
): Promise<RunningGateway> {
  // The URL is known for sure only once the server listens (PORT=0 picks a free port).
  let listeningUrl: string | undefined;
  const application = await createApplication(config, { log, publicUrl: () => listeningUrl ?? configuredUrl(config) });
  // PEC before listening: a wrong PEC configuration stops the start, and nothing is left running.
  const pec = await startPec(config, application, systemClock, log).catch(async (error: unknown) => {
    await application.close();
    throw error;
  });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: application.app.fetch, hostname: config.HOST, port: config.PORT }, () =>
      resolve(s as Server),
    ) as Server;
    // EADDRINUSE and friends: report, close the database, let the caller decide (the CLI exits 2).
    s.once("error", (error) => {
      void pec
        .stop()
        .then(() => application.close())
        .finally(() => reject(error));
    });
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.PORT;
  const url = configuredUrl(config, port);
  listeningUrl = url;

  let stopping: Promise<void> | undefined;
  const shutdown = (reason: string) => {
    stopping ??= (async () => {
      log.info({ reason }, "shutting down: no new connections, finishing in-flight requests");
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const deadline = setTimeout(() => {
        log.warn("shutdown timeout reached: closing remaining connections");
        server.closeAllConnections();
      }, config.FACCIA_SHUTDOWN_TIMEOUT_SECONDS * 1000);
      await closed;
      clearTimeout(deadline);
      await scheduler?.stop();
      await pec.stop();
      await application.close();
      log.info("stopped");
    })();
    return stopping;
  };
  if (options.handleSignals ?? true) {
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
      process.once(signal, () => {
        void shutdown(signal).then(() => process.exit(0));
      });
    }
  }
  const scheduler = config.FACCIA_REPORT_SCHEDULER
    ? createReportScheduler({
        reports: application.services.reports,
        repo: application.services.reportRepo,
        clock: systemClock,
        log,
        withLock: (key, work) => application.database.withExclusiveLock(key, work),
      })
    : undefined;
  scheduler?.start();
  application.identity.startRetention();
  log.info({ url, database: application.database.kind, location: application.database.location }, "gateway listening");
  return { application, pec, server, url, shutdown };
}
