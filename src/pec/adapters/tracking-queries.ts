/**
 * What recomputing dispatches reads and writes (issue 6 "Receipts"), in bulk: reading a mailbox
 * touches hundreds of dispatches at once, so their rows, recipients and receipts are loaded in
 * three queries and the results written in one transaction of three statements, whatever their
 * number (`jsonb_to_recordset` carries the rows as one parameter).
 */
import { and, eq, inArray, isNotNull, sql } from "drizzle-orm";
import { type Database, tables } from "../../db/index.js";
import type { DispatchView } from "../domain/dispatch-status.js";
import type { StoredReceipt } from "../domain/receipt-facts.js";

const { pecDispatches, pecDispatchRecipients, pecMessages, reports } = tables;

/** One dispatch with everything its recomputation needs. */
export interface DispatchToTrack {
  readonly id: string;
  readonly reportId: string;
  readonly reportStatus: string;
  /** The report's most recent dispatch: only that one moves the report. */
  readonly latest: boolean;
  readonly refused: boolean;
  readonly sentAt: Date;
  readonly recipients: string[];
  readonly receipts: StoredReceipt[];
  /** The provider's id, from the verified ricevuta di accettazione. */
  readonly identificativo: string | null;
}

export interface TrackedDispatch {
  readonly id: string;
  readonly view: DispatchView;
  readonly identificativo: string | null;
  readonly reportMove: { readonly reportId: string; readonly from: string; readonly to: string } | null;
}

const CHUNK = 500;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

export function createTrackingQueries(db: Database) {
  async function loadChunk(ids: string[]): Promise<DispatchToTrack[]> {
    const rows = await db
      .select({
        id: pecDispatches.id,
        reportId: pecDispatches.reportId,
        reportStatus: reports.status,
        outbox: pecDispatches.outbox,
        submittedAt: pecDispatches.submittedAt,
        createdAt: pecDispatches.createdAt,
        latest: sql<boolean>`${pecDispatches.id} = (select x.id from pec_dispatch x where x.report_id = ${pecDispatches.reportId} order by x.created_at desc, x.id desc limit 1)`,
      })
      .from(pecDispatches)
      .innerJoin(reports, eq(reports.id, pecDispatches.reportId))
      .where(inArray(pecDispatches.id, ids));
    const recipients = await db
      .select({ dispatchId: pecDispatchRecipients.dispatchId, address: pecDispatchRecipients.address })
      .from(pecDispatchRecipients)
      .where(inArray(pecDispatchRecipients.dispatchId, ids));
    const receipts = await db
      .select({
        dispatchId: pecMessages.dispatchId,
        receipt: pecMessages.receipt,
        type: pecMessages.type,
        verified: pecMessages.verified,
        identificativo: sql<string | null>`${pecMessages.references}->>'identificativo'`,
      })
      .from(pecMessages)
      .where(and(inArray(pecMessages.dispatchId, ids), isNotNull(pecMessages.receipt)));
    return rows.map((row) => {
      const own = receipts.filter((receipt) => receipt.dispatchId === row.id);
      const acceptance = own.find((receipt) => receipt.type === "accettazione" && receipt.verified);
      return {
        id: row.id,
        reportId: row.reportId,
        reportStatus: row.reportStatus,
        latest: row.latest,
        refused: row.outbox === "refused",
        sentAt: row.submittedAt ?? row.createdAt,
        recipients: recipients.filter((recipient) => recipient.dispatchId === row.id).map((r) => r.address),
        receipts: own.map((receipt) => receipt.receipt as StoredReceipt),
        identificativo: acceptance?.identificativo ?? null,
      };
    });
  }

  return {
    async toTrack(ids: readonly string[]): Promise<DispatchToTrack[]> {
      const loaded: DispatchToTrack[] = [];
      for (const chunk of chunks([...new Set(ids)])) loaded.push(...(await loadChunk(chunk)));
      return loaded;
    },

    /** Writes the recomputed dispatches, their recipients and the reports' moves, in one transaction. */
    async saveTracked(tracked: readonly TrackedDispatch[]): Promise<void> {
      if (tracked.length === 0) return;
      await db.transaction(async (tx) => {
        for (const chunk of chunks(tracked)) {
          const dispatchRows = chunk.map(({ id, view, identificativo }) => ({
            id,
            status: view.status,
            acceptance: view.acceptance,
            alerts: view.alerts,
            next_deadline: view.nextDeadline?.toISOString() ?? null,
            identificativo,
          }));
          await tx.execute(sql`
            update pec_dispatch d set status = v.status, acceptance = v.acceptance, alerts = v.alerts,
              next_deadline = v.next_deadline, identificativo = coalesce(v.identificativo, d.identificativo),
              updated_at = now()
            from jsonb_to_recordset(${JSON.stringify(dispatchRows)}::jsonb) as v(id uuid, status text,
              acceptance text, alerts jsonb, next_deadline timestamptz, identificativo text)
            where d.id = v.id`);
          const recipientRows = chunk.flatMap(({ id, view }) =>
            view.recipients.map((r) => ({
              dispatch_id: id,
              address: r.address,
              status: r.status,
              decided_by: r.decidedBy,
              failure: r.failure,
              warning: r.warning,
            })),
          );
          await tx.execute(sql`
            update pec_dispatch_recipient r set status = v.status, decided_by = v.decided_by,
              failure = v.failure, warning = v.warning, updated_at = now()
            from jsonb_to_recordset(${JSON.stringify(recipientRows)}::jsonb) as v(dispatch_id uuid, address text,
              status text, decided_by text, failure jsonb, warning jsonb)
            where r.dispatch_id = v.dispatch_id and r.address = v.address`);
          const moves = chunk.flatMap(({ reportMove }) => (reportMove ? [reportMove] : []));
          if (moves.length > 0) {
            // Conditional on the status read: a concurrent change wins, and the next pass sees it.
            await tx.execute(sql`
              update report set status = v.to_status, updated_at = now()
              from jsonb_to_recordset(${JSON.stringify(moves.map((m) => ({ id: m.reportId, from_status: m.from, to_status: m.to })))}::jsonb)
                as v(id uuid, from_status text, to_status text)
              where report.id = v.id and report.status = v.from_status`);
          }
        }
      });
    },
  };
}
