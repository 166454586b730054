import { sql } from "drizzle-orm";
import type { Transaction } from "../../db/index.js";

/** Postgres NOTIFY channel on which every process learns that a kiosk was revoked, re-paired or moved. */
export const KIOSK_CHANGED_CHANNEL = "faccia_kiosk_changed";

/**
 * Tells every gateway process sharing the database that a kiosk's token or
 * placement changed. Sent inside the transaction that makes the change, so
 * Postgres delivers it on commit and never for a change that rolled back.
 */
export async function notifyKioskChanged(tx: Transaction, kioskId: string): Promise<void> {
  await tx.execute(sql`select pg_notify(${KIOSK_CHANGED_CHANNEL}, ${kioskId})`);
}
