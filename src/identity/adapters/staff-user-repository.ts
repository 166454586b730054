import { and, asc, eq } from "drizzle-orm";
import type { Database } from "../../db/index.js";
import { tables } from "../../db/index.js";
import type { AuditEventInput } from "../domain/audit-event.js";
import type { Role } from "../domain/roles.js";
import type { AuditLog } from "./audit-log.js";

const { staffUsers, entities } = tables;

export interface StaffUserRecord {
  id: string;
  entityId: string;
  fiscalCode: string;
  name: string;
  role: Role;
  createdAt: string;
}

export interface StaffUserChange {
  entityId: string;
  fiscalCode: string;
  name: string;
  role: Role;
}

export type StaffUserRepository = ReturnType<typeof createStaffUserRepository>;

function toRecord(row: typeof staffUsers.$inferSelect): StaffUserRecord {
  return {
    id: row.id,
    entityId: row.entityId,
    fiscalCode: row.fiscalCode,
    name: row.name,
    role: row.role as Role,
    createdAt: row.createdAt.toISOString(),
  };
}

/** The `staff_user` table; every change is written together with its audit event. */
export function createStaffUserRepository(db: Database, audit: AuditLog) {
  return {
    async entityIdByIpa(ipaCode: string): Promise<string | null> {
      const [row] = await db.select({ id: entities.id }).from(entities).where(eq(entities.ipaCode, ipaCode));
      return row?.id ?? null;
    },

    async find(entityId: string, fiscalCode: string): Promise<StaffUserRecord | null> {
      const [row] = await db
        .select()
        .from(staffUsers)
        .where(and(eq(staffUsers.entityId, entityId), eq(staffUsers.fiscalCode, fiscalCode)));
      return row ? toRecord(row) : null;
    },

    async list(entityId: string): Promise<StaffUserRecord[]> {
      const rows = await db
        .select()
        .from(staffUsers)
        .where(eq(staffUsers.entityId, entityId))
        .orderBy(asc(staffUsers.role), asc(staffUsers.fiscalCode));
      return rows.map(toRecord);
    },

    /** Deletes the user and appends `event` in one transaction; false when there was no such user. */
    remove(entityId: string, fiscalCode: string, event: AuditEventInput): Promise<boolean> {
      return db.transaction(async (tx) => {
        const removed = await tx
          .delete(staffUsers)
          .where(and(eq(staffUsers.entityId, entityId), eq(staffUsers.fiscalCode, fiscalCode)))
          .returning({ id: staffUsers.id });
        if (removed.length === 0) return false;
        await audit.append(event, tx);
        return true;
      });
    },

    /** Inserts the user or updates its name and role, and appends `event`, in one transaction. */
    save(user: StaffUserChange, event: AuditEventInput): Promise<StaffUserRecord> {
      return db.transaction(async (tx) => {
        const [row] = await tx
          .insert(staffUsers)
          .values(user)
          .onConflictDoUpdate({
            target: [staffUsers.entityId, staffUsers.fiscalCode],
            set: { name: user.name, role: user.role },
          })
          .returning();
        await audit.append(event, tx);
        return toRecord(row as typeof staffUsers.$inferSelect);
      });
    },
  };
}
