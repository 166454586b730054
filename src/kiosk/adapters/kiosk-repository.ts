import { and, asc, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import type { Database } from "../../db/index.js";
import { tables } from "../../db/index.js";
import type { Language } from "../../shared/domain.js";
import type { EntityCatalogue } from "../domain/profile.js";
import type { VoteIdentity } from "../domain/vote.js";
import { notifyKioskChanged } from "./kiosk-notifications.js";

const { entities, kiosks, kioskServices, pairingCodes, kioskHeartbeatDays, votes, offices, desks, services, reasons } =
  tables;

/** The kiosk behind a bearer token, with the entity settings vote ingestion needs. */
export interface KioskIdentity {
  id: string;
  name: string;
  entityId: string;
  officeId: string;
  deskId: string | null;
  repeatIntervalSeconds: number;
  timezone: string;
}

export interface HeartbeatData {
  appVersion: string;
  queueDepth: number;
  lastSyncAt: Date | null;
}

export type KioskRepository = ReturnType<typeof createKioskRepository>;

const identityColumns = {
  id: kiosks.id,
  name: kiosks.name,
  entityId: kiosks.entityId,
  officeId: kiosks.officeId,
  deskId: kiosks.deskId,
  repeatIntervalSeconds: entities.repeatIntervalSeconds,
  timezone: entities.timezone,
};

export function createKioskRepository(db: Database) {
  // On every kiosk request: built once (Drizzle's query building costs more than the query itself).
  const byTokenHashes = db
    .select({ tokenHash: kiosks.tokenHash, ...identityColumns })
    .from(kiosks)
    .innerJoin(entities, eq(entities.id, kiosks.entityId))
    .where(and(sql`${kiosks.tokenHash} = any(${sql.placeholder("hashes")}::text[])`, eq(kiosks.status, "active")))
    .prepare("kiosk_by_token_hashes");

  return {
    /** Active kiosks for many token hashes in one query (concurrent requests share it). */
    async findByTokenHashes(tokenHashes: readonly string[]): Promise<Map<string, KioskIdentity>> {
      const rows = await byTokenHashes.execute({ hashes: [...tokenHashes] });
      return new Map(rows.map(({ tokenHash, ...identity }) => [tokenHash as string, identity]));
    },

    async findById(kioskId: string): Promise<KioskIdentity | null> {
      const [row] = await db
        .select(identityColumns)
        .from(kiosks)
        .innerJoin(entities, eq(entities.id, kiosks.entityId))
        .where(eq(kiosks.id, kioskId));
      return row ?? null;
    },

    /** Everything the entity's kiosks show and check votes against; null if the entity is gone. */
    async loadCatalogue(entityId: string): Promise<EntityCatalogue | null> {
      const [entity] = await db.select().from(entities).where(eq(entities.id, entityId));
      if (!entity) return null;
      const [officeRows, deskRows, serviceRows, reasonRows, chosenRows] = await Promise.all([
        db.select({ id: offices.id, name: offices.name }).from(offices).where(eq(offices.entityId, entityId)),
        db.select({ id: desks.id, name: desks.name }).from(desks).where(eq(desks.entityId, entityId)),
        db
          .select({
            id: services.id,
            code: services.code,
            name: services.name,
            names: services.names,
            active: services.active,
            officeId: desks.officeId,
            deskId: services.deskId,
          })
          .from(services)
          .innerJoin(desks, eq(desks.id, services.deskId))
          .where(eq(services.entityId, entityId))
          .orderBy(asc(services.sortOrder), asc(services.name)),
        db
          .select({ id: reasons.id, code: reasons.code, label: reasons.label, labels: reasons.labels })
          .from(reasons)
          .where(and(eq(reasons.entityId, entityId), eq(reasons.active, true)))
          .orderBy(asc(reasons.sortOrder), asc(reasons.code)),
        db
          .select({ kioskId: kioskServices.kioskId, serviceId: kioskServices.serviceId })
          .from(kioskServices)
          .innerJoin(kiosks, eq(kiosks.id, kioskServices.kioskId))
          .where(eq(kiosks.entityId, entityId)),
      ]);
      const kioskServiceMap = new Map<string, Set<string>>();
      for (const row of chosenRows) {
        kioskServiceMap.set(row.kioskId, (kioskServiceMap.get(row.kioskId) ?? new Set()).add(row.serviceId));
      }
      return {
        entity: {
          ...entity,
          defaultLanguage: entity.defaultLanguage as Language,
          languages: entity.languages as Language[],
        },
        offices: new Map(officeRows.map((r) => [r.id, r.name])),
        desks: new Map(deskRows.map((r) => [r.id, r.name])),
        services: serviceRows,
        reasons: reasonRows,
        kioskServices: kioskServiceMap,
      };
    },

    async addPairingCode(kioskId: string, codeHash: string, expiresAt: Date): Promise<void> {
      await db.insert(pairingCodes).values({ kioskId, codeHash, expiresAt });
    },

    /**
     * Spends a pairing code and gives its kiosk a new token, atomically: the
     * `used_at is null` guard makes a code work once even under concurrency.
     */
    async redeemPairingCode(codeHash: string, tokenHash: string, now: Date): Promise<string | null> {
      return db.transaction(async (tx) => {
        const [code] = await tx
          .update(pairingCodes)
          .set({ usedAt: now })
          .where(and(eq(pairingCodes.codeHash, codeHash), isNull(pairingCodes.usedAt), gt(pairingCodes.expiresAt, now)))
          .returning({ kioskId: pairingCodes.kioskId });
        if (!code) return null;
        await tx
          .update(kiosks)
          .set({ tokenHash, status: "active", pairedAt: now, revokedAt: null, lastSeenAt: now, updatedAt: now })
          .where(eq(kiosks.id, code.kioskId));
        await notifyKioskChanged(tx, code.kioskId);
        return code.kioskId;
      });
    },

    async recordHeartbeat(kiosk: KioskIdentity, data: HeartbeatData, now: Date, day: string): Promise<void> {
      await db.transaction(async (tx) => {
        await tx
          .update(kiosks)
          .set({
            lastSeenAt: now,
            appVersion: data.appVersion,
            queueDepth: data.queueDepth,
            lastSyncAt: data.lastSyncAt,
          })
          .where(eq(kiosks.id, kiosk.id));
        await tx
          .insert(kioskHeartbeatDays)
          .values({ kioskId: kiosk.id, day, firstAt: now, lastAt: now })
          .onConflictDoUpdate({
            target: [kioskHeartbeatDays.kioskId, kioskHeartbeatDays.day],
            set: { beats: sql`${kioskHeartbeatDays.beats} + 1`, lastAt: now },
          });
      });
    },

    /** Stored votes by id, in the shape used to tell a resend from a conflicting reuse of an id. */
    async findVotes(ids: string[]): Promise<Map<string, VoteIdentity>> {
      if (ids.length === 0) return new Map();
      const rows = await db
        .select({
          id: votes.id,
          kioskId: votes.kioskId,
          serviceId: votes.serviceId,
          judgment: votes.judgment,
          reason: reasons.code,
          castAt: votes.castAt,
        })
        .from(votes)
        .leftJoin(reasons, eq(reasons.id, votes.reasonId))
        .where(inArray(votes.id, ids));
      return new Map(
        rows.map((row) => [
          row.id,
          {
            kioskId: row.kioskId,
            serviceId: row.serviceId,
            judgment: row.judgment,
            reason: row.reason,
            castAtMs: row.castAt.getTime(),
          },
        ]),
      );
    },
  };
}
