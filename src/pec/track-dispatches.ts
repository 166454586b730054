/**
 * Recomputes what a dispatch's receipts add up to (issue 6 "Receipts", "Deadlines") and moves the
 * report with it: delivered when every recipient is, partially_delivered or failed once all are
 * final. Everything is derived again from the stored receipts and the clock, so a receipt read
 * twice, late or out of order changes nothing it should not.
 */

import type { Clock } from "../shared/clock.js";
import type { DispatchRepository } from "./adapters/dispatch-repository.js";
import { type DispatchView, describeDispatch } from "./domain/dispatch-status.js";
import { loadReceipt } from "./domain/receipt-facts.js";
import { applyDispatchEvents, startDispatch } from "./domain/recipient-state.js";
import type { DispatchReportsPort, ReportDispatchEvent } from "./ports.js";

const REPORT_EVENT: Record<DispatchView["status"], ReportDispatchEvent | null> = {
  in_progress: null,
  delivered: "allDelivered",
  partially_delivered: "someDelivered",
  failed: "dispatchFailed",
};

export interface DispatchTrackerDeps {
  readonly repo: DispatchRepository;
  readonly reportStatus: (reportId: string) => Promise<string | null>;
  readonly transition: DispatchReportsPort["transition"];
  readonly clock: Clock;
}

export function createDispatchTracker({ repo, reportStatus, transition, clock }: DispatchTrackerDeps) {
  async function refresh(dispatchId: string): Promise<DispatchView | null> {
    const dispatch = await repo.dispatch(dispatchId);
    if (!dispatch || dispatch.outbox === "refused") return null;
    const recipients = await repo.recipients(dispatchId);
    const receipts = (await repo.receipts(dispatchId)).map(loadReceipt);
    const sentAt = dispatch.submittedAt ?? dispatch.createdAt;
    const state = applyDispatchEvents(
      startDispatch(
        sentAt,
        recipients.map((recipient) => recipient.address),
      ),
      [...receipts, { type: "tick", now: clock.now() }],
    );
    const view = describeDispatch(state);
    const event = REPORT_EVENT[view.status];
    const from = event === null ? null : await reportStatus(dispatch.reportId);
    const to = from === null || event === null ? null : transition(from, event);
    const move = from !== null && to !== null && to !== from ? { reportId: dispatch.reportId, from, to } : null;
    await repo.saveView(dispatchId, view, await identificativoOf(dispatchId), move);
    return view;
  }

  /** The provider's id, from the verified ricevuta di accettazione (correlation key 3). */
  async function identificativoOf(dispatchId: string): Promise<string | null> {
    return repo.acceptedIdentificativo(dispatchId);
  }

  return {
    refresh,
    /** Every open dispatch against the clock: the 30-minute alert and the 24-hour timeout. */
    async refreshOpen(): Promise<number> {
      const ids = await repo.open();
      for (const id of ids) await refresh(id);
      return ids.length;
    },
  };
}

export type DispatchTracker = ReturnType<typeof createDispatchTracker>;
