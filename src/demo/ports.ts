import type { ReasonDefinition } from "./catalogue.js";
import type { VoteBatch } from "./generate-votes.js";
import type { ServedCount, ServiceMonthVotes } from "./served-counts.js";

/** The organization rows of one comune, as the demo writes them (existing rows are left as they are). */
export interface EntityStructure {
  ipaCode: string;
  name: string;
  timezone: string;
  offices: {
    name: string;
    desks: { name: string; services: { code: string; name: string; names: Record<string, string> }[] }[];
  }[];
  reasons: readonly ReasonDefinition[];
  /** Kiosks written directly as already paired (seeded data only; the embedded demo pairs its kiosk for real). */
  kiosks: { name: string; officeName: string; deskName: string | null }[];
}

export interface StoredDesk {
  officeId: string;
  officeName: string;
  deskId: string;
  deskName: string;
  services: { serviceId: string; code: string }[];
}

export interface StoredEntity {
  entityId: string;
  ipaCode: string;
  /** false when the entity row already existed. */
  created: boolean;
  officeIds: Map<string, string>;
  desks: StoredDesk[];
  /** Reason ids indexed like DEFAULT_REASONS (null where the entity lacks that code). */
  reasonIds: (string | null)[];
  /** Kiosk ids by name. */
  kioskIds: Map<string, string>;
}

/** What a generated vote's slot index stands for in the database. */
export interface StoredSlot {
  entityId: string;
  officeId: string;
  deskId: string | null;
  serviceId: string;
  kioskId: string | null;
  reasonIds: readonly (string | null)[];
}

/** The demo's persistence port, implemented by `adapters/demo-store.ts`. */
export interface DemoStore {
  ensureEntity(structure: EntityStructure, now: Date): Promise<StoredEntity>;
  /** Inserts the batches (ids already present are skipped); reports each batch once written (its transaction may still be open). */
  writeVotes(
    batches: Iterable<VoteBatch>,
    slots: readonly StoredSlot[],
    onBatch?: (generated: number, inserted: number) => void,
  ): Promise<{ inserted: number }>;
  countVotes(entityId: string): Promise<number>;
  /** The active kiosk whose bearer token has this SHA-256 hash, or null. */
  activeKioskIdByTokenHash(tokenHash: string): Promise<string | null>;
  /** Desk votes per service and calendar month in `timeZone`. */
  serviceMonthVotes(entityIds: readonly string[], timeZone: string): Promise<ServiceMonthVotes[]>;
  saveServedCounts(rows: readonly ServedCount[]): Promise<void>;
}

/** Small secrets the demo keeps between runs (its kiosk and admin tokens), readable only by their owner. */
export interface SecretStore {
  /** The stored value, or null when there is none. */
  read(name: string): Promise<string | null>;
  write(name: string, value: string): Promise<void>;
  /** Where the value lives, for messages. */
  locationOf(name: string): string;
}
