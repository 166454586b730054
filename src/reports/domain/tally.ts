import type { Channel, Judgment } from "../../shared/domain.js";
import type { VoteCountRow } from "./report-document.js";

/** Votes per judgment: the raw numbers behind one row of the report, before suppression. */
export interface Tally {
  positive: number;
  sufficient: number;
  negative: number;
}

export const emptyTally = (): Tally => ({ positive: 0, sufficient: 0, negative: 0 });

export function tallyTotal(tally: Tally): number {
  return tally.positive + tally.sufficient + tally.negative;
}

export function sumTallies(tallies: readonly Tally[]): Tally {
  const sum = emptyTally();
  for (const tally of tallies) addTo(sum, tally.positive, tally.sufficient, tally.negative);
  return sum;
}

function addTo(tally: Tally, positive: number, sufficient: number, negative: number): void {
  tally.positive += positive;
  tally.sufficient += sufficient;
  tally.negative += negative;
}

/** One service's votes in a period: per channel, and negative votes per reason code (null: none given). */
export interface ServiceTally {
  channels: Map<Channel, Tally>;
  reasons: Map<string | null, number>;
}

/**
 * Groups vote rows by service. The rows' `officeId`/`deskId` (where the kiosk
 * stood) are not used: the report places a service where the catalogue puts
 * it, so each service appears once. Rows may come in any order and may repeat
 * a key; counts are added.
 */
export function tallyByService(rows: readonly VoteCountRow[]): Map<string, ServiceTally> {
  const byService = new Map<string, ServiceTally>();
  for (const row of rows) {
    if (!Number.isSafeInteger(row.count) || row.count < 0) {
      throw new RangeError(`vote count ${row.count} for service ${row.serviceId} is not a non-negative integer`);
    }
    let service = byService.get(row.serviceId);
    if (!service) {
      service = { channels: new Map(), reasons: new Map() };
      byService.set(row.serviceId, service);
    }
    let channel = service.channels.get(row.channel);
    if (!channel) {
      channel = emptyTally();
      service.channels.set(row.channel, channel);
    }
    addJudgment(channel, row.judgment, row.count);
    if (row.judgment === "negative") {
      service.reasons.set(row.reasonCode, (service.reasons.get(row.reasonCode) ?? 0) + row.count);
    }
  }
  return byService;
}

function addJudgment(tally: Tally, judgment: Judgment, count: number): void {
  tally[judgment] += count;
}

/** A service's votes over all channels. */
export function serviceTotal(service: ServiceTally | undefined): Tally {
  return sumTallies(service ? [...service.channels.values()] : []);
}
