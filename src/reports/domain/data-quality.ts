import { AppError } from "../../shared/errors.js";
import { periodDays } from "./period.js";
import type { Coverage, DataQuality, ReportInputs } from "./report-document.js";
import type { ServiceTally } from "./tally.js";
import { serviceTotal, tallyTotal } from "./tally.js";

/** Code-unit order: the same on every machine, unlike `localeCompare`. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Coverage (issue 4 "Content"): services configured are the entity's active
 * services, services active are those with at least one vote in the period
 * (an inactive service that still got votes counts too); kiosks configured
 * are those with status active, kiosks active those with a vote or a
 * heartbeat in the period.
 */
export function coverageOf(inputs: ReportInputs, current: Map<string, ServiceTally>): Coverage {
  const { services } = inputs.catalogue;
  return {
    servicesConfigured: services.filter((service) => service.active).length,
    servicesActive: [...current.values()].filter((tally) => tallyTotal(serviceTotal(tally)) > 0).length,
    kiosksConfigured: inputs.kiosks.filter((kiosk) => kiosk.active).length,
    kiosksActive: inputs.kiosks.filter((kiosk) => kiosk.votes > 0 || kiosk.daysWithHeartbeat > 0).length,
  };
}

/** Adds up counts that share a key and orders them by key. */
function mergeCounts<K extends string>(items: ReadonlyArray<Record<K, string> & { count: number }>, key: K) {
  const sums = new Map<string, number>();
  for (const item of items) sums.set(item[key], (sums.get(item[key]) ?? 0) + item.count);
  return [...sums.entries()].sort(([a], [b]) => compareText(a, b));
}

/**
 * Data quality (issue 4 "Content"): suspected repeats excluded, late votes by
 * the period they were cast in, kiosk availability, gateway rejections.
 * Kiosks are listed when active or when they voted or sent a heartbeat,
 * ordered by office (catalogue order), name, id; `daysOffline` counts the
 * period's days without a heartbeat.
 */
export function dataQualityOf(inputs: ReportInputs): DataQuality {
  const days = periodDays(inputs.period);
  const offices = inputs.catalogue.offices;
  const officeIndex = (officeId: string) => {
    const index = offices.findIndex((office) => office.id === officeId);
    if (index < 0) throw new AppError("INTERNAL_ERROR", `report inputs are inconsistent: kiosk office ${officeId}`);
    return index;
  };
  const kiosks = inputs.kiosks
    .filter((kiosk) => kiosk.active || kiosk.votes > 0 || kiosk.daysWithHeartbeat > 0)
    .map((kiosk) => ({ kiosk, office: officeIndex(kiosk.officeId) }))
    .sort(
      (a, b) => a.office - b.office || compareText(a.kiosk.name, b.kiosk.name) || compareText(a.kiosk.id, b.kiosk.id),
    )
    .map(({ kiosk, office }) => ({
      id: kiosk.id,
      name: kiosk.name,
      officeName: offices[office]?.name ?? "",
      daysWithHeartbeat: kiosk.daysWithHeartbeat,
      daysOffline: Math.max(0, days - kiosk.daysWithHeartbeat),
      votes: kiosk.votes,
    }));
  const late = mergeCounts(inputs.quality.late, "period");
  const rejections = mergeCounts(inputs.quality.rejections, "code");
  return {
    suspectedRepeatsExcluded: inputs.quality.suspectedRepeats,
    lateVotes: {
      total: late.reduce((sum, [, count]) => sum + count, 0),
      byPeriod: late.map(([period, count]) => ({ period, count })),
    },
    kiosks,
    rejectedAtGateway: {
      total: rejections.reduce((sum, [, count]) => sum + count, 0),
      byCode: rejections.map(([code, count]) => ({ code, count })),
    },
  };
}
