import { describe, expect, it } from "vitest";
import {
  contentIsFinal,
  REPORT_EVENTS,
  REPORT_STATUSES,
  type ReportEvent,
  type ReportStatus,
  reportTransition,
} from "./report-lifecycle.js";

/** The whole table, written out: every (status, event) pair and its outcome; null = refused. */
const EXPECTED: Record<ReportStatus, Record<ReportEvent, ReportStatus | null>> = {
  draft: {
    regenerate: "draft",
    approve: "approved",
    reopen: null,
    sign: null,
    dispatch: null,
    someDelivered: null,
    allDelivered: null,
    dispatchFailed: null,
    redispatch: null,
  },
  approved: {
    regenerate: null,
    approve: null,
    reopen: "draft",
    sign: "signed",
    dispatch: null,
    someDelivered: null,
    allDelivered: null,
    dispatchFailed: null,
    redispatch: null,
  },
  signed: {
    regenerate: null,
    approve: null,
    reopen: null,
    sign: null,
    dispatch: "dispatched",
    someDelivered: null,
    allDelivered: null,
    dispatchFailed: null,
    redispatch: null,
  },
  dispatched: {
    regenerate: null,
    approve: null,
    reopen: null,
    sign: null,
    dispatch: null,
    someDelivered: "partially_delivered",
    allDelivered: "delivered",
    dispatchFailed: "failed",
    redispatch: null,
  },
  delivered: {
    regenerate: null,
    approve: null,
    reopen: null,
    sign: null,
    dispatch: null,
    someDelivered: null,
    allDelivered: null,
    dispatchFailed: null,
    redispatch: null,
  },
  partially_delivered: {
    regenerate: null,
    approve: null,
    reopen: null,
    sign: null,
    dispatch: null,
    someDelivered: "partially_delivered",
    allDelivered: "delivered",
    dispatchFailed: "failed",
    redispatch: "dispatched",
  },
  failed: {
    regenerate: null,
    approve: null,
    reopen: null,
    sign: null,
    dispatch: null,
    someDelivered: "partially_delivered",
    allDelivered: "delivered",
    dispatchFailed: null,
    redispatch: "dispatched",
  },
};

const pairs = REPORT_STATUSES.flatMap((status) => REPORT_EVENTS.map((event) => [status, event] as const));

describe("report lifecycle", () => {
  it.each(pairs)("%s + %s", (status, event) => {
    const expected = EXPECTED[status][event];
    const outcome = reportTransition(status, event);
    if (expected === null) {
      expect(outcome.ok).toBe(false);
      if (!outcome.ok) expect(outcome.reason).toContain(`(the report is ${status})`);
    } else {
      expect(outcome).toEqual({ ok: true, status: expected });
    }
  });

  it("keeps the files changeable only before signing", () => {
    expect(REPORT_STATUSES.filter((s) => !contentIsFinal(s))).toEqual(["draft", "approved"]);
  });

  it("cannot reach a state where the content changes again once signed", () => {
    const reachable = new Set<ReportStatus>(["signed"]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const [status, event] of pairs) {
        const outcome = reportTransition(status, event);
        if (reachable.has(status) && outcome.ok && !reachable.has(outcome.status)) {
          reachable.add(outcome.status);
          grew = true;
        }
      }
    }
    expect([...reachable].some((s) => !contentIsFinal(s))).toBe(false);
  });
});
