import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf, tables } from "../../src/db/index.js";
import { AuditAction, type AuditLog, createAuditLog } from "../../src/identity/index.js";
import { systemClock } from "../../src/shared/clock.js";
import { backends, openTestDatabase, type TestDatabase } from "../support/databases.js";

/**
 * The audit log on a real database (issue 7): appends from many connections keep one chain, the
 * table refuses UPDATE, DELETE and TRUNCATE (drizzle/0005_audit.sql), and a table owner who gets
 * round the triggers is caught by `verify`.
 */
describe.each(backends)("audit log on %s", (backend) => {
  let database: TestDatabase;
  let audit: AuditLog;

  /** Runs `work` with the append-only triggers off, as a table owner could, and puts them back. */
  async function bypassingTriggers(work: () => Promise<unknown>): Promise<void> {
    await database.db.execute(sql`alter table audit_event disable trigger user`);
    try {
      await work();
    } finally {
      await database.db.execute(sql`alter table audit_event enable trigger user`);
    }
  }

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    audit = createAuditLog(database.db, systemClock);
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("chains concurrent appends into one line, without a fork or a gap", async () => {
    const events = Array.from({ length: 40 }, (_, i) => ({
      actor: `token ${i}`,
      action: "login" as const,
      details: { attempt: i },
    }));
    const written = await Promise.all(events.map((event) => audit.append(event)));
    expect(new Set(written.map((row) => row.previousHash)).size).toBe(40);
    expect(written.map((row) => row.seq).sort((a, b) => a - b)).toEqual(events.map((_, i) => i + 1));
    expect(await audit.verify()).toEqual({ ok: true, count: 40, head: await audit.head() });
  });

  it("accepts every action of the closed list, and nothing else", async () => {
    for (const action of AuditAction.options) await audit.append({ actor: "system", action });
    await expect(audit.append({ actor: "system", action: "sudo" as unknown as AuditAction })).rejects.toThrow();
    expect(await audit.verify()).toMatchObject({ ok: true });
  });

  it("commits an event with the transaction it belongs to, or not at all", async () => {
    const before = await audit.head();
    await expect(
      database.db.transaction(async (tx) => {
        await audit.append({ actor: "cli", action: "config_change", details: { k: "v" } }, tx);
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await audit.head()).toEqual(before);
    await audit.append({ actor: "cli", action: "config_change" });
    expect(await audit.verify()).toMatchObject({ ok: true, count: (before?.seq ?? 0) + 1 });
  });

  it.each([
    ["UPDATE", sql`update audit_event set actor = 'forger' where seq = 2`],
    ["DELETE", sql`delete from audit_event where seq = 2`],
    ["TRUNCATE", sql`truncate audit_event`],
  ])("refuses %s", async (operation, statement) => {
    const error = await database.db.execute(statement).then(
      () => null,
      (failure: unknown) => failure,
    );
    // Drizzle wraps the driver's error; the trigger's message is in its cause.
    expect(String((error as Error | null)?.cause)).toContain(`audit_event is append-only: ${operation} refused`);
    expect(await audit.verify()).toMatchObject({ ok: true });
  });

  it("finds a row altered behind the triggers' back, and stops there", async () => {
    const [original] = rowsOf<{ details: unknown }>(
      await database.db.execute(sql`select details from audit_event where seq = 5`),
    );
    await bypassingTriggers(() =>
      database.db.execute(sql`update audit_event set details = '{"attempt": 999}'::jsonb where seq = 5`),
    );
    expect(await audit.verify({ pageSize: 3 })).toMatchObject({
      ok: false,
      count: 4,
      problem: { seq: 5, kind: "altered" },
    });
    await bypassingTriggers(() =>
      database.db.execute(
        sql`update audit_event set details = ${JSON.stringify(original?.details)}::jsonb where seq = 5`,
      ),
    );
    expect(await audit.verify()).toMatchObject({ ok: true });
  });

  it("finds a deleted middle row, and a deleted last row only against a recorded head", async () => {
    const head = await audit.head();
    if (!head) throw new Error("the log should not be empty here");
    const kept = await database.db.select().from(tables.auditEvents).where(sql`seq in (7, ${head.seq})`);
    await bypassingTriggers(() => database.db.execute(sql`delete from audit_event where seq = 7`));
    expect(await audit.verify({ pageSize: 4 })).toMatchObject({ ok: false, problem: { seq: 7, kind: "missing" } });
    await bypassingTriggers(async () => {
      await database.db.insert(tables.auditEvents).values(kept.filter((row) => row.seq === 7));
      await database.db.execute(sql`delete from audit_event where seq = ${head.seq}`);
    });
    // The chain alone cannot tell that its last row is gone.
    expect(await audit.verify()).toMatchObject({ ok: true, count: head.seq - 1 });
    expect(await audit.verify({ anchor: head })).toMatchObject({
      ok: false,
      problem: { seq: head.seq, kind: "missing" },
    });
    await bypassingTriggers(() =>
      database.db.insert(tables.auditEvents).values(kept.filter((row) => row.seq === head.seq)),
    );
    expect(await audit.verify({ anchor: head })).toEqual({ ok: true, count: head.seq, head });
  });
});
