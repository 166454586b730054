/**
 * The life of a report record (issue 4 "Lifecycle"), as a pure state machine:
 *
 *   draft ──approve──▶ approved ──sign──▶ signed ──dispatch──▶ dispatched
 *     ▲ └─regenerate─┘     │                                   │
 *     └──────reopen────────┘        delivered ◀─allDelivered──┤
 *                                   partially_delivered ◀─someDelivered (then allDelivered, dispatchFailed, redispatch)
 *                                   failed ◀─dispatchFailed ──┘ (then redispatch, or a late someDelivered/allDelivered)
 *
 * A draft can be regenerated; approval freezes the content until someone
 * reopens it; from `signed` on the stored bytes are final (the signature
 * covers them), so nothing may regenerate or reopen.
 */

export const REPORT_STATUSES = [
  "draft",
  "approved",
  "signed",
  "dispatched",
  "delivered",
  "partially_delivered",
  "failed",
] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

export const REPORT_EVENTS = [
  "regenerate",
  "approve",
  "reopen",
  "sign",
  "dispatch",
  "someDelivered",
  "allDelivered",
  "dispatchFailed",
  "redispatch",
] as const;
export type ReportEvent = (typeof REPORT_EVENTS)[number];

export type LifecycleOutcome = { ok: true; status: ReportStatus } | { ok: false; reason: string };

/** Allowed transitions: event → (from → to). Anything not listed is refused. */
const TRANSITIONS: Record<ReportEvent, Partial<Record<ReportStatus, ReportStatus>>> = {
  regenerate: { draft: "draft" },
  approve: { draft: "approved" },
  reopen: { approved: "draft" },
  sign: { approved: "signed" },
  dispatch: { signed: "dispatched" },
  // From failed too: a ricevuta di avvenuta consegna that comes after our own 24-hour deadline is
  // still the legal proof of delivery (DPR 68/2005 art. 6 c. 3), and it supersedes the timeout.
  someDelivered: {
    dispatched: "partially_delivered",
    partially_delivered: "partially_delivered",
    failed: "partially_delivered",
  },
  allDelivered: { dispatched: "delivered", partially_delivered: "delivered", failed: "delivered" },
  dispatchFailed: { dispatched: "failed", partially_delivered: "failed" },
  redispatch: { failed: "dispatched", partially_delivered: "dispatched" },
};

const WHY: Partial<Record<ReportEvent, string>> = {
  regenerate: "only a draft can be regenerated: reopen an approved report first; a signed report is final",
  approve: "only a draft can be approved",
  reopen: "only an approved report can be reopened; a signed report is final",
  sign: "only an approved report can be signed",
  dispatch: "only a signed report can be dispatched",
  redispatch: "only a failed or partially delivered dispatch can be sent again",
};

export function reportTransition(from: ReportStatus, event: ReportEvent): LifecycleOutcome {
  const to = TRANSITIONS[event][from];
  if (to) return { ok: true, status: to };
  return { ok: false, reason: `${WHY[event] ?? `'${event}' does not apply`} (the report is ${from})` };
}

/** Whether the stored files may still change (before signing). */
export function contentIsFinal(status: ReportStatus): boolean {
  return !(status === "draft" || status === "approved");
}
