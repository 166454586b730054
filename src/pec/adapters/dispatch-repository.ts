/**
 * Dispatches, their outbox state and their recipients (issue 6), in Postgres
 * through Drizzle. Every change that must hold together (the outbox row with the sent message and
 * the report's status; a stored receipt with the mailbox cursor) is one transaction.
 */
import { and, asc, desc, eq, inArray, or, sql } from "drizzle-orm";
import { type Database, rowsOf, tables } from "../../db/index.js";
import type { DispatchRecipient } from "../domain/dispatch-message.js";
import type { DispatchView } from "../domain/dispatch-status.js";
import type { OutboxState } from "../domain/outbox.js";
import { createEvidenceQueries } from "./evidence-queries.js";
import { createTrackingQueries } from "./tracking-queries.js";

const { pecDispatches, pecDispatchRecipients, pecMessages, reports } = tables;

/** A report status change made in the same transaction as the dispatch change. */
export interface ReportMove {
  readonly reportId: string;
  readonly from: string;
  readonly to: string;
}

export interface NewDispatch {
  readonly id: string;
  readonly entityId: string;
  readonly reportId: string;
  readonly messageId: string;
  readonly fromAddress: string;
  readonly subject: string;
  readonly recipients: readonly DispatchRecipient[];
  readonly raw: Uint8Array;
  readonly sha256: string;
  readonly createdBy: string;
  readonly at: Date;
}

export interface OutboxItem {
  readonly id: string;
  readonly entityId: string;
  readonly reportId: string;
  readonly messageId: string;
  readonly fromAddress: string;
  readonly to: string[];
  readonly raw: Uint8Array;
  readonly attempts: number;
  readonly sendingSince: Date | null;
}

export interface DispatchRow {
  readonly id: string;
  readonly entityId: string;
  readonly reportId: string;
  readonly messageId: string;
  readonly fromAddress: string;
  readonly subject: string;
  readonly outbox: OutboxState;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly smtpResponse: string | null;
  readonly submittedAt: Date | null;
  readonly identificativo: string | null;
  readonly status: DispatchView["status"];
  readonly acceptance: DispatchView["acceptance"];
  readonly alerts: unknown[];
  readonly nextDeadline: Date | null;
  readonly createdBy: string;
  readonly createdAt: Date;
}

const dispatchColumns = {
  id: pecDispatches.id,
  entityId: pecDispatches.entityId,
  reportId: pecDispatches.reportId,
  messageId: pecDispatches.messageId,
  fromAddress: pecDispatches.fromAddress,
  subject: pecDispatches.subject,
  outbox: pecDispatches.outbox,
  attempts: pecDispatches.attempts,
  lastError: pecDispatches.lastError,
  smtpResponse: pecDispatches.smtpResponse,
  submittedAt: pecDispatches.submittedAt,
  identificativo: pecDispatches.identificativo,
  status: pecDispatches.status,
  acceptance: pecDispatches.acceptance,
  alerts: pecDispatches.alerts,
  nextDeadline: pecDispatches.nextDeadline,
  createdBy: pecDispatches.createdBy,
  createdAt: pecDispatches.createdAt,
};

type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];

async function moveReport(tx: Tx, move: ReportMove): Promise<boolean> {
  const rows = await tx
    .update(reports)
    .set({ status: move.to, updatedAt: sql`now()` })
    .where(and(eq(reports.id, move.reportId), eq(reports.status, move.from)))
    .returning({ id: reports.id });
  return rows.length === 1;
}

export class ReportMovedError extends Error {
  override readonly name = "ReportMovedError";
}

/** Dispatches and their outbox state here; the evidence (messages sent and read) in `evidence-queries.ts`. */
export function createDispatchRepository(db: Database) {
  return {
    ...createEvidenceQueries(db),
    ...createTrackingQueries(db),
    /** The outbox row, its recipients and the sent message, and the report's move: all or nothing. */
    async create(dispatch: NewDispatch, move: ReportMove): Promise<void> {
      await db.transaction(async (tx) => {
        if (!(await moveReport(tx, move))) throw new ReportMovedError(`report is no longer ${move.from}`);
        await tx.insert(pecDispatches).values({
          id: dispatch.id,
          entityId: dispatch.entityId,
          reportId: dispatch.reportId,
          messageId: dispatch.messageId,
          fromAddress: dispatch.fromAddress,
          subject: dispatch.subject,
          nextAttemptAt: dispatch.at,
          createdBy: dispatch.createdBy,
        });
        await tx.insert(pecDispatchRecipients).values(
          dispatch.recipients.map((r) => ({
            dispatchId: dispatch.id,
            address: r.address,
            name: r.name,
            ipaCode: r.ipaCode,
            copy: r.copy,
          })),
        );
        await tx.insert(pecMessages).values({
          entityId: dispatch.entityId,
          dispatchId: dispatch.id,
          direction: "sent",
          type: "posta-certificata",
          messageId: dispatch.messageId,
          subject: dispatch.subject,
          sender: dispatch.fromAddress,
          raw: dispatch.raw,
          sha256: dispatch.sha256,
          bytes: dispatch.raw.length,
        });
      });
    },

    /** Claims due queued dispatches for one attempt each (several workers never claim the same one). */
    async claimDue(now: Date, limit: number): Promise<OutboxItem[]> {
      const claimed = await db.execute(sql`
        update pec_dispatch set outbox = 'sending', sending_since = ${now.toISOString()}::timestamptz,
          attempts = attempts + 1, updated_at = now()
        where id in (
          select id from pec_dispatch where outbox = 'queued' and next_attempt_at <= ${now.toISOString()}::timestamptz
          order by next_attempt_at limit ${limit} for update skip locked)
        returning id`);
      const ids = rowsOf<{ id: string }>(claimed).map((row) => row.id);
      return ids.length === 0 ? [] : this.outboxItems(ids);
    },

    /** Dispatches left in `sending` (a crash, or another worker still at it). */
    async sending(): Promise<OutboxItem[]> {
      const rows = await db
        .select({ id: pecDispatches.id })
        .from(pecDispatches)
        .where(eq(pecDispatches.outbox, "sending"));
      return rows.length === 0 ? [] : this.outboxItems(rows.map((row) => row.id));
    },

    async outboxItems(ids: readonly string[]): Promise<OutboxItem[]> {
      const rows = await db
        .select({
          id: pecDispatches.id,
          entityId: pecDispatches.entityId,
          reportId: pecDispatches.reportId,
          messageId: pecDispatches.messageId,
          fromAddress: pecDispatches.fromAddress,
          attempts: pecDispatches.attempts,
          sendingSince: pecDispatches.sendingSince,
          raw: pecMessages.raw,
        })
        .from(pecDispatches)
        .innerJoin(pecMessages, and(eq(pecMessages.dispatchId, pecDispatches.id), eq(pecMessages.direction, "sent")))
        .where(inArray(pecDispatches.id, [...ids]));
      const recipients = await db
        .select({ dispatchId: pecDispatchRecipients.dispatchId, address: pecDispatchRecipients.address })
        .from(pecDispatchRecipients)
        .where(inArray(pecDispatchRecipients.dispatchId, [...ids]));
      return rows.map((row) => ({
        ...row,
        to: recipients.filter((r) => r.dispatchId === row.id).map((r) => r.address),
      }));
    },

    async markSubmitted(id: string, response: string, at: Date): Promise<void> {
      await db
        .update(pecDispatches)
        .set({
          outbox: "submitted",
          smtpResponse: response,
          submittedAt: at,
          sendingSince: null,
          updatedAt: sql`now()`,
        })
        .where(and(eq(pecDispatches.id, id), inArray(pecDispatches.outbox, ["sending", "queued"])));
    },

    /** Back to the queue; `refund`: this attempt does not count (the box's configuration failed, not the message). */
    async markRetry(id: string, error: string, nextAttemptAt: Date, refund: boolean): Promise<void> {
      await db
        .update(pecDispatches)
        .set({
          outbox: "queued",
          lastError: error,
          nextAttemptAt,
          sendingSince: null,
          ...(refund ? { attempts: sql`greatest(${pecDispatches.attempts} - 1, 0)` } : {}),
          updatedAt: sql`now()`,
        })
        .where(and(eq(pecDispatches.id, id), eq(pecDispatches.outbox, "sending")));
    },

    /** The attempt's outcome is unknown: it stays in `sending`, with the reason shown to staff. */
    async noteUncertain(id: string, reason: string): Promise<void> {
      await db
        .update(pecDispatches)
        .set({ lastError: reason, updatedAt: sql`now()` })
        .where(and(eq(pecDispatches.id, id), eq(pecDispatches.outbox, "sending")));
    },

    /** A permanent refusal: the dispatch fails with the server's text, and the report with it. */
    async markRefused(id: string, error: string, move: ReportMove | null): Promise<void> {
      await db.transaction(async (tx) => {
        await tx
          .update(pecDispatches)
          .set({ outbox: "refused", status: "failed", lastError: error, sendingSince: null, updatedAt: sql`now()` })
          .where(eq(pecDispatches.id, id));
        if (move) await moveReport(tx, move);
      });
    },

    async reportStatus(reportId: string): Promise<string | null> {
      const [row] = await db.select({ status: reports.status }).from(reports).where(eq(reports.id, reportId));
      return row?.status ?? null;
    },

    /** Recipients of a report that some earlier dispatch already delivered to (a redispatch skips them). */
    async deliveredAddresses(reportId: string): Promise<Set<string>> {
      const rows = await db
        .select({ address: pecDispatchRecipients.address })
        .from(pecDispatchRecipients)
        .innerJoin(pecDispatches, eq(pecDispatches.id, pecDispatchRecipients.dispatchId))
        .where(and(eq(pecDispatches.reportId, reportId), eq(pecDispatchRecipients.status, "delivered")));
      return new Set(rows.map((row) => row.address));
    },

    async dispatch(id: string): Promise<DispatchRow | null> {
      const [row] = await db.select(dispatchColumns).from(pecDispatches).where(eq(pecDispatches.id, id));
      return (row as DispatchRow | undefined) ?? null;
    },

    async dispatches(entityId: string, reportId?: string): Promise<DispatchRow[]> {
      const where = reportId
        ? and(eq(pecDispatches.entityId, entityId), eq(pecDispatches.reportId, reportId))
        : eq(pecDispatches.entityId, entityId);
      const rows = await db
        .select(dispatchColumns)
        .from(pecDispatches)
        .where(where)
        .orderBy(desc(pecDispatches.createdAt));
      return rows as DispatchRow[];
    },

    async recipients(dispatchId: string) {
      return db
        .select()
        .from(pecDispatchRecipients)
        .where(eq(pecDispatchRecipients.dispatchId, dispatchId))
        .orderBy(asc(pecDispatchRecipients.copy), asc(pecDispatchRecipients.address));
    },

    /** Dispatches whose receipts may still change something: submitted and not yet final. */
    /**
     * Dispatches to recompute on every pass: those still open (their deadlines run), and any with
     * a receipt stored after its last recomputation (a pass that died in between, or a late
     * receipt for a dispatch already final). Both times are the database's own clock.
     */
    async open(): Promise<string[]> {
      const rows = await db
        .select({ id: pecDispatches.id })
        .from(pecDispatches)
        .where(
          or(
            and(eq(pecDispatches.outbox, "submitted"), eq(pecDispatches.status, "in_progress")),
            sql`exists (select 1 from pec_message m where m.dispatch_id = ${pecDispatches.id} and m.direction = 'received' and m.stored_at > ${pecDispatches.updatedAt})`,
          ),
        );
      return rows.map((row) => row.id);
    },
  };
}

export type DispatchRepository = ReturnType<typeof createDispatchRepository>;
