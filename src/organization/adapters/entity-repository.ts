import { asc, eq } from "drizzle-orm";
import type { Database } from "../../db/index.js";
import { tables } from "../../db/index.js";
import type { Language } from "../../shared/domain.js";
import type { Entity, EntityCreate, EntityUpdate, FaceLabels, ReasonSeed } from "../domain/entity.js";
import { guardConstraints } from "./constraint-errors.js";

const { entities, reasons } = tables;

type EntityRow = typeof entities.$inferSelect;

function toEntity(row: EntityRow): Entity {
  return {
    id: row.id,
    ipaCode: row.ipaCode,
    name: row.name,
    timezone: row.timezone,
    defaultLanguage: row.defaultLanguage as Language,
    languages: row.languages as Language[],
    faceLabels: row.faceLabels as FaceLabels,
    repeatIntervalSeconds: row.repeatIntervalSeconds,
    thankYouSeconds: row.thankYouSeconds,
    idleSeconds: row.idleSeconds,
    minCellSize: row.minCellSize,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export type EntityRepository = ReturnType<typeof createEntityRepository>;

/** Entities (comuni, unioni) and their kiosk settings. */
export function createEntityRepository(db: Database) {
  return {
    /** Every entity, or only `entityId` when the caller is scoped to one. */
    async list(entityId: string | null): Promise<Entity[]> {
      const query = db.select().from(entities);
      const rows = await (entityId === null ? query : query.where(eq(entities.id, entityId))).orderBy(
        asc(entities.ipaCode),
      );
      return rows.map(toEntity);
    },

    async findByIpa(ipaCode: string): Promise<Entity | null> {
      const [row] = await db.select().from(entities).where(eq(entities.ipaCode, ipaCode.toLowerCase()));
      return row ? toEntity(row) : null;
    },

    /** The entity and its starting reason catalogue, together or not at all. */
    async create(draft: EntityCreate, seeds: readonly ReasonSeed[]): Promise<Entity> {
      const unique = { entity_ipa_code_key: `an entity with IPA code ${draft.ipaCode} already exists` };
      return guardConstraints({ unique }, () =>
        db.transaction(async (tx) => {
          const [row] = await tx.insert(entities).values(draft).returning();
          const entity = row as EntityRow;
          if (seeds.length > 0) {
            await tx.insert(reasons).values(seeds.map((seed) => ({ ...seed, entityId: entity.id })));
          }
          return toEntity(entity);
        }),
      );
    },

    async update(id: string, changes: EntityUpdate, now: Date): Promise<Entity | null> {
      const [row] = await db
        .update(entities)
        .set({ ...changes, updatedAt: now })
        .where(eq(entities.id, id))
        .returning();
      return row ? toEntity(row) : null;
    },

    /**
     * Deletes the entity with its reason catalogue (which every entity has from
     * birth, so it does not count as "in use"). Anything else still pointing at
     * the entity (offices, kiosks, votes, ...) makes the delete fail whole.
     * Its entity-scoped access tokens go with it (ON DELETE CASCADE).
     */
    async remove(id: string, ipaCode: string): Promise<boolean> {
      const inUse = (referrers: string) => `entity ${ipaCode} still has ${referrers}: delete them first`;
      return guardConstraints({ inUse }, () =>
        db.transaction(async (tx) => {
          await tx.delete(reasons).where(eq(reasons.entityId, id));
          const deleted = await tx.delete(entities).where(eq(entities.id, id)).returning({ id: entities.id });
          return deleted.length > 0;
        }),
      );
    },
  };
}
