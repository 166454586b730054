import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import type { Database } from "../../db/index.js";
import { tables } from "../../db/index.js";
import { notifyKioskChanged } from "./kiosk-notifications.js";

const { kiosks, kioskServices, pairingCodes, offices, desks, services } = tables;

/** A kiosk as staff see it. */
export interface KioskView {
  id: string;
  name: string;
  officeId: string;
  deskId: string | null;
  status: "pending" | "active" | "revoked";
  /** Explicit service list, or null: every active service of the office (or desk). */
  serviceIds: string[] | null;
  pairedAt: string | null;
  revokedAt: string | null;
  lastSeenAt: string | null;
  appVersion: string | null;
  queueDepth: number | null;
  lastSyncAt: string | null;
  createdAt: string;
}

export interface KioskDraft {
  name: string;
  officeId: string;
  deskId?: string | null | undefined;
  serviceIds?: string[] | null | undefined;
}

type KioskRow = typeof kiosks.$inferSelect;

const iso = (value: Date | null): string | null => (value ? value.toISOString() : null);

function toView(row: KioskRow, serviceIds: string[] | null): KioskView {
  return {
    id: row.id,
    name: row.name,
    officeId: row.officeId,
    deskId: row.deskId,
    status: row.status as KioskView["status"],
    serviceIds,
    pairedAt: iso(row.pairedAt),
    revokedAt: iso(row.revokedAt),
    lastSeenAt: iso(row.lastSeenAt),
    appVersion: row.appVersion,
    queueDepth: row.queueDepth,
    lastSyncAt: iso(row.lastSyncAt),
    createdAt: row.createdAt.toISOString(),
  };
}

export type KioskAdminRepository = ReturnType<typeof createKioskAdminRepository>;

export function createKioskAdminRepository(db: Database) {
  async function serviceIdsOf(kioskIds: string[]): Promise<Map<string, string[]>> {
    const map = new Map<string, string[]>();
    if (kioskIds.length === 0) return map;
    const rows = await db.select().from(kioskServices).where(inArray(kioskServices.kioskId, kioskIds));
    for (const row of rows) map.set(row.kioskId, [...(map.get(row.kioskId) ?? []), row.serviceId]);
    return map;
  }

  return {
    async list(entityId: string): Promise<KioskView[]> {
      const rows = await db.select().from(kiosks).where(eq(kiosks.entityId, entityId)).orderBy(asc(kiosks.name));
      const chosen = await serviceIdsOf(rows.map((r) => r.id));
      return rows.map((row) => toView(row, chosen.get(row.id) ?? null));
    },

    async get(entityId: string, id: string): Promise<KioskView | null> {
      const [row] = await db
        .select()
        .from(kiosks)
        .where(and(eq(kiosks.entityId, entityId), eq(kiosks.id, id)));
      if (!row) return null;
      return toView(row, (await serviceIdsOf([row.id])).get(row.id) ?? null);
    },

    async findByName(entityId: string, name: string): Promise<KioskView | null> {
      const [row] = await db
        .select()
        .from(kiosks)
        .where(and(eq(kiosks.entityId, entityId), eq(kiosks.name, name)));
      if (!row) return null;
      return toView(row, (await serviceIdsOf([row.id])).get(row.id) ?? null);
    },

    /** Offices, desks and services of the entity, to check a draft's references. */
    async placement(entityId: string) {
      const [officeRows, deskRows, serviceRows] = await Promise.all([
        db
          .select({ id: offices.id })
          .from(offices)
          .where(eq(offices.entityId, entityId))
          .orderBy(asc(offices.createdAt)),
        db.select({ id: desks.id, officeId: desks.officeId }).from(desks).where(eq(desks.entityId, entityId)),
        db.select({ id: services.id }).from(services).where(eq(services.entityId, entityId)),
      ]);
      return {
        officeIds: officeRows.map((r) => r.id),
        deskOffice: new Map(deskRows.map((r) => [r.id, r.officeId])),
        serviceIds: new Set(serviceRows.map((r) => r.id)),
      };
    },

    async create(entityId: string, draft: KioskDraft): Promise<string> {
      return db.transaction(async (tx) => {
        const [row] = await tx
          .insert(kiosks)
          .values({ entityId, name: draft.name, officeId: draft.officeId, deskId: draft.deskId ?? null })
          .returning({ id: kiosks.id });
        const id = (row as { id: string }).id;
        if (draft.serviceIds && draft.serviceIds.length > 0) {
          await tx.insert(kioskServices).values(draft.serviceIds.map((serviceId) => ({ kioskId: id, serviceId })));
        }
        return id;
      });
    },

    async update(id: string, changes: Partial<KioskDraft>, now: Date): Promise<void> {
      await db.transaction(async (tx) => {
        const set: Partial<KioskRow> = { updatedAt: now };
        if (changes.name !== undefined) set.name = changes.name;
        if (changes.officeId !== undefined) set.officeId = changes.officeId;
        if (changes.deskId !== undefined) set.deskId = changes.deskId;
        await tx.update(kiosks).set(set).where(eq(kiosks.id, id));
        await notifyKioskChanged(tx, id);
        if (changes.serviceIds !== undefined) {
          await tx.delete(kioskServices).where(eq(kioskServices.kioskId, id));
          if (changes.serviceIds && changes.serviceIds.length > 0) {
            await tx.insert(kioskServices).values(changes.serviceIds.map((serviceId) => ({ kioskId: id, serviceId })));
          }
        }
      });
    },

    /** Revocation takes effect on the next request: the token hash is gone, and so are open codes. */
    async revoke(id: string, now: Date): Promise<void> {
      await db.transaction(async (tx) => {
        await tx
          .update(kiosks)
          .set({ status: "revoked", tokenHash: null, revokedAt: now, updatedAt: now })
          .where(eq(kiosks.id, id));
        await notifyKioskChanged(tx, id);
        await tx
          .update(pairingCodes)
          .set({ usedAt: now })
          .where(and(eq(pairingCodes.kioskId, id), isNull(pairingCodes.usedAt)));
      });
    },
  };
}
