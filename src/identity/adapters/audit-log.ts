import { asc, desc, gt, sql } from "drizzle-orm";
import type { Database, Transaction } from "../../db/index.js";
import { tables } from "../../db/index.js";
import type { Clock } from "../../shared/clock.js";
import { type ChainVerdict, type ChainVerifierOptions, chainEvent, createChainVerifier } from "../audit/audit-chain.js";
import type { AuditEventInput, AuditRecord, ChainHead, JsonObject } from "../domain/audit-event.js";

const { auditEvents } = tables;

/** Transaction-scoped advisory lock that serialises appends across processes (other keys: 4_242_00x). */
export const AUDIT_LOCK_KEY = 4_242_010;
const PAGE_SIZE = 1000;

function toRecord(row: typeof auditEvents.$inferSelect): AuditRecord {
  return {
    seq: row.seq,
    at: row.at,
    actor: row.actor,
    entityId: row.entityId,
    action: row.action,
    subject: row.subject,
    details: (row.details ?? {}) as JsonObject,
    previousHash: row.previousHash,
    hash: row.hash,
  };
}

export type AuditLog = ReturnType<typeof createAuditLog>;

/**
 * The append-only, hash-chained audit log (issue 7) in `audit_event`. Appends take a
 * transaction-scoped advisory lock and read the last row under it, so two appends never chain to
 * the same row, on one process or many (PGlite has a single connection anyway). The unique
 * `previous_hash` would refuse a fork even without the lock.
 */
export function createAuditLog(db: Database, clock: Clock) {
  async function appendWithin(tx: Transaction, event: AuditEventInput): Promise<AuditRecord> {
    await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`);
    const [last] = await tx
      .select({ seq: auditEvents.seq, hash: auditEvents.hash })
      .from(auditEvents)
      .orderBy(desc(auditEvents.seq))
      .limit(1);
    const record = chainEvent(last ?? null, {
      at: clock.now(),
      actor: event.actor,
      entityId: event.entityId ?? null,
      action: event.action,
      subject: event.subject ?? null,
      details: event.details ?? {},
    });
    await tx.insert(auditEvents).values(record);
    return record;
  }

  /** Rows in `seq` order after `afterSeq`, at most `limit`. */
  async function page(afterSeq: number, limit = PAGE_SIZE): Promise<AuditRecord[]> {
    const rows = await db
      .select()
      .from(auditEvents)
      .where(gt(auditEvents.seq, afterSeq))
      .orderBy(asc(auditEvents.seq))
      .limit(limit);
    return rows.map(toRecord);
  }

  return {
    /**
     * Appends one event, in `tx` when given so that it commits (or not) with the change it
     * records; the lock is then held until that transaction ends.
     */
    append(event: AuditEventInput, tx?: Transaction): Promise<AuditRecord> {
      return tx ? appendWithin(tx, event) : db.transaction((own) => appendWithin(own, event));
    },

    /** The last row, or null for an empty log. */
    async head(): Promise<ChainHead | null> {
      const [row] = await db
        .select({ seq: auditEvents.seq, hash: auditEvents.hash })
        .from(auditEvents)
        .orderBy(desc(auditEvents.seq))
        .limit(1);
      return row ?? null;
    },

    page,

    /** Walks the whole log in `seq` order, a page at a time, and stops at the first problem. */
    async verify(options: ChainVerifierOptions & { pageSize?: number } = {}): Promise<ChainVerdict> {
      const verifier = createChainVerifier(options);
      const pageSize = options.pageSize ?? PAGE_SIZE;
      let afterSeq = 0;
      for (;;) {
        const rows = await page(afterSeq, pageSize);
        for (const row of rows) if (verifier.push(row)) return verifier.finish();
        const last = rows.at(-1);
        if (!last || rows.length < pageSize) return verifier.finish();
        afterSeq = last.seq;
      }
    },
  };
}
