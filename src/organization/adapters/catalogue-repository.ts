import { and, asc, eq, getTableColumns } from "drizzle-orm";
import type { Database } from "../../db/index.js";
import { tables } from "../../db/index.js";
import { AppError } from "../../shared/errors.js";
import type { Reason, ReasonCreate, ReasonUpdate, Service, ServiceCreate, ServiceUpdate } from "../domain/catalogue.js";
import { guardConstraints } from "./constraint-errors.js";

const { services, reasons, desks, kioskServices } = tables;

type ServiceRow = typeof services.$inferSelect & { officeId: string };
type ReasonRow = typeof reasons.$inferSelect;

function toService(row: ServiceRow): Service {
  return {
    id: row.id,
    deskId: row.deskId,
    officeId: row.officeId,
    code: row.code,
    name: row.name,
    names: row.names,
    active: row.active,
    sortOrder: row.sortOrder,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function toReason(row: ReasonRow): Reason {
  return {
    id: row.id,
    code: row.code,
    label: row.label,
    labels: row.labels,
    active: row.active,
    sortOrder: row.sortOrder,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const serviceCodeTaken = (code: string | undefined) => ({
  unique: { service_desk_code_key: `a service with code "${code}" already exists at this desk` },
});
const reasonCodeTaken = (code: string | undefined) => ({
  unique: { reason_entity_code_key: `a reason with code "${code}" already exists in this entity` },
});
const deactivateInstead = (what: string) => (referrers: string) =>
  `${what} still has ${referrers}: deactivate it with {"active": false} instead, which keeps its history`;

export type CatalogueRepository = ReturnType<typeof createCatalogueRepository>;

/** Services and reasons for a negative vote. Every query is scoped to one entity. */
export function createCatalogueRepository(db: Database) {
  const serviceQuery = () =>
    db
      .select({ ...getTableColumns(services), officeId: desks.officeId })
      .from(services)
      .innerJoin(desks, eq(desks.id, services.deskId));

  async function getService(entityId: string, id: string): Promise<Service | null> {
    const [row] = await serviceQuery().where(and(eq(services.entityId, entityId), eq(services.id, id)));
    return row ? toService(row) : null;
  }

  return {
    async listServices(entityId: string): Promise<Service[]> {
      const rows = await serviceQuery()
        .where(eq(services.entityId, entityId))
        .orderBy(asc(services.sortOrder), asc(services.name));
      return rows.map(toService);
    },

    getService,

    async createService(entityId: string, draft: ServiceCreate): Promise<Service> {
      const id = await guardConstraints(serviceCodeTaken(draft.code), async () => {
        const [row] = await db
          .insert(services)
          .values({ ...draft, entityId })
          .returning({ id: services.id });
        return (row as { id: string }).id;
      });
      return (await getService(entityId, id)) as Service;
    },

    async updateService(entityId: string, id: string, changes: ServiceUpdate, now: Date): Promise<Service | null> {
      const updated = await guardConstraints(serviceCodeTaken(changes.code), () =>
        db
          .update(services)
          .set({ ...changes, updatedAt: now })
          .where(and(eq(services.entityId, entityId), eq(services.id, id)))
          .returning({ id: services.id }),
      );
      return updated.length > 0 ? getService(entityId, id) : null;
    },

    /**
     * A kiosk's explicit service list would silently lose the service (ON
     * DELETE CASCADE) and might fall back to every service: refused like a vote.
     */
    async removeService(entityId: string, id: string): Promise<boolean> {
      const inUse = deactivateInstead(`service ${id}`);
      return guardConstraints({ inUse }, () =>
        db.transaction(async (tx) => {
          const [listed] = await tx
            .select({ kioskId: kioskServices.kioskId })
            .from(kioskServices)
            .where(eq(kioskServices.serviceId, id))
            .limit(1);
          if (listed) throw new AppError("RESOURCE_IN_USE", inUse("kiosks offering it"));
          const deleted = await tx
            .delete(services)
            .where(and(eq(services.entityId, entityId), eq(services.id, id)))
            .returning({ id: services.id });
          return deleted.length > 0;
        }),
      );
    },

    async listReasons(entityId: string): Promise<Reason[]> {
      const rows = await db
        .select()
        .from(reasons)
        .where(eq(reasons.entityId, entityId))
        .orderBy(asc(reasons.sortOrder), asc(reasons.code));
      return rows.map(toReason);
    },

    async getReason(entityId: string, id: string): Promise<Reason | null> {
      const [row] = await db
        .select()
        .from(reasons)
        .where(and(eq(reasons.entityId, entityId), eq(reasons.id, id)));
      return row ? toReason(row) : null;
    },

    async createReason(entityId: string, draft: ReasonCreate): Promise<Reason> {
      return guardConstraints(reasonCodeTaken(draft.code), async () => {
        const [row] = await db
          .insert(reasons)
          .values({ ...draft, entityId })
          .returning();
        return toReason(row as ReasonRow);
      });
    },

    async updateReason(entityId: string, id: string, changes: ReasonUpdate, now: Date): Promise<Reason | null> {
      return guardConstraints(reasonCodeTaken(changes.code), async () => {
        const [row] = await db
          .update(reasons)
          .set({ ...changes, updatedAt: now })
          .where(and(eq(reasons.entityId, entityId), eq(reasons.id, id)))
          .returning();
        return row ? toReason(row) : null;
      });
    },

    async removeReason(entityId: string, id: string): Promise<boolean> {
      return guardConstraints({ inUse: deactivateInstead(`reason ${id}`) }, async () => {
        const deleted = await db
          .delete(reasons)
          .where(and(eq(reasons.entityId, entityId), eq(reasons.id, id)))
          .returning({ id: reasons.id });
        return deleted.length > 0;
      });
    },
  };
}
