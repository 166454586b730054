import type { AccessTokens } from "../identity/index.js";
import type { KioskManagement } from "../kiosk/index.js";
import type { Clock } from "../shared/clock.js";
import { hashSecret } from "../shared/secrets.js";
import { localDateOf, monthsBefore } from "./calendar.js";
import { DEFAULT_REASONS, DEMO_ENTITY, DEMO_KIOSK_NAME, DEMO_OFFICE, serviceByCode } from "./catalogue.js";
import { generateVotes, type VoteSlot } from "./generate-votes.js";
import type { DemoStore, EntityStructure, SecretStore, StoredEntity, StoredSlot } from "./ports.js";
import { servedCountsFor } from "./served-counts.js";

export const DEMO_KIOSK_TOKEN_FILE = "kiosk-token.txt";
export const DEMO_ADMIN_TOKEN_FILE = "admin-token.txt";
export const DEMO_ADMIN_TOKEN_NAME = "Demo admin";
/** Votes the demo comune starts with, spread over the last three months. */
export const DEMO_VOTES = 1_500;
const DEMO_MONTHS = 3;
const DEMO_SEED = 20_090_101;

export interface EnsureDemoDeps {
  store: DemoStore;
  secrets: SecretStore;
  kiosks: Pick<KioskManagement, "pairingCodeByName">;
  pairKiosk(code: string): Promise<{ token: string; kiosk: { id: string } }>;
  accessTokens: Pick<AccessTokens, "create" | "authenticate" | "list" | "revoke">;
  /** Serializes concurrent starts of several replicas on one database. */
  withLock<T>(work: () => Promise<T>): Promise<T>;
  clock: Clock;
}

/** What the embedded demo looks like after `ensureDemo`, for the start banner. */
export interface DemoState {
  entityId: string;
  ipaCode: string;
  name: string;
  officeId: string;
  kiosk: { id: string; name: string; token: string; paired: boolean; tokenFile: string };
  admin: { token: string; created: boolean; tokenFile: string };
  entityCreated: boolean;
  votesCreated: number;
}

export function demoStructure(): EntityStructure {
  return {
    ...DEMO_ENTITY,
    offices: [
      {
        name: DEMO_OFFICE.name,
        desks: DEMO_OFFICE.desks.map((desk) => ({
          name: desk.name,
          services: desk.serviceCodes.map((code) => {
            const { name, names } = serviceByCode(code);
            return { code, name, names };
          }),
        })),
      },
    ],
    reasons: DEFAULT_REASONS,
    kiosks: [],
  };
}

/** The demo kiosk's token: the stored one while it still works, otherwise a fresh pairing. */
async function ensureDemoKiosk(deps: EnsureDemoDeps, entity: StoredEntity, officeId: string) {
  const tokenFile = deps.secrets.locationOf(DEMO_KIOSK_TOKEN_FILE);
  const saved = await deps.secrets.read(DEMO_KIOSK_TOKEN_FILE);
  const savedId = saved ? await deps.store.activeKioskIdByTokenHash(hashSecret(saved)) : null;
  if (saved && savedId && entity.kioskIds.get(DEMO_KIOSK_NAME) === savedId) {
    return { id: savedId, name: DEMO_KIOSK_NAME, token: saved, paired: false, tokenFile };
  }
  const { code } = await deps.kiosks.pairingCodeByName(entity.entityId, DEMO_KIOSK_NAME, officeId);
  const { token, kiosk } = await deps.pairKiosk(code);
  await deps.secrets.write(DEMO_KIOSK_TOKEN_FILE, token);
  return { id: kiosk.id, name: DEMO_KIOSK_NAME, token, paired: true, tokenFile };
}

/** The demo admin's access token: the stored one while it works, otherwise a new one (orphans revoked). */
async function ensureDemoAdmin(deps: EnsureDemoDeps, entityId: string) {
  const tokenFile = deps.secrets.locationOf(DEMO_ADMIN_TOKEN_FILE);
  const saved = await deps.secrets.read(DEMO_ADMIN_TOKEN_FILE);
  const principal = saved ? await deps.accessTokens.authenticate(saved) : null;
  const grant = principal?.grants[0];
  if (saved && grant?.entityId === entityId && grant.role === "admin") {
    return { token: saved, created: false, tokenFile };
  }
  const orphans = (await deps.accessTokens.list()).filter(
    (t) => t.entityId === entityId && t.name === DEMO_ADMIN_TOKEN_NAME && t.revokedAt === null,
  );
  for (const orphan of orphans) await deps.accessTokens.revoke(orphan.id);
  const { token } = await deps.accessTokens.create({
    name: DEMO_ADMIN_TOKEN_NAME,
    role: "admin",
    entityIpaCode: DEMO_ENTITY.ipaCode,
  });
  await deps.secrets.write(DEMO_ADMIN_TOKEN_FILE, token);
  return { token, created: true, tokenFile };
}

/** A few months of votes at the demo kiosk, written only while the demo comune has none. */
async function ensureDemoVotes(deps: EnsureDemoDeps, entity: StoredEntity, kioskId: string): Promise<number> {
  if ((await deps.store.countVotes(entity.entityId)) > 0) return 0;
  const entries = entity.desks.flatMap((desk) => desk.services.map((service) => ({ desk, service })));
  const slots: VoteSlot[] = entries.map(({ service }) => {
    const definition = serviceByCode(service.code);
    return { entityIndex: 0, service: definition, weight: definition.demand };
  });
  const rows: StoredSlot[] = entries.map(({ desk, service }) => ({
    entityId: entity.entityId,
    officeId: desk.officeId,
    deskId: null,
    serviceId: service.serviceId,
    kioskId,
    reasonIds: entity.reasonIds,
  }));
  const now = deps.clock.now();
  const until = localDateOf(now.getTime(), DEMO_ENTITY.timezone);
  const since = monthsBefore(until, DEMO_MONTHS);
  const batches = generateVotes({
    seed: DEMO_SEED,
    votes: DEMO_VOTES,
    since,
    until,
    timeZone: DEMO_ENTITY.timezone,
    slots,
    entityCount: 1,
    nowMs: now.getTime(),
  });
  const { inserted } = await deps.store.writeVotes(batches, rows);
  await deps.store.saveServedCounts(
    servedCountsFor(await deps.store.serviceMonthVotes([entity.entityId], DEMO_ENTITY.timezone), DEMO_SEED),
  );
  return inserted;
}

/**
 * The embedded demo (DESIGN.md "Fixed defaults"): the comune `c_demo` with
 * its office, desks, services and reasons, a paired kiosk, an admin token and
 * some votes. Idempotent: run at every `faccia start`, it only fills in what
 * is missing and never duplicates a row.
 */
export async function ensureDemo(deps: EnsureDemoDeps): Promise<DemoState> {
  return deps.withLock(async () => {
    const entity = await deps.store.ensureEntity(demoStructure(), deps.clock.now());
    const officeId = entity.officeIds.get(DEMO_OFFICE.name);
    if (!officeId) throw new Error(`the demo office "${DEMO_OFFICE.name}" is missing`);
    const kiosk = await ensureDemoKiosk(deps, entity, officeId);
    const admin = await ensureDemoAdmin(deps, entity.entityId);
    const votesCreated = await ensureDemoVotes(deps, entity, kiosk.id);
    return {
      entityId: entity.entityId,
      ipaCode: DEMO_ENTITY.ipaCode,
      name: DEMO_ENTITY.name,
      officeId,
      kiosk,
      admin,
      entityCreated: entity.created,
      votesCreated,
    };
  });
}
