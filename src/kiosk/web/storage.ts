import { type DBSchema, type IDBPDatabase, openDB } from "idb";
import type { Judgment } from "../../shared/domain.js";
import type { KioskProfile } from "../domain/profile.js";

/**
 * The kiosk's durable state in IndexedDB: the queue of votes not yet
 * acknowledged by the gateway, votes the gateway refused (kept with their
 * code, never silently dropped), and the pairing (token and profile) so the
 * kiosk starts and votes with the network down.
 */

/** A vote as the kiosk API takes it (VoteInput), waiting in the queue. */
export interface QueuedVote {
  id: string;
  serviceId: string;
  judgment: Judgment;
  reason?: string;
  castAt: string;
}

export interface SetAsideVote {
  vote: QueuedVote;
  code: string;
  detail: string;
  setAsideAt: string;
}

export interface VoteRefusal {
  id: string;
  code: string;
  detail: string;
}

interface Meta {
  token: string;
  profile: KioskProfile;
  lastSyncAt: string;
}

interface KioskSchema extends DBSchema {
  votes: { key: string; value: QueuedVote; indexes: { byCastAt: string } };
  rejected: { key: string; value: SetAsideVote };
  meta: { key: keyof Meta; value: Meta[keyof Meta] };
}

export const KIOSK_DATABASE = "faccia-kiosk";

export interface KioskStorage {
  /** Resolves only once the vote is on disk (strict durability): the thank-you comes after. */
  enqueue(vote: QueuedVote): Promise<void>;
  /** The oldest queued votes, by cast time. */
  oldest(limit: number): Promise<QueuedVote[]>;
  /** Removes what the gateway acknowledged and sets aside what it refused, in one transaction. */
  settle(acknowledged: readonly string[], refused: readonly VoteRefusal[], at: string): Promise<void>;
  depth(): Promise<number>;
  setAside(): Promise<SetAsideVote[]>;
  get<K extends keyof Meta>(key: K): Promise<Meta[K] | undefined>;
  put<K extends keyof Meta>(key: K, value: Meta[K]): Promise<void>;
  remove(key: keyof Meta): Promise<void>;
  close(): void;
}

const STRICT = { durability: "strict" } as const;

export async function openKioskStorage(name: string = KIOSK_DATABASE): Promise<KioskStorage> {
  const db: IDBPDatabase<KioskSchema> = await openDB<KioskSchema>(name, 1, {
    upgrade(database) {
      const votes = database.createObjectStore("votes", { keyPath: "id" });
      votes.createIndex("byCastAt", "castAt");
      database.createObjectStore("rejected", { keyPath: "vote.id" });
      database.createObjectStore("meta");
    },
  });

  return {
    async enqueue(vote) {
      const tx = db.transaction("votes", "readwrite", STRICT);
      await Promise.all([tx.store.put(vote), tx.done]);
    },
    async oldest(limit) {
      return db.getAllFromIndex("votes", "byCastAt", undefined, limit);
    },
    async settle(acknowledged, refused, at) {
      const tx = db.transaction(["votes", "rejected"], "readwrite", STRICT);
      const votes = tx.objectStore("votes");
      const rejected = tx.objectStore("rejected");
      const work: Promise<unknown>[] = acknowledged.map((id) => votes.delete(id));
      for (const refusal of refused) {
        work.push(
          votes.get(refusal.id).then(async (vote) => {
            if (!vote) return;
            await rejected.put({ vote, code: refusal.code, detail: refusal.detail, setAsideAt: at });
            await votes.delete(refusal.id);
          }),
        );
      }
      await Promise.all([...work, tx.done]);
    },
    depth: () => db.count("votes"),
    setAside: () => db.getAll("rejected"),
    async get(key) {
      return (await db.get("meta", key)) as Meta[typeof key] | undefined;
    },
    async put(key, value) {
      await db.put("meta", value, key);
    },
    async remove(key) {
      await db.delete("meta", key);
    },
    close: () => db.close(),
  };
}
