import { z } from "zod";
import { Judgment } from "../../shared/domain.js";

/**
 * Vote ingestion rules, pure: what a kiosk may send and why a single vote is
 * refused. The gateway applies them vote by vote, so one bad vote never
 * drops the good ones beside it.
 */

export const MAX_VOTES_PER_BATCH = 500;
/** A kiosk clock may run ahead a little; more than this is a wrong clock. */
export const MAX_FUTURE_SKEW_MS = 5 * 60 * 1000;
/** Votes queued offline for longer than this are refused (a kiosk left in a drawer). */
export const MAX_VOTE_AGE_MS = 60 * 24 * 60 * 60 * 1000;
/** Kiosk clock skew beyond which the corrected cast time is stored beside the raw one. */
export const SKEW_CORRECTION_THRESHOLD_MS = 60 * 1000;

export const VoteInput = z
  .object({
    id: z.uuid().describe("UUID made by the kiosk when the vote is cast; the idempotency key"),
    serviceId: z.uuid().describe("One of the kiosk's services"),
    judgment: Judgment,
    reason: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .describe("Code of a reason from the entity's catalogue; negative votes only"),
    castAt: z.iso.datetime({ offset: true }).describe("Kiosk clock when the vote was cast (RFC 3339)"),
  })
  .strict();
export type VoteInput = z.infer<typeof VoteInput>;

export const VoteBatch = z
  .object({
    sentAt: z.iso
      .datetime({ offset: true })
      .optional()
      .describe("Kiosk clock when the batch was sent: lets the gateway correct a skewed clock"),
    votes: z.array(VoteInput).min(1).max(MAX_VOTES_PER_BATCH),
  })
  .strict();

/** The envelope checked before any vote is looked at: a batch that breaks it stores nothing. */
export const VoteBatchEnvelope = z
  .object({
    sentAt: z.iso.datetime({ offset: true }).optional(),
    votes: z.array(z.unknown()).min(1).max(MAX_VOTES_PER_BATCH),
  })
  .strict();

export const VoteRejectionCode = z.enum([
  "VOTE_INVALID",
  "VOTE_ID_CONFLICT",
  "VOTE_UNKNOWN_SERVICE",
  "VOTE_SERVICE_NOT_OFFERED",
  "VOTE_REASON_NOT_ALLOWED",
  "VOTE_UNKNOWN_REASON",
  "VOTE_CAST_IN_FUTURE",
  "VOTE_TOO_OLD",
]);
export type VoteRejectionCode = z.infer<typeof VoteRejectionCode>;

export interface VoteRejection {
  id: string | null;
  code: VoteRejectionCode;
  detail: string;
}

export interface VoteRules {
  /** Every service of the entity, active or not: tells "unknown" from "not offered here". */
  entityServiceIds: ReadonlySet<string>;
  offeredServiceIds: ReadonlySet<string>;
  /** Active reason codes of the entity's catalogue. */
  reasonCodes: ReadonlySet<string>;
}

/** A vote that passed the rules, with the times the gateway will store. */
export interface AcceptedVote extends VoteInput {
  castAtDate: Date;
  /** Set when the kiosk clock was off by more than a minute. */
  castAtCorrected: Date | null;
}

/** How far the kiosk's clock is behind the server's (positive: kiosk is slow). */
export function clockOffsetMs(sentAt: string | undefined, receivedAt: Date): number {
  if (sentAt === undefined) return 0;
  return receivedAt.getTime() - Date.parse(sentAt);
}

export function checkVote(
  vote: VoteInput,
  rules: VoteRules,
  now: Date,
  offsetMs: number,
): AcceptedVote | VoteRejection {
  const reject = (code: VoteRejectionCode, detail: string): VoteRejection => ({ id: vote.id, code, detail });
  if (!rules.entityServiceIds.has(vote.serviceId)) {
    return reject("VOTE_UNKNOWN_SERVICE", `service ${vote.serviceId} does not exist`);
  }
  if (!rules.offeredServiceIds.has(vote.serviceId)) {
    return reject("VOTE_SERVICE_NOT_OFFERED", `service ${vote.serviceId} is not offered by this kiosk`);
  }
  if (vote.reason !== undefined && vote.judgment !== "negative") {
    return reject("VOTE_REASON_NOT_ALLOWED", `a ${vote.judgment} vote cannot carry a reason`);
  }
  if (vote.reason !== undefined && !rules.reasonCodes.has(vote.reason)) {
    return reject("VOTE_UNKNOWN_REASON", `reason "${vote.reason}" is not in the catalogue`);
  }
  const castAtDate = new Date(vote.castAt);
  const castAtCorrected =
    Math.abs(offsetMs) > SKEW_CORRECTION_THRESHOLD_MS ? new Date(castAtDate.getTime() + offsetMs) : null;
  const effective = (castAtCorrected ?? castAtDate).getTime();
  if (effective > now.getTime() + MAX_FUTURE_SKEW_MS) {
    return reject("VOTE_CAST_IN_FUTURE", "castAt is more than 5 minutes ahead of the gateway clock");
  }
  if (effective < now.getTime() - MAX_VOTE_AGE_MS) {
    return reject("VOTE_TOO_OLD", "castAt is more than 60 days in the past");
  }
  return { ...vote, castAtDate, castAtCorrected };
}

export function isRejection(value: AcceptedVote | VoteRejection): value is VoteRejection {
  return "code" in value;
}

/** What makes two submissions of one vote id "the same vote". */
export interface VoteIdentity {
  kioskId: string | null;
  serviceId: string;
  judgment: string;
  reason: string | null;
  castAtMs: number;
}

export function sameVote(a: VoteIdentity, b: VoteIdentity): boolean {
  return (
    a.kioskId === b.kioskId &&
    a.serviceId === b.serviceId &&
    a.judgment === b.judgment &&
    a.reason === b.reason &&
    a.castAtMs === b.castAtMs
  );
}

export interface TimedVote {
  id: string;
  castAtMs: number;
}

/**
 * Flags votes cast on one kiosk less than `intervalSeconds` after the
 * previous one (HappyOrNot's "terminal response interval"). `earlier` are
 * votes already stored for the kiosk around the batch's time span. Ties on
 * the same millisecond are ordered by id so the outcome is deterministic.
 */
export function suspectedRepeats(
  batch: readonly TimedVote[],
  earlier: readonly TimedVote[],
  intervalSeconds: number,
): Set<string> {
  const flagged = new Set<string>();
  if (intervalSeconds <= 0) return flagged;
  const incoming = new Set(batch.map((v) => v.id));
  const timeline = [...earlier.filter((v) => !incoming.has(v.id)), ...batch].sort(
    (a, b) => a.castAtMs - b.castAtMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  for (let i = 1; i < timeline.length; i++) {
    const current = timeline[i];
    const previous = timeline[i - 1];
    if (!current || !previous || !incoming.has(current.id)) continue;
    if (current.castAtMs - previous.castAtMs < intervalSeconds * 1000) flagged.add(current.id);
  }
  return flagged;
}
