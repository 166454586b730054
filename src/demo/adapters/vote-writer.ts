import { type SQL, sql } from "drizzle-orm";
import { type Database, type DatabaseHandle, rowsOf } from "../../db/index.js";
import { JUDGMENT_ORDER } from "../distribution.js";
import type { VoteBatch } from "../generate-votes.js";
import type { StoredSlot } from "../ports.js";

/**
 * A Postgres array literal (`{a,b,NULL}`) passed as one text parameter and
 * cast on the server: one parameter per column whatever the batch size, the
 * same on postgres.js and PGlite. Values must need no quoting (UUIDs,
 * numbers, plain words).
 */
function arrayLiteral(values: ArrayLike<string | number | null>, size = values.length): string {
  const parts = new Array<string>(size);
  for (let i = 0; i < size; i++) {
    const value = values[i];
    parts[i] = value === null || value === undefined ? "NULL" : String(value);
  }
  return `{${parts.join(",")}}`;
}

function slotColumns(slots: readonly StoredSlot[]) {
  return {
    index: arrayLiteral(slots.map((_, i) => i)),
    entity: arrayLiteral(slots.map((s) => s.entityId)),
    office: arrayLiteral(slots.map((s) => s.officeId)),
    desk: arrayLiteral(slots.map((s) => s.deskId)),
    service: arrayLiteral(slots.map((s) => s.serviceId)),
    kiosk: arrayLiteral(slots.map((s) => s.kioskId)),
  };
}

function reasonIdsOf(batch: VoteBatch, slots: readonly StoredSlot[]): (string | null)[] {
  const ids = new Array<string | null>(batch.size);
  for (let i = 0; i < batch.size; i++) {
    const reason = batch.reason[i] as number;
    ids[i] = reason < 0 ? null : (slots[batch.slot[i] as number]?.reasonIds[reason] ?? null);
  }
  return ids;
}

/**
 * One `insert … select … from unnest(…)` per batch: the vote columns travel
 * as arrays, the slot's ids (entity, office, desk, service, kiosk) are joined
 * in from a small second unnest instead of being repeated on every row.
 */
function insertStatement(batch: VoteBatch, slots: ReturnType<typeof slotColumns>, reasonIds: (string | null)[]): SQL {
  const n = batch.size;
  return sql`insert into vote (id, entity_id, kiosk_id, office_id, desk_id, service_id, channel, judgment, reason_id,
      cast_at, received_at, suspected_repeat)
    select v.id, s.entity_id, s.kiosk_id, s.office_id, s.desk_id, s.service_id, 'desk',
      (${arrayLiteral(JUDGMENT_ORDER)}::text[])[v.judgment + 1], v.reason_id,
      timestamptz 'epoch' + v.cast_ms * interval '1 millisecond',
      timestamptz 'epoch' + v.received_ms * interval '1 millisecond', v.repeat = 1
    from unnest(${arrayLiteral(batch.ids, n)}::uuid[], ${arrayLiteral(batch.slot, n)}::int[],
      ${arrayLiteral(batch.judgment, n)}::int[], ${arrayLiteral(reasonIds, n)}::uuid[],
      ${arrayLiteral(batch.castAtMs, n)}::int8[], ${arrayLiteral(batch.receivedAtMs, n)}::int8[],
      ${arrayLiteral(batch.suspectedRepeat, n)}::int[])
      as v(id, slot, judgment, reason_id, cast_ms, received_ms, repeat)
    join unnest(${slots.index}::int[], ${slots.entity}::uuid[], ${slots.office}::uuid[],
      ${slots.desk}::uuid[], ${slots.service}::uuid[], ${slots.kiosk}::uuid[])
      as s(slot, entity_id, office_id, desk_id, service_id, kiosk_id) on s.slot = v.slot
    on conflict (id) do nothing`;
}

function affectedRows(result: unknown): number {
  if (Array.isArray(result)) return (result as unknown as { count?: number }).count ?? 0;
  return (result as { affectedRows?: number }).affectedRows ?? 0;
}

/** Batches per transaction: fewer commits, while a failure loses little work. */
const BATCHES_PER_TRANSACTION = 5;

interface WriteContext {
  db: Database;
  slots: readonly StoredSlot[];
  columns: ReturnType<typeof slotColumns>;
  skipForeignKeyChecks: boolean;
}

type BatchListener = (generated: number, inserted: number) => void;

async function writeGroup(context: WriteContext, group: VoteBatch[], onBatch?: BatchListener): Promise<number> {
  return context.db.transaction(async (tx) => {
    if (context.skipForeignKeyChecks) await tx.execute(sql`set local session_replication_role = replica`);
    let inserted = 0;
    for (const batch of group) {
      const statement = insertStatement(batch, context.columns, reasonIdsOf(batch, context.slots));
      const count = affectedRows(await tx.execute(statement));
      inserted += count;
      onBatch?.(batch.size, count);
    }
    return inserted;
  });
}

/**
 * Foreign-key checks are most of the cost of a bulk insert (six per vote).
 * Every id in a batch was just read from the organization tables, so when the
 * role may (a superuser: always on PGlite), the writer skips them for its own
 * transactions with `set local session_replication_role = replica`, the
 * technique pg_restore uses. Check constraints and unique indexes still apply.
 */
async function maySkipForeignKeyChecks(db: Database): Promise<boolean> {
  const result = await db.execute(sql`select current_setting('is_superuser') = 'on' as superuser`);
  return rowsOf<{ superuser: boolean }>(result)[0]?.superuser === true;
}

/**
 * Runs up to `limit` tasks at once. `submit` waits while the pool is full;
 * the first failure is rethrown by the next `submit` or by `drain`.
 */
function taskPool(limit: number) {
  const running = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  const rethrow = () => {
    if (failure) throw failure.error;
  };
  return {
    async submit(task: () => Promise<void>): Promise<void> {
      const tracked: Promise<void> = task()
        .catch((error: unknown) => {
          failure ??= { error };
        })
        .finally(() => running.delete(tracked));
      running.add(tracked);
      if (running.size >= limit) await Promise.race(running);
      rethrow();
    },
    async drain(): Promise<void> {
      await Promise.all(running);
      rethrow();
    },
  };
}

/** Groups batches `size` at a time, lazily. */
function* grouped(batches: Iterable<VoteBatch>, size: number): Generator<VoteBatch[]> {
  let group: VoteBatch[] = [];
  for (const batch of batches) {
    group.push(batch);
    if (group.length === size) {
      yield group;
      group = [];
    }
  }
  if (group.length > 0) yield group;
}

/**
 * Bulk vote insertion for synthetic data. Postgres gets two transactions in
 * flight (the next group is generated while the previous one is written);
 * PGlite, single-threaded, one at a time.
 */
export function createVoteWriter(handle: DatabaseHandle) {
  return async function writeVotes(
    batches: Iterable<VoteBatch>,
    slots: readonly StoredSlot[],
    onBatch?: BatchListener,
  ): Promise<{ inserted: number }> {
    const context: WriteContext = {
      db: handle.db,
      slots,
      columns: slotColumns(slots),
      skipForeignKeyChecks: await maySkipForeignKeyChecks(handle.db),
    };
    const pool = taskPool(handle.kind === "postgres" ? 2 : 1);
    let inserted = 0;
    for (const group of grouped(batches, BATCHES_PER_TRANSACTION)) {
      await pool.submit(async () => {
        inserted += await writeGroup(context, group, onBatch);
      });
    }
    await pool.drain();
    return { inserted };
  };
}
