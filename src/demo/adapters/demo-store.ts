import { and, count, eq, inArray, sql } from "drizzle-orm";
import { type Database, type DatabaseHandle, rowsOf, type Transaction, tables } from "../../db/index.js";
import { DEFAULT_REASONS } from "../catalogue.js";
import type { DemoStore, EntityStructure, StoredDesk, StoredEntity } from "../ports.js";
import type { ServedCount, ServiceMonthVotes } from "../served-counts.js";
import { createVoteWriter } from "./vote-writer.js";

const { entities, offices, desks, services, reasons, kiosks, votes, servedCounts } = tables;

async function ensureEntityRow(tx: Transaction, structure: EntityStructure): Promise<{ id: string; created: boolean }> {
  const inserted = await tx
    .insert(entities)
    .values({ ipaCode: structure.ipaCode, name: structure.name, timezone: structure.timezone })
    .onConflictDoNothing({ target: entities.ipaCode })
    .returning({ id: entities.id });
  if (inserted[0]) return { id: inserted[0].id, created: true };
  const [row] = await tx.select({ id: entities.id }).from(entities).where(eq(entities.ipaCode, structure.ipaCode));
  if (!row) throw new Error(`entity ${structure.ipaCode} vanished while being seeded`);
  return { id: row.id, created: false };
}

async function ensureOffices(
  tx: Transaction,
  entityId: string,
  structure: EntityStructure,
): Promise<Map<string, string>> {
  await tx
    .insert(offices)
    .values(structure.offices.map((office) => ({ entityId, name: office.name })))
    .onConflictDoNothing();
  const rows = await tx
    .select({ id: offices.id, name: offices.name })
    .from(offices)
    .where(eq(offices.entityId, entityId));
  return new Map(rows.map((row) => [row.name, row.id]));
}

type WantedDesk = {
  officeName: string;
  officeId: string;
  deskId: string;
  desk: EntityStructure["offices"][number]["desks"][number];
};

async function ensureDesks(
  tx: Transaction,
  entityId: string,
  structure: EntityStructure,
  officeIds: Map<string, string>,
): Promise<WantedDesk[]> {
  const wanted = structure.offices.flatMap((office) =>
    office.desks.map((desk) => ({ officeName: office.name, officeId: officeIds.get(office.name) ?? "", desk })),
  );
  await tx
    .insert(desks)
    .values(wanted.map(({ desk, officeId }) => ({ entityId, officeId, name: desk.name })))
    .onConflictDoNothing();
  const rows = await tx.select().from(desks).where(eq(desks.entityId, entityId));
  return wanted.map((w) => ({
    ...w,
    deskId: rows.find((row) => row.officeId === w.officeId && row.name === w.desk.name)?.id ?? "",
  }));
}

async function ensureServices(tx: Transaction, entityId: string, wanted: WantedDesk[]): Promise<StoredDesk[]> {
  const serviceRows = wanted.flatMap(({ desk, deskId }) =>
    desk.services.map((service, i) => ({ entityId, deskId, sortOrder: i + 1, ...service })),
  );
  await tx.insert(services).values(serviceRows).onConflictDoNothing();
  const stored = await tx
    .select({ id: services.id, code: services.code, deskId: services.deskId })
    .from(services)
    .where(eq(services.entityId, entityId));
  return wanted.map(({ officeName, officeId, deskId, desk }) => {
    const codes = new Set(desk.services.map((s) => s.code));
    return {
      officeId,
      officeName,
      deskId,
      deskName: desk.name,
      services: stored
        .filter((s) => s.deskId === deskId && codes.has(s.code))
        .map((s) => ({ serviceId: s.id, code: s.code })),
    };
  });
}

async function ensureReasons(
  tx: Transaction,
  entityId: string,
  structure: EntityStructure,
): Promise<(string | null)[]> {
  await tx
    .insert(reasons)
    .values(structure.reasons.map((reason) => ({ entityId, ...reason })))
    .onConflictDoNothing();
  const rows = await tx
    .select({ id: reasons.id, code: reasons.code })
    .from(reasons)
    .where(eq(reasons.entityId, entityId));
  return DEFAULT_REASONS.map((reason) => rows.find((row) => row.code === reason.code)?.id ?? null);
}

async function ensureKiosks(
  tx: Transaction,
  entityId: string,
  structure: EntityStructure,
  stored: { officeIds: Map<string, string>; desks: StoredDesk[] },
  now: Date,
): Promise<Map<string, string>> {
  if (structure.kiosks.length > 0) {
    const rows = structure.kiosks.map((kiosk) => ({
      entityId,
      name: kiosk.name,
      officeId: stored.officeIds.get(kiosk.officeName) ?? "",
      deskId:
        stored.desks.find((d) => d.officeName === kiosk.officeName && d.deskName === kiosk.deskName)?.deskId ?? null,
      status: "active",
      pairedAt: now,
    }));
    await tx.insert(kiosks).values(rows).onConflictDoNothing();
  }
  const rows = await tx.select({ id: kiosks.id, name: kiosks.name }).from(kiosks).where(eq(kiosks.entityId, entityId));
  return new Map(rows.map((row) => [row.name, row.id]));
}

async function ensureEntity(db: Database, structure: EntityStructure, now: Date): Promise<StoredEntity> {
  return db.transaction(async (tx) => {
    const entity = await ensureEntityRow(tx, structure);
    const officeIds = await ensureOffices(tx, entity.id, structure);
    const storedDesks = await ensureServices(tx, entity.id, await ensureDesks(tx, entity.id, structure, officeIds));
    const reasonIds = await ensureReasons(tx, entity.id, structure);
    const kioskIds = await ensureKiosks(tx, entity.id, structure, { officeIds, desks: storedDesks }, now);
    return {
      entityId: entity.id,
      ipaCode: structure.ipaCode,
      created: entity.created,
      officeIds,
      desks: storedDesks,
      reasonIds,
      kioskIds,
    };
  });
}

/**
 * Desk votes per service and local month. Grouped on the vote table alone
 * (date_trunc, no joins: a million votes take about a second on PGlite), then
 * named from the few service rows.
 */
async function serviceMonthVotes(
  db: Database,
  entityIds: readonly string[],
  timeZone: string,
): Promise<ServiceMonthVotes[]> {
  if (entityIds.length === 0) return [];
  const grouped = await db.execute(sql`
    select service_id as "serviceId", to_char(month, 'YYYY-MM') as month, votes from (
      select ${votes.serviceId}, date_trunc('month', ${votes.castAt} at time zone ${timeZone}) as month, count(*)::int as votes
      from ${votes}
      where ${inArray(votes.entityId, [...entityIds])} and ${votes.channel} = 'desk'
      group by 1, 2) as per_month`);
  const rows = rowsOf<{ serviceId: string; month: string; votes: number }>(grouped);
  const names = await db
    .select({ id: services.id, ipaCode: entities.ipaCode, deskName: desks.name, code: services.code })
    .from(services)
    .innerJoin(desks, eq(desks.id, services.deskId))
    .innerJoin(entities, eq(entities.id, services.entityId))
    .where(inArray(services.entityId, [...entityIds]));
  const keyOf = new Map(names.map((n) => [n.id, `${n.ipaCode}/${n.deskName}/${n.code}`]));
  return rows.map((row) => ({
    serviceId: row.serviceId,
    serviceKey: keyOf.get(row.serviceId) ?? row.serviceId,
    month: row.month,
    votes: Number(row.votes),
  }));
}

/** Rows per insert: well under Postgres' 65,535 parameters per statement. */
const SERVED_CHUNK = 1000;

async function saveServedCounts(db: Database, rows: readonly ServedCount[]): Promise<void> {
  if (rows.length === 0) return;
  const values = await db
    .select({ id: services.id, entityId: services.entityId })
    .from(services)
    .where(inArray(services.id, [...new Set(rows.map((r) => r.serviceId))]));
  const entityOf = new Map(values.map((v) => [v.id, v.entityId]));
  for (let start = 0; start < rows.length; start += SERVED_CHUNK) {
    await db
      .insert(servedCounts)
      .values(
        rows
          .slice(start, start + SERVED_CHUNK)
          .map((row) => ({ ...row, entityId: entityOf.get(row.serviceId) ?? "", channel: "desk" })),
      )
      .onConflictDoUpdate({
        target: [servedCounts.serviceId, servedCounts.channel, servedCounts.periodStart, servedCounts.periodEnd],
        set: { count: sql`excluded.count`, updatedAt: sql`now()` },
      });
  }
}

/** The demo's Drizzle store: organization rows, bulk votes and users-served figures. */
export function createDemoStore(handle: DatabaseHandle): DemoStore {
  const { db } = handle;
  return {
    ensureEntity: (structure, now) => ensureEntity(db, structure, now),
    writeVotes: createVoteWriter(handle),
    async countVotes(entityId) {
      const [row] = await db.select({ n: count() }).from(votes).where(eq(votes.entityId, entityId));
      return Number(row?.n ?? 0);
    },
    async activeKioskIdByTokenHash(tokenHash) {
      const [row] = await db
        .select({ id: kiosks.id })
        .from(kiosks)
        .where(and(eq(kiosks.tokenHash, tokenHash), eq(kiosks.status, "active")));
      return row?.id ?? null;
    },
    serviceMonthVotes: (entityIds, timeZone) => serviceMonthVotes(db, entityIds, timeZone),
    saveServedCounts: (rows) => saveServedCounts(db, rows),
  };
}
