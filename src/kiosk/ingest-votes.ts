import type { Clock } from "../shared/clock.js";
import { AppError } from "../shared/errors.js";
import type { KioskIdentity, KioskRepository } from "./adapters/kiosk-repository.js";
import type { VoteRow, VoteWriter } from "./adapters/vote-writer.js";
import {
  type AcceptedVote,
  checkVote,
  clockOffsetMs,
  isRejection,
  sameVote,
  type VoteIdentity,
  VoteInput,
  type VoteRejection,
} from "./domain/vote.js";
import type { ProfileCache } from "./profile-cache.js";

export interface IngestResult {
  accepted: string[];
  duplicates: string[];
  rejected: VoteRejection[];
}

export interface IngestDeps {
  repo: KioskRepository;
  writer: VoteWriter;
  profiles: ProfileCache;
  clock: Clock;
}

/** Rejections that a stale cached catalogue could cause: worth one reload before refusing. */
const CATALOGUE_CODES = new Set(["VOTE_UNKNOWN_SERVICE", "VOTE_SERVICE_NOT_OFFERED", "VOTE_UNKNOWN_REASON"]);

type Outcome = { kind: "accepted" } | { kind: "duplicate" } | { kind: "rejected"; rejection: VoteRejection };

/**
 * Stores a kiosk's batch vote by vote. Each vote is checked on its own; the
 * accepted ones go in with `ON CONFLICT DO NOTHING` on the kiosk-made id, so
 * a resent or concurrently submitted batch stores every vote exactly once.
 */
export function createIngestVotes({ repo, writer, profiles, clock }: IngestDeps) {
  async function rulesFor(kiosk: KioskIdentity, fresh: boolean) {
    const rules = await profiles.rules(kiosk, fresh);
    if (!rules) throw new AppError("AUTH_INVALID_TOKEN", "the kiosk's entity no longer exists");
    return rules;
  }

  /** Checks every vote; one reload of the rules if a refusal could come from a stale catalogue. */
  async function checkAll(kiosk: KioskIdentity, votes: VoteInput[], now: Date, offsetMs: number) {
    let rules = await rulesFor(kiosk, false);
    let checked = votes.map((vote) => checkVote(vote, rules, now, offsetMs));
    if (needsFreshRules(checked)) {
      rules = await rulesFor(kiosk, true);
      checked = votes.map((vote) => checkVote(vote, rules, now, offsetMs));
    }
    return split(checked);
  }

  /** `checkAll` without waiting, when the cached rules settle every vote; undefined otherwise. */
  function checkWithCachedRules(kiosk: KioskIdentity, votes: VoteInput[], now: Date, offsetMs: number) {
    const rules = profiles.cachedRules(kiosk);
    if (rules === undefined) return undefined;
    const checked = votes.map((vote) => checkVote(vote, rules, now, offsetMs));
    return needsFreshRules(checked) ? undefined : split(checked);
  }

  /** A vote refused now may be a resend of one stored when the rules still allowed it. */
  async function outcomesOfRefused(kiosk: KioskIdentity, refused: VoteRejection[], unique: Map<string, VoteInput>) {
    const stored = await repo.findVotes(refused.map((r) => r.id as string));
    const byId = new Map<string, Outcome>();
    for (const rejection of refused) {
      const id = rejection.id as string;
      const existing = stored.get(id);
      byId.set(
        id,
        existing ? resendOutcome(existing, unique.get(id) as VoteInput, kiosk.id) : { kind: "rejected", rejection },
      );
    }
    return byId;
  }

  /**
   * Inserts the accepted votes (with the batch's rejections, for the
   * data-quality counts). An id already stored, by a resend or by a
   * concurrent request, is a duplicate when the content matches.
   */
  async function store(kiosk: KioskIdentity, accepted: AcceptedVote[], rejections: VoteRejection[]) {
    const inserted = await writer.write(kiosk, await toRows(accepted, kiosk), rejections);
    const missing = inserted.size === accepted.length ? [] : accepted.filter((v) => !inserted.has(v.id));
    const stored =
      missing.length === 0 ? new Map<string, VoteIdentity>() : await repo.findVotes(missing.map((v) => v.id));
    const byId = new Map<string, Outcome>();
    for (const vote of accepted) {
      const existing = stored.get(vote.id);
      if (inserted.has(vote.id)) byId.set(vote.id, { kind: "accepted" });
      else byId.set(vote.id, existing ? resendOutcome(existing, vote, kiosk.id) : conflict(vote.id));
    }
    const lateConflicts = [...byId.values()].flatMap((o) => (o.kind === "rejected" ? [o.rejection] : []));
    if (lateConflicts.length > 0) await writer.write(kiosk, [], lateConflicts);
    return byId;
  }

  return async function ingestVotes(
    kiosk: KioskIdentity,
    batch: { sentAt?: string | undefined; votes: unknown[] },
  ): Promise<IngestResult> {
    const now = clock.now();
    const { outcomes, unique, copies } = parseItems(batch.votes, kiosk.id);
    const votes = [...unique.values()];
    const offsetMs = clockOffsetMs(batch.sentAt, now);
    const { accepted, refused } =
      checkWithCachedRules(kiosk, votes, now, offsetMs) ?? (await checkAll(kiosk, votes, now, offsetMs));
    const byId = refused.length === 0 ? new Map<string, Outcome>() : await outcomesOfRefused(kiosk, refused, unique);
    const rejections = [...byId.values(), ...outcomes.values()].flatMap((o) =>
      o.kind === "rejected" ? [o.rejection] : [],
    );
    for (const [id, outcome] of await store(kiosk, accepted, rejections)) byId.set(id, outcome);
    for (const { item, first } of copies) {
      const outcome = byId.get(first);
      outcomes.set(item, outcome?.kind === "accepted" ? { kind: "duplicate" } : (outcome ?? conflict(first)));
    }
    return summarise(batch.votes, outcomes, byId);
  };

  function toRows(accepted: AcceptedVote[], kiosk: KioskIdentity): VoteRow[] | Promise<VoteRow[]> {
    if (accepted.length === 0) return [];
    if (accepted.some((v) => v.reason !== undefined)) {
      return profiles.reasonIds(kiosk).then((reasonIds) => rowsOf(accepted, reasonIds));
    }
    return rowsOf(accepted, new Map());
  }

  function rowsOf(accepted: AcceptedVote[], reasonIds: Map<string, string>): VoteRow[] {
    return accepted.map((v) => ({
      id: v.id,
      serviceId: v.serviceId,
      judgment: v.judgment,
      reasonId: v.reason === undefined ? null : (reasonIds.get(v.reason) ?? null),
      castAt: v.castAtDate,
      castAtCorrected: v.castAtCorrected,
    }));
  }
}

/**
 * Validates each item on its own. Returns the refusals by item, the distinct
 * votes by id, and the repeated copies of a vote inside the same batch (a
 * copy with other content is a conflict at once).
 */
function parseItems(items: unknown[], kioskId: string) {
  const outcomes = new Map<unknown, Outcome>();
  const unique = new Map<string, VoteInput>();
  const copies: Array<{ item: unknown; first: string }> = [];
  for (const item of items) {
    const parsed = VoteInput.safeParse(item);
    if (!parsed.success) {
      const detail = parsed.error.issues.map((i) => `${i.path.join(".") || "vote"}: ${i.message}`).join("; ");
      outcomes.set(item, { kind: "rejected", rejection: { id: idOf(item), code: "VOTE_INVALID", detail } });
      continue;
    }
    // Postgres hands uuids back in lower case; compare them that way.
    const vote = { ...parsed.data, id: parsed.data.id.toLowerCase(), serviceId: parsed.data.serviceId.toLowerCase() };
    const first = unique.get(vote.id);
    if (first === undefined) unique.set(vote.id, vote);
    else if (sameVote(identityOf(first, kioskId), identityOf(vote, kioskId))) copies.push({ item, first: vote.id });
    else outcomes.set(item, conflict(vote.id));
  }
  return { outcomes, unique, copies };
}

function needsFreshRules(checked: Array<AcceptedVote | VoteRejection>): boolean {
  return checked.some((c) => isRejection(c) && CATALOGUE_CODES.has(c.code));
}

function split(checked: Array<AcceptedVote | VoteRejection>) {
  return {
    accepted: checked.filter((c): c is AcceptedVote => !isRejection(c)),
    refused: checked.filter(isRejection),
  };
}

function idOf(item: unknown): string | null {
  if (typeof item === "object" && item !== null && "id" in item && typeof item.id === "string") {
    return item.id.slice(0, 64);
  }
  return null;
}

function identityOf(vote: VoteInput, kioskId: string): VoteIdentity {
  return {
    kioskId,
    serviceId: vote.serviceId,
    judgment: vote.judgment,
    reason: vote.reason ?? null,
    castAtMs: Date.parse(vote.castAt),
  };
}

function conflict(id: string): Outcome {
  return {
    kind: "rejected",
    rejection: { id, code: "VOTE_ID_CONFLICT", detail: "a different vote with this id was already received" },
  };
}

function resendOutcome(stored: VoteIdentity, vote: VoteInput, kioskId: string): Outcome {
  return sameVote(stored, identityOf(vote, kioskId)) ? { kind: "duplicate" } : conflict(vote.id);
}

function summarise(items: unknown[], outcomes: Map<unknown, Outcome>, byId: Map<string, Outcome>): IngestResult {
  const result: IngestResult = { accepted: [], duplicates: [], rejected: [] };
  for (const item of items) {
    const id = idOf(item) ?? "";
    const outcome = outcomes.get(item) ?? byId.get(id.toLowerCase());
    if (!outcome) continue;
    if (outcome.kind === "accepted") result.accepted.push(id);
    else if (outcome.kind === "duplicate") result.duplicates.push(id);
    else result.rejected.push(outcome.rejection);
  }
  return result;
}
