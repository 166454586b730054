import { and, asc, eq } from "drizzle-orm";
import type { Database } from "../../db/index.js";
import { tables } from "../../db/index.js";
import type { Desk, DeskCreate, DeskUpdate, Office, OfficeCreate, OfficeUpdate } from "../domain/catalogue.js";
import { guardConstraints } from "./constraint-errors.js";

const { offices, desks } = tables;

type OfficeRow = typeof offices.$inferSelect;
type DeskRow = typeof desks.$inferSelect;

const stamps = (row: { createdAt: Date; updatedAt: Date }) => ({
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

function toOffice(row: OfficeRow): Office {
  return { id: row.id, name: row.name, address: row.address, ...stamps(row) };
}

function toDesk(row: DeskRow): Desk {
  return { id: row.id, officeId: row.officeId, name: row.name, ...stamps(row) };
}

const officeNameTaken = (name: string | undefined) => ({
  unique: { office_entity_name_key: `an office named "${name}" already exists in this entity` },
});
const deskNameTaken = (name: string | undefined) => ({
  unique: { desk_office_name_key: `a desk named "${name}" already exists in this office` },
});

export type PlaceRepository = ReturnType<typeof createPlaceRepository>;

/** Offices (sedi) and their desks (sportelli). Every query is scoped to one entity. */
export function createPlaceRepository(db: Database) {
  return {
    async listOffices(entityId: string): Promise<Office[]> {
      const rows = await db.select().from(offices).where(eq(offices.entityId, entityId)).orderBy(asc(offices.name));
      return rows.map(toOffice);
    },

    async getOffice(entityId: string, id: string): Promise<Office | null> {
      const [row] = await db
        .select()
        .from(offices)
        .where(and(eq(offices.entityId, entityId), eq(offices.id, id)));
      return row ? toOffice(row) : null;
    },

    async createOffice(entityId: string, draft: OfficeCreate): Promise<Office> {
      return guardConstraints(officeNameTaken(draft.name), async () => {
        const [row] = await db
          .insert(offices)
          .values({ ...draft, entityId })
          .returning();
        return toOffice(row as OfficeRow);
      });
    },

    async updateOffice(entityId: string, id: string, changes: OfficeUpdate, now: Date): Promise<Office | null> {
      return guardConstraints(officeNameTaken(changes.name), async () => {
        const [row] = await db
          .update(offices)
          .set({ ...changes, updatedAt: now })
          .where(and(eq(offices.entityId, entityId), eq(offices.id, id)))
          .returning();
        return row ? toOffice(row) : null;
      });
    },

    async removeOffice(entityId: string, id: string): Promise<boolean> {
      const inUse = (referrers: string) => `office ${id} still has ${referrers}: delete or move them first`;
      return guardConstraints({ inUse }, async () => {
        const deleted = await db
          .delete(offices)
          .where(and(eq(offices.entityId, entityId), eq(offices.id, id)))
          .returning({ id: offices.id });
        return deleted.length > 0;
      });
    },

    /** The entity's desks, or one office's. */
    async listDesks(entityId: string, officeId?: string): Promise<Desk[]> {
      const scope = eq(desks.entityId, entityId);
      const rows = await db
        .select()
        .from(desks)
        .where(officeId === undefined ? scope : and(scope, eq(desks.officeId, officeId)))
        .orderBy(asc(desks.name));
      return rows.map(toDesk);
    },

    async getDesk(entityId: string, id: string): Promise<Desk | null> {
      const [row] = await db
        .select()
        .from(desks)
        .where(and(eq(desks.entityId, entityId), eq(desks.id, id)));
      return row ? toDesk(row) : null;
    },

    async createDesk(entityId: string, draft: DeskCreate): Promise<Desk> {
      return guardConstraints(deskNameTaken(draft.name), async () => {
        const [row] = await db
          .insert(desks)
          .values({ ...draft, entityId })
          .returning();
        return toDesk(row as DeskRow);
      });
    },

    async updateDesk(entityId: string, id: string, changes: DeskUpdate, now: Date): Promise<Desk | null> {
      return guardConstraints(deskNameTaken(changes.name), async () => {
        const [row] = await db
          .update(desks)
          .set({ ...changes, updatedAt: now })
          .where(and(eq(desks.entityId, entityId), eq(desks.id, id)))
          .returning();
        return row ? toDesk(row) : null;
      });
    },

    async removeDesk(entityId: string, id: string): Promise<boolean> {
      const inUse = (referrers: string) => `desk ${id} still has ${referrers}: delete or move them first`;
      return guardConstraints({ inUse }, async () => {
        const deleted = await db
          .delete(desks)
          .where(and(eq(desks.entityId, entityId), eq(desks.id, id)))
          .returning({ id: desks.id });
        return deleted.length > 0;
      });
    },
  };
}
