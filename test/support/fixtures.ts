import { type Database, tables } from "../../src/db/index.js";

export interface OrgFixture {
  entityId: string;
  ipaCode: string;
  officeId: string;
  deskId: string;
  serviceIds: { anagrafe: string; tributi: string; other: string };
  otherOfficeId: string;
}

/**
 * A small comune: one office with a desk offering Anagrafe and Tributi, a
 * second office with its own service, and the default reason catalogue.
 */
export async function seedOrganization(
  db: Database,
  ipaCode = "c_test",
  repeatIntervalSeconds = 3,
): Promise<OrgFixture> {
  const [entity] = await db
    .insert(tables.entities)
    .values({ ipaCode, name: `Comune di ${ipaCode}`, repeatIntervalSeconds })
    .returning();
  const entityId = (entity as { id: string }).id;
  const [office, otherOffice] = await db
    .insert(tables.offices)
    .values([
      { entityId, name: "Sede centrale" },
      { entityId, name: "Delegazione nord" },
    ])
    .returning();
  const [desk, otherDesk] = await db
    .insert(tables.desks)
    .values([
      { entityId, officeId: (office as { id: string }).id, name: "Sportello 1" },
      { entityId, officeId: (otherOffice as { id: string }).id, name: "Sportello A" },
    ])
    .returning();
  const deskId = (desk as { id: string }).id;
  const [anagrafe, tributi, other] = await db
    .insert(tables.services)
    .values([
      { entityId, deskId, code: "anagrafe", name: "Anagrafe", names: { en: "Registry office" } },
      { entityId, deskId, code: "tributi", name: "Tributi", names: { en: "Local taxes" } },
      { entityId, deskId: (otherDesk as { id: string }).id, code: "suap", name: "SUAP" },
    ])
    .returning();
  await db.insert(tables.reasons).values([
    { entityId, code: "tempo-attesa", label: "Tempo di attesa", sortOrder: 1 },
    { entityId, code: "cortesia", label: "Cortesia e competenza del personale", sortOrder: 2 },
  ]);
  return {
    entityId,
    ipaCode,
    officeId: (office as { id: string }).id,
    deskId,
    otherOfficeId: (otherOffice as { id: string }).id,
    serviceIds: {
      anagrafe: (anagrafe as { id: string }).id,
      tributi: (tributi as { id: string }).id,
      other: (other as { id: string }).id,
    },
  };
}
