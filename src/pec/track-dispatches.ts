/**
 * Recomputes what dispatches' receipts add up to (issue 6 "Receipts", "Deadlines") and moves each
 * report with its latest dispatch: delivered when every recipient is, partially_delivered or
 * failed once all are final. Everything is derived again from the stored receipts and the clock,
 * so a receipt read twice, late or out of order changes nothing it should not. Dispatches are
 * recomputed in bulk: a mailbox pass touches many at once.
 */
import type { Clock } from "../shared/clock.js";
import type { DispatchRepository } from "./adapters/dispatch-repository.js";
import type { DispatchToTrack, TrackedDispatch } from "./adapters/tracking-queries.js";
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
  readonly transition: DispatchReportsPort["transition"];
  readonly clock: Clock;
}

export function createDispatchTracker({ repo, transition, clock }: DispatchTrackerDeps) {
  function track(dispatch: DispatchToTrack, now: Date): TrackedDispatch {
    const state = applyDispatchEvents(startDispatch(dispatch.sentAt, dispatch.recipients), [
      ...dispatch.receipts.map(loadReceipt),
      { type: "tick", now },
    ]);
    const view = describeDispatch(state);
    // Only the report's latest dispatch moves it: a late receipt for an earlier dispatch must not
    // undo a redispatch in progress.
    const event = dispatch.latest ? REPORT_EVENT[view.status] : null;
    const to = event === null ? null : transition(dispatch.reportStatus, event);
    const reportMove =
      to !== null && to !== dispatch.reportStatus
        ? { reportId: dispatch.reportId, from: dispatch.reportStatus, to }
        : null;
    return { id: dispatch.id, view, identificativo: dispatch.identificativo, reportMove };
  }

  /** Recomputes these dispatches (a refused one keeps its failure) and saves them in one go. */
  async function refreshMany(ids: readonly string[]): Promise<Map<string, DispatchView>> {
    const now = clock.now();
    const tracked = (await repo.toTrack(ids)).filter((d) => !d.refused).map((d) => track(d, now));
    await repo.saveTracked(tracked);
    return new Map(tracked.map(({ id, view }) => [id, view]));
  }

  return {
    refreshMany,
    async refresh(dispatchId: string): Promise<DispatchView | null> {
      return (await refreshMany([dispatchId])).get(dispatchId) ?? null;
    },
    /** Every open dispatch against the clock: the 30-minute alert and the 24-hour timeout. */
    async refreshOpen(): Promise<number> {
      const ids = await repo.open();
      await refreshMany(ids);
      return ids.length;
    },
  };
}

export type DispatchTracker = ReturnType<typeof createDispatchTracker>;
