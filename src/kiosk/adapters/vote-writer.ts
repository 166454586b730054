import { sql } from "drizzle-orm";
import type { Database } from "../../db/index.js";
import { rowsOf } from "../../db/index.js";
import { suspectedRepeats, type VoteRejection } from "../domain/vote.js";
import type { KioskIdentity } from "./kiosk-repository.js";

/** A vote ready to store, as the use case built it. */
export interface VoteRow {
  id: string;
  serviceId: string;
  judgment: string;
  reasonId: string | null;
  castAt: Date;
  castAtCorrected: Date | null;
}

interface Job {
  kiosk: KioskIdentity;
  rows: VoteRow[];
  rejections: VoteRejection[];
  resolve(inserted: Set<string>): void;
  reject(error: unknown): void;
}

export interface VoteWriterOptions {
  /** Most rows in one INSERT; 10 text arrays keep Postgres' parameter count tiny whatever the size. */
  maxRows?: number;
  /** Groups written at the same time (keep below the connection pool size). */
  maxInFlight?: number;
}

/**
 * Group commit for votes. Requests arriving together are written by one
 * transaction and one INSERT, and each request is answered only after that
 * transaction commits: acknowledged votes are durable, and a busy gateway
 * pays one commit for many kiosks. If a shared write fails, each request is
 * retried on its own, so one bad request cannot fail the others.
 */
export function createVoteWriter(db: Database, options: VoteWriterOptions = {}) {
  const maxRows = options.maxRows ?? 2000;
  const maxInFlight = options.maxInFlight ?? 2;
  const queue: Job[] = [];
  let inFlight = 0;
  let scheduled = false;
  const idle: Array<() => void> = [];

  function schedule(): void {
    if (scheduled || queue.length === 0 || inFlight >= maxInFlight) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      const group: Job[] = [];
      let rows = 0;
      while (queue.length > 0 && (group.length === 0 || rows + (queue[0] as Job).rows.length <= maxRows)) {
        const job = queue.shift() as Job;
        rows += job.rows.length;
        group.push(job);
      }
      inFlight += 1;
      void flush(group).finally(() => {
        inFlight -= 1;
        if (inFlight === 0 && queue.length === 0) for (const wake of idle.splice(0)) wake();
        schedule();
      });
      schedule();
    });
  }

  async function flush(group: Job[]): Promise<void> {
    try {
      const inserted = await writeGroup(db, group);
      group.forEach((job, i) => {
        job.resolve(inserted[i] as Set<string>);
      });
    } catch (error) {
      if (group.length === 1) {
        (group[0] as Job).reject(error);
        return;
      }
      for (const job of group) await flush([job]);
    }
  }

  return {
    /** Stores a request's accepted votes and rejections; resolves with the ids actually inserted. */
    write(kiosk: KioskIdentity, rows: VoteRow[], rejections: VoteRejection[]): Promise<Set<string>> {
      if (rows.length === 0 && rejections.length === 0) return Promise.resolve(new Set());
      return new Promise((resolve, reject) => {
        queue.push({ kiosk, rows, rejections, resolve, reject });
        schedule();
      });
    },
    /** Resolves once everything queued has been written (graceful shutdown). */
    drain(): Promise<void> {
      if (inFlight === 0 && queue.length === 0) return Promise.resolve();
      return new Promise((resolve) => idle.push(resolve));
    },
  };
}

/**
 * One statement for the whole group (votes and rejections together, so
 * atomic without an explicit transaction: one round trip, one commit).
 * Returns, per job, the ids that job inserted.
 */
async function writeGroup(db: Database, group: Job[]): Promise<Set<string>[]> {
  const owner = new Map<string, number>();
  const rows: Row[] = [];
  group.forEach((job, index) => {
    for (const row of job.rows) {
      // The same id from two requests in one group (a kiosk retrying): the first owns it.
      if (owner.has(row.id)) continue;
      owner.set(row.id, index);
      rows.push({ ...row, kiosk: job.kiosk });
    }
  });
  const inBatch = repeatsWithinGroup(rows);
  // Id order: two statements inserting overlapping ids lock them in the same order, never deadlock.
  rows.sort((a, b) => (a.id < b.id ? -1 : 1));
  const rejections = group.flatMap((job) =>
    job.rejections.map((r) => ({ kiosk: job.kiosk, voteId: r.id, code: r.code })),
  );
  const result = rowsOf<{ id: string }>(await db.execute(groupStatement(rows, inBatch, rejections)));
  const inserted = group.map(() => new Set<string>());
  for (const { id } of result) inserted[owner.get(id) as number]?.add(id);
  return inserted;
}

type Row = VoteRow & { kiosk: KioskIdentity };

/** Repeats among the group's own votes, per kiosk (stored neighbours are checked in SQL). */
function repeatsWithinGroup(rows: Row[]): Set<string> {
  const byKiosk = new Map<string, { interval: number; votes: { id: string; castAtMs: number }[] }>();
  for (const row of rows) {
    const kiosk = row.kiosk;
    const entry = byKiosk.get(kiosk.id) ?? { interval: kiosk.repeatIntervalSeconds, votes: [] };
    entry.votes.push({ id: row.id, castAtMs: row.castAt.getTime() });
    byKiosk.set(kiosk.id, entry);
  }
  const flagged = new Set<string>();
  for (const { interval, votes } of byKiosk.values()) {
    for (const id of suspectedRepeats(votes, [], interval)) flagged.add(id);
  }
  return flagged;
}

/**
 * One statement whatever the number of rows: the group travels as a single
 * JSON parameter expanded by `jsonb_to_recordset` (serialised natively, far
 * cheaper than one escaped array per column). A vote is a suspected repeat
 * when another vote of the same kiosk was cast less than the entity's
 * interval before it (ties ordered by id), among the group or among the
 * votes already stored (index vote_kiosk_cast_at_idx). Rejections ride along
 * in a data-modifying CTE of the same statement.
 */
function groupStatement(rows: Row[], inBatch: Set<string>, rejections: RejectionRow[]) {
  const votes = rows.map((r) => ({
    id: r.id,
    entity_id: r.kiosk.entityId,
    kiosk_id: r.kiosk.id,
    office_id: r.kiosk.officeId,
    desk_id: r.kiosk.deskId,
    service_id: r.serviceId,
    judgment: r.judgment,
    reason_id: r.reasonId,
    cast_at: r.castAt.toISOString(),
    cast_at_corrected: r.castAtCorrected?.toISOString() ?? null,
    in_batch: inBatch.has(r.id),
    window_ms: r.kiosk.repeatIntervalSeconds * 1000,
  }));
  const refused = rejections.map((r) => ({
    entity_id: r.kiosk.entityId,
    kiosk_id: r.kiosk.id,
    vote_id: r.voteId,
    code: r.code,
  }));
  // Most groups refuse nothing: they skip the CTE (one table and its indexes fewer to open per statement).
  const withRejected =
    refused.length === 0
      ? sql``
      : sql`
    with rejected as (
      insert into vote_rejection (entity_id, kiosk_id, vote_id, code)
      select r.entity_id, r.kiosk_id, r.vote_id, r.code
      from jsonb_to_recordset(${JSON.stringify(refused)}::jsonb)
        as r(entity_id uuid, kiosk_id uuid, vote_id text, code text)
    )`;
  return sql`${withRejected}
    insert into vote (id, entity_id, kiosk_id, office_id, desk_id, service_id, channel, judgment, reason_id,
                      cast_at, cast_at_corrected, suspected_repeat)
    select v.id, v.entity_id, v.kiosk_id, v.office_id, v.desk_id, v.service_id,
           'desk', v.judgment, v.reason_id, v.cast_at, v.cast_at_corrected,
           v.in_batch or (v.window_ms > 0 and exists (
             select 1 from vote p
             where p.kiosk_id = v.kiosk_id
               and p.cast_at <= v.cast_at
               and p.cast_at > v.cast_at - v.window_ms * interval '1 millisecond'
               and (p.cast_at < v.cast_at or p.id < v.id)))
    from jsonb_to_recordset(${JSON.stringify(votes)}::jsonb)
      as v(id uuid, entity_id uuid, kiosk_id uuid, office_id uuid, desk_id uuid, service_id uuid, judgment text,
           reason_id uuid, cast_at timestamptz, cast_at_corrected timestamptz, in_batch boolean, window_ms int)
    on conflict (id) do nothing
    returning id`;
}

interface RejectionRow {
  kiosk: KioskIdentity;
  voteId: string | null;
  code: string;
}

export type VoteWriter = ReturnType<typeof createVoteWriter>;
