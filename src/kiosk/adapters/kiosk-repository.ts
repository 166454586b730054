import { and, asc, eq, gt, gte, inArray, isNull, lte, sql } from "drizzle-orm";
import type { Database } from "../../db/index.js";
import { tables } from "../../db/index.js";
import type { Language } from "../../shared/domain.js";
import { HEARTBEAT_SECONDS, type KioskProfile, resolveFaceLabels } from "../domain/profile.js";
import type { TimedVote, VoteIdentity, VoteRejection, VoteRules } from "../domain/vote.js";

const {
  entities,
  kiosks,
  kioskServices,
  pairingCodes,
  kioskHeartbeatDays,
  votes,
  voteRejections,
  offices,
  desks,
  services,
  reasons,
} = tables;

/** The kiosk behind a bearer token, with the entity settings vote ingestion needs. */
export interface KioskIdentity {
  id: string;
  entityId: string;
  officeId: string;
  deskId: string | null;
  repeatIntervalSeconds: number;
  timezone: string;
}

export interface VoteRow {
  id: string;
  entityId: string;
  kioskId: string;
  officeId: string;
  deskId: string | null;
  serviceId: string;
  judgment: string;
  reasonId: string | null;
  castAt: Date;
  castAtCorrected: Date | null;
  suspectedRepeat: boolean;
}

export interface HeartbeatData {
  appVersion: string;
  queueDepth: number;
  lastSyncAt: Date | null;
}

export type KioskRepository = ReturnType<typeof createKioskRepository>;

export function createKioskRepository(db: Database) {
  return {
    async findByTokenHash(tokenHash: string): Promise<KioskIdentity | null> {
      const rows = await db
        .select({
          id: kiosks.id,
          entityId: kiosks.entityId,
          officeId: kiosks.officeId,
          deskId: kiosks.deskId,
          repeatIntervalSeconds: entities.repeatIntervalSeconds,
          timezone: entities.timezone,
        })
        .from(kiosks)
        .innerJoin(entities, eq(entities.id, kiosks.entityId))
        .where(and(eq(kiosks.tokenHash, tokenHash), eq(kiosks.status, "active")))
        .limit(1);
      return rows[0] ?? null;
    },

    /** The kiosk's profile and the rules its votes are checked against; null if it does not exist. */
    async loadProfile(kioskId: string): Promise<{ profile: KioskProfile; rules: VoteRules } | null> {
      const [head] = await db
        .select({ kiosk: kiosks, entity: entities, office: { id: offices.id, name: offices.name } })
        .from(kiosks)
        .innerJoin(entities, eq(entities.id, kiosks.entityId))
        .innerJoin(offices, eq(offices.id, kiosks.officeId))
        .where(eq(kiosks.id, kioskId));
      if (!head) return null;
      const { kiosk, entity, office } = head;
      const [desk] = kiosk.deskId
        ? await db.select({ id: desks.id, name: desks.name }).from(desks).where(eq(desks.id, kiosk.deskId))
        : [];
      const entityServices = await db
        .select({
          id: services.id,
          code: services.code,
          name: services.name,
          names: services.names,
          active: services.active,
          officeId: desks.officeId,
          deskId: services.deskId,
          sortOrder: services.sortOrder,
        })
        .from(services)
        .innerJoin(desks, eq(desks.id, services.deskId))
        .where(eq(services.entityId, entity.id))
        .orderBy(asc(services.sortOrder), asc(services.name));
      const chosen = await db
        .select({ serviceId: kioskServices.serviceId })
        .from(kioskServices)
        .where(eq(kioskServices.kioskId, kiosk.id));
      const chosenIds = new Set(chosen.map((row) => row.serviceId));
      const offered = entityServices.filter(
        (s) =>
          s.active &&
          (chosenIds.size > 0
            ? chosenIds.has(s.id)
            : s.officeId === kiosk.officeId && (kiosk.deskId === null || s.deskId === kiosk.deskId)),
      );
      const catalogue = await db
        .select({ code: reasons.code, label: reasons.label, labels: reasons.labels })
        .from(reasons)
        .where(and(eq(reasons.entityId, entity.id), eq(reasons.active, true)))
        .orderBy(asc(reasons.sortOrder), asc(reasons.code));
      const languages = entity.languages as Language[];
      const profile: KioskProfile = {
        id: kiosk.id,
        name: kiosk.name,
        entity: {
          ipaCode: entity.ipaCode,
          name: entity.name,
          timezone: entity.timezone,
          defaultLanguage: entity.defaultLanguage as Language,
          languages,
        },
        office,
        desk: desk ?? null,
        services: offered.map(({ id, code, name, names }) => ({ id, code, name, names })),
        reasons: catalogue,
        labels: resolveFaceLabels(languages, entity.faceLabels),
        settings: {
          thankYouSeconds: entity.thankYouSeconds,
          idleSeconds: entity.idleSeconds,
          repeatIntervalSeconds: entity.repeatIntervalSeconds,
          heartbeatSeconds: HEARTBEAT_SECONDS,
        },
      };
      const rules: VoteRules = {
        entityServiceIds: new Set(entityServices.map((s) => s.id)),
        offeredServiceIds: new Set(offered.map((s) => s.id)),
        reasonCodes: new Set(catalogue.map((r) => r.code)),
      };
      return { profile, rules };
    },

    async reasonIdsByCode(entityId: string): Promise<Map<string, string>> {
      const rows = await db
        .select({ id: reasons.id, code: reasons.code })
        .from(reasons)
        .where(eq(reasons.entityId, entityId));
      return new Map(rows.map((row) => [row.code, row.id]));
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

    /** Cast times of the kiosk's stored votes in `[from, to]`, for repeat detection. */
    async castTimesBetween(kioskId: string, from: Date, to: Date): Promise<TimedVote[]> {
      const rows = await db
        .select({ id: votes.id, castAt: votes.castAt })
        .from(votes)
        .where(and(eq(votes.kioskId, kioskId), gte(votes.castAt, from), lte(votes.castAt, to)));
      return rows.map((row) => ({ id: row.id, castAtMs: row.castAt.getTime() }));
    },

    /**
     * Stores accepted votes and the batch's rejections in one transaction.
     * Returns the ids actually inserted: an id already present (a resend, or
     * a concurrent submission of the same batch) is left alone.
     */
    async storeBatch(rows: VoteRow[], rejected: VoteRejection[], kiosk: KioskIdentity): Promise<Set<string>> {
      return db.transaction(async (tx) => {
        // Rows in id order: two transactions inserting overlapping batches lock in the same order, never deadlock.
        const ordered = [...rows].sort((a, b) => (a.id < b.id ? -1 : 1));
        const inserted =
          ordered.length === 0
            ? []
            : await tx
                .insert(votes)
                .values(ordered)
                .onConflictDoNothing({ target: votes.id })
                .returning({ id: votes.id });
        if (rejected.length > 0) {
          await tx
            .insert(voteRejections)
            .values(rejected.map((r) => ({ entityId: kiosk.entityId, kioskId: kiosk.id, voteId: r.id, code: r.code })));
        }
        return new Set(inserted.map((row) => row.id));
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
