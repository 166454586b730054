/** The entity's PEC box and its oversight recipients (issue 6), in Postgres through Drizzle. */
import { and, asc, eq, sql } from "drizzle-orm";
import { type Database, databaseErrorCode, tables } from "../../db/index.js";
import type { MailboxCursor } from "../domain/mailbox.js";

const { pecMailboxes, oversightRecipients, entities } = tables;

export interface PecBox {
  readonly entityId: string;
  readonly ipaCode: string;
  readonly entityName: string;
  readonly address: string;
  readonly cursor: MailboxCursor | null;
  readonly lastSyncAt: Date | null;
  readonly lastError: string | null;
  /** The last pass that read the box successfully. */
  readonly lastReadAt: Date | null;
}

export interface OversightRecipient {
  readonly id: string;
  readonly name: string;
  readonly address: string;
  readonly ipaCode: string | null;
  readonly copy: boolean;
}

export type NewOversightRecipient = Omit<OversightRecipient, "id">;

const boxColumns = {
  entityId: pecMailboxes.entityId,
  ipaCode: entities.ipaCode,
  entityName: entities.name,
  address: pecMailboxes.address,
  uidValidity: pecMailboxes.uidValidity,
  lastUid: pecMailboxes.lastUid,
  lastSyncAt: pecMailboxes.lastSyncAt,
  lastError: pecMailboxes.lastError,
  lastReadAt: pecMailboxes.lastReadAt,
};

type BoxRow = {
  entityId: string;
  ipaCode: string;
  entityName: string;
  address: string;
  uidValidity: string | null;
  lastUid: number | null;
  lastSyncAt: Date | null;
  lastError: string | null;
  lastReadAt: Date | null;
};

function toBox({ uidValidity, lastUid, ...row }: BoxRow): PecBox {
  const cursor = uidValidity !== null && lastUid !== null ? { uidValidity, uid: lastUid } : null;
  return { ...row, cursor };
}

export function createPecSettingsRepository(db: Database) {
  return {
    async box(entityId: string): Promise<PecBox | null> {
      const [row] = await db
        .select(boxColumns)
        .from(pecMailboxes)
        .innerJoin(entities, eq(entities.id, pecMailboxes.entityId))
        .where(eq(pecMailboxes.entityId, entityId));
      return row ? toBox(row) : null;
    },

    async boxes(): Promise<PecBox[]> {
      const rows = await db
        .select(boxColumns)
        .from(pecMailboxes)
        .innerJoin(entities, eq(entities.id, pecMailboxes.entityId))
        .orderBy(asc(entities.ipaCode));
      return rows.map(toBox);
    },

    /**
     * Sets the box address (lower-cased); a new address starts reading from scratch (another
     * mailbox, other UIDs). False when another entity already has this box.
     */
    async setBox(entityId: string, address: string): Promise<boolean> {
      const normalised = address.trim().toLowerCase();
      const rows = await db
        .insert(pecMailboxes)
        .values({ entityId, address: normalised })
        .onConflictDoUpdate({
          target: pecMailboxes.entityId,
          set: {
            address: normalised,
            uidValidity: sql`case when ${pecMailboxes.address} = ${normalised} then ${pecMailboxes.uidValidity} end`,
            lastUid: sql`case when ${pecMailboxes.address} = ${normalised} then ${pecMailboxes.lastUid} end`,
            updatedAt: sql`now()`,
          },
        })
        .returning({ entityId: pecMailboxes.entityId })
        .catch((error: unknown) => {
          if (databaseErrorCode(error) === "23505") return [];
          throw error;
        });
      return rows.length === 1;
    },

    /** A pass over the box: its time and error; a pass without error also counts as a read. */
    async recordSync(entityId: string, at: Date, error: string | null): Promise<void> {
      await db
        .update(pecMailboxes)
        .set({ lastSyncAt: at, lastError: error, ...(error === null ? { lastReadAt: at } : {}), updatedAt: sql`now()` })
        .where(eq(pecMailboxes.entityId, entityId));
    },

    /** After the messages up to `cursor` are stored and moved out of the inbox. */
    async advanceCursor(entityId: string, cursor: MailboxCursor): Promise<void> {
      await db
        .update(pecMailboxes)
        .set({ uidValidity: cursor.uidValidity, lastUid: cursor.uid, updatedAt: sql`now()` })
        .where(eq(pecMailboxes.entityId, entityId));
    },

    async recipients(entityId: string): Promise<OversightRecipient[]> {
      return db
        .select({
          id: oversightRecipients.id,
          name: oversightRecipients.name,
          address: oversightRecipients.address,
          ipaCode: oversightRecipients.ipaCode,
          copy: oversightRecipients.copy,
        })
        .from(oversightRecipients)
        .where(eq(oversightRecipients.entityId, entityId))
        .orderBy(asc(oversightRecipients.copy), asc(oversightRecipients.name));
    },

    /** Adds a recipient; null when the entity already has one with that address. */
    async addRecipient(entityId: string, recipient: NewOversightRecipient): Promise<OversightRecipient | null> {
      const [row] = await db
        .insert(oversightRecipients)
        .values({ entityId, ...recipient, address: recipient.address.trim().toLowerCase() })
        .onConflictDoNothing()
        .returning({
          id: oversightRecipients.id,
          name: oversightRecipients.name,
          address: oversightRecipients.address,
          ipaCode: oversightRecipients.ipaCode,
          copy: oversightRecipients.copy,
        });
      return row ?? null;
    },

    async removeRecipient(entityId: string, id: string): Promise<boolean> {
      const rows = await db
        .delete(oversightRecipients)
        .where(and(eq(oversightRecipients.entityId, entityId), eq(oversightRecipients.id, id)))
        .returning({ id: oversightRecipients.id });
      return rows.length === 1;
    },
  };
}

export type PecSettingsRepository = ReturnType<typeof createPecSettingsRepository>;
