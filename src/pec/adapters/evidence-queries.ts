/**
 * The PEC evidence (issue 6): every message sent and read, byte for byte with its SHA-256, the
 * receipts as the state machine reads them, and the lookups correlation needs. Storing what was
 * read is one statement per batch.
 */
import { and, asc, eq, inArray, isNotNull } from "drizzle-orm";
import { type Database, databaseErrorCode, tables } from "../../db/index.js";
import type { DispatchKeys, StoredReceipt } from "../domain/receipt-facts.js";

const { pecDispatches, pecMessages } = tables;

/** A message read from the mailbox, ready to be stored as evidence. */
export interface ReceivedMessage {
  readonly entityId: string;
  readonly dispatchId: string | null;
  readonly type: string;
  readonly messageId: string | null;
  readonly subject: string | null;
  readonly sender: string | null;
  readonly raw: Uint8Array;
  readonly sha256: string;
  readonly mailboxKey: string;
  readonly receivedAt: Date | null;
  readonly verified: boolean;
  readonly signature: unknown;
  readonly problems: readonly unknown[];
  readonly references: unknown;
  readonly receipt: StoredReceipt | null;
}

/**
 * Whether the database refused a row for its content (SQLSTATE class 22 "data exception", e.g.
 * 22P05 a character it cannot store; class 23 a constraint), not because it is unavailable.
 */
export function isRefusedContent(error: unknown): boolean {
  const code = databaseErrorCode(error);
  return code !== undefined && (code.startsWith("22") || code.startsWith("23"));
}

export function createEvidenceQueries(db: Database) {
  return {
    /**
     * Whether the provider answered the submission (a ricevuta di accettazione or avviso di non
     * accettazione): with a verified receipt, with only unverified ones (anyone can forge those,
     * so they prove nothing either way), or not at all.
     */
    async providerAnswered(dispatchId: string): Promise<"verified" | "unverified" | "none"> {
      const rows = await db
        .select({ verified: pecMessages.verified })
        .from(pecMessages)
        .where(
          and(eq(pecMessages.dispatchId, dispatchId), inArray(pecMessages.type, ["accettazione", "non-accettazione"])),
        );
      if (rows.some((row) => row.verified)) return "verified";
      return rows.length > 0 ? "unverified" : "none";
    },

    /** Correlation keys of the entity's dispatches named by these Message-IDs or identificativi. */
    async keys(entityId: string, messageIds: readonly string[], identificativi: readonly string[]) {
      const found: DispatchKeys[] = [];
      const columns = {
        id: pecDispatches.id,
        messageId: pecDispatches.messageId,
        identificativo: pecDispatches.identificativo,
      };
      if (messageIds.length > 0)
        found.push(
          ...(await db
            .select(columns)
            .from(pecDispatches)
            .where(and(eq(pecDispatches.entityId, entityId), inArray(pecDispatches.messageId, [...messageIds])))),
        );
      if (identificativi.length > 0)
        found.push(
          ...(await db
            .select(columns)
            .from(pecDispatches)
            .where(
              and(eq(pecDispatches.entityId, entityId), inArray(pecDispatches.identificativo, [...identificativi])),
            )),
        );
      return found;
    },

    /**
     * Stores messages read from the mailbox as evidence, in one transaction; a message already
     * stored (same bytes) is skipped. Returns the dispatches the messages are about, stored now
     * or before (a pass that died before recomputing them gets them recomputed now).
     */
    async storeReceived(entityId: string, messages: readonly ReceivedMessage[]): Promise<string[]> {
      if (messages.length > 0) {
        await db
          .insert(pecMessages)
          .values(
            messages.map((message) => ({
              ...message,
              entityId,
              problems: [...message.problems],
              direction: "received",
              bytes: message.raw.length,
            })),
          )
          .onConflictDoNothing();
      }
      return [...new Set(messages.flatMap((message) => (message.dispatchId === null ? [] : [message.dispatchId])))];
    },

    /** The receipts of a dispatch as the state machine reads them, verified or not. */
    async receipts(dispatchId: string): Promise<StoredReceipt[]> {
      const rows = await db
        .select({ receipt: pecMessages.receipt })
        .from(pecMessages)
        .where(and(eq(pecMessages.dispatchId, dispatchId), isNotNull(pecMessages.receipt)));
      return rows.map((row) => row.receipt as StoredReceipt);
    },

    /** The evidence list: every message of the entity, optionally of one dispatch, without the bytes. */
    async messages(entityId: string, filter: { dispatchId?: string; direction?: "sent" | "received" }) {
      const conditions = [eq(pecMessages.entityId, entityId)];
      if (filter.dispatchId) conditions.push(eq(pecMessages.dispatchId, filter.dispatchId));
      if (filter.direction) conditions.push(eq(pecMessages.direction, filter.direction));
      return db
        .select({
          id: pecMessages.id,
          dispatchId: pecMessages.dispatchId,
          direction: pecMessages.direction,
          type: pecMessages.type,
          messageId: pecMessages.messageId,
          subject: pecMessages.subject,
          sender: pecMessages.sender,
          sha256: pecMessages.sha256,
          bytes: pecMessages.bytes,
          receivedAt: pecMessages.receivedAt,
          storedAt: pecMessages.storedAt,
          verified: pecMessages.verified,
          signature: pecMessages.signature,
          problems: pecMessages.problems,
        })
        .from(pecMessages)
        .where(and(...conditions))
        .orderBy(asc(pecMessages.storedAt), asc(pecMessages.id));
    },

    async raw(entityId: string, messageId: string) {
      const [row] = await db
        .select({ raw: pecMessages.raw, sha256: pecMessages.sha256, type: pecMessages.type })
        .from(pecMessages)
        .where(and(eq(pecMessages.entityId, entityId), eq(pecMessages.id, messageId)));
      return row ?? null;
    },
  };
}
