import { eq } from "drizzle-orm";
import type { Database } from "../../db/index.js";
import { tables } from "../../db/index.js";

/** IPA code → entity id, for routes addressed by `/entities/{ipa}`. */
export function createEntityLookup(db: Database) {
  return async function entityIdByIpa(ipaCode: string): Promise<string | null> {
    const [row] = await db
      .select({ id: tables.entities.id })
      .from(tables.entities)
      .where(eq(tables.entities.ipaCode, ipaCode.toLowerCase()));
    return row?.id ?? null;
  };
}
