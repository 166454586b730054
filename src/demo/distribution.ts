import type { Judgment } from "../shared/domain.js";
import type { ServiceDefinition } from "./catalogue.js";
import { DEFAULT_REASONS } from "./catalogue.js";
import { drawIndex, type Random, type WeightedTable, weightedTable } from "./random.js";

/**
 * How citizens judge one comune: MLF results are mostly positive (about
 * 75–85 %), with 10–15 % sufficient and 5–10 % negative.
 */
export interface EntityQuality {
  sufficient: number;
  negative: number;
  /** Relative change of the negative share from the window's start to its end (−0.3…0.3). */
  trend: number;
}

/** Judgment codes in the order of the vote batch's `judgment` column. */
export const JUDGMENT_ORDER: readonly Judgment[] = ["positive", "sufficient", "negative"];
export const POSITIVE = 0;
export const SUFFICIENT = 1;
export const NEGATIVE = 2;

/** A comune's baseline, drawn once per comune (ranges kept inside the targets so services and hours can move it). */
export function drawEntityQuality(random: Random): EntityQuality {
  return {
    sufficient: random.between(0.105, 0.145),
    negative: random.between(0.055, 0.085),
    trend: random.between(-0.3, 0.3),
  };
}

/** Mid-morning rush: longer queues, more negatives, more of them about waiting. */
export function isPeakMinute(minuteOfDay: number): boolean {
  return minuteOfDay >= 10 * 60 && minuteOfDay < 11 * 60 + 30;
}

/**
 * One judgment for a vote: the comune's baseline, moved by the service (taxes
 * and permits fare worse), the hour (rush) and the comune's trend over time
 * (`progress` 0 at the window's start, 1 at its end). A higher negative share
 * is taken from the positive one.
 */
export function drawJudgment(
  quality: EntityQuality,
  service: Pick<ServiceDefinition, "negativeFactor">,
  peak: boolean,
  progress: number,
  random: Random,
): number {
  const negative =
    quality.negative * service.negativeFactor * (peak ? 1.15 : 0.95) * (1 + quality.trend * (progress - 0.5));
  const r = random.next();
  if (r < negative) return NEGATIVE;
  if (r < negative + quality.sufficient) return SUFFICIENT;
  return POSITIVE;
}

/** Share of negative votes that leave the reason question unanswered. */
const NO_REASON_WEIGHT = 0.1;

const BASE_REASON_WEIGHTS: Record<string, number> = {
  "tempo-attesa": 0.42,
  "tempo-erogazione": 0.2,
  cortesia: 0.12,
  chiarezza: 0.16,
};

/** Services whose complaints are about processing time and clarity rather than the queue. */
const PAPERWORK_SERVICES = new Set(["tributi", "edilizia-suap", "servizi-sociali"]);

/**
 * Reason weights, indexed like DEFAULT_REASONS plus a last "no reason" entry:
 * waiting time dominates, more so at rush hour; paperwork-heavy services
 * shift complaints to processing time and clarity.
 */
export function reasonTable(serviceCode: string, peak: boolean): WeightedTable {
  const paperwork = PAPERWORK_SERVICES.has(serviceCode);
  const weights = DEFAULT_REASONS.map((reason) => {
    let weight = BASE_REASON_WEIGHTS[reason.code] ?? 0.1;
    if (reason.code === "tempo-attesa" && peak) weight *= 1.4;
    if (paperwork && (reason.code === "tempo-erogazione" || reason.code === "chiarezza")) weight *= 1.5;
    return weight;
  });
  return weightedTable([...weights, NO_REASON_WEIGHT]);
}

/** A reason index into DEFAULT_REASONS, or −1 when the citizen gave none. */
export function drawReason(table: WeightedTable, random: Random): number {
  const index = drawIndex(table, random);
  return index >= DEFAULT_REASONS.length ? -1 : index;
}
