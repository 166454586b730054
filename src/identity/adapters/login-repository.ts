import { and, asc, eq, gt, isNull, lt, or, sql } from "drizzle-orm";
import type { Database, Transaction } from "../../db/index.js";
import { tables } from "../../db/index.js";
import type { Role } from "../domain/roles.js";
import type { SamlFederation as Federation } from "../saml/index.js";

const { samlPendingRequests, samlUsedAssertions, samlExchanges, staffSessions, staffUsers, entities, samlSpProfiles } =
  tables;

/** An AuthnRequest waiting for its Response, as the ACS needs it. */
export interface PendingLogin {
  id: string;
  federation: Federation;
  idpEntityId: string;
  level: 1 | 2 | 3;
  issueInstant: Date;
  relayState: string;
  expiresAt: Date;
}

/** The register fields AgID log.rst suggests for a Response, as the message states them. */
export interface MessageDescription {
  responseId: string | null;
  responseIssueInstant: string | null;
  responseIssuer: string | null;
  assertionId: string | null;
  nameId: string | null;
  nameQualifier: string | null;
}

/** What the register of log.rst keeps of a Response (AgID: the fields of the pair). */
export interface ExchangeResponse extends MessageDescription {
  fiscalCode: string | null;
  outcome: string;
  responseXml: string | null;
}

export interface NewSession {
  tokenHash: string;
  fiscalCode: string;
  name: string;
  federation: Federation;
  idpEntityId: string;
  level: 1 | 2 | 3;
  nameId: string;
  nameQualifier: string | null;
  sessionIndex: string | null;
  createdAt: Date;
  expiresAt: Date;
}

export interface SessionRecord extends NewSession {
  id: string;
  lastSeenAt: Date;
}

/** One role of a staff member in one entity. */
export interface StaffGrant {
  entityId: string;
  ipaCode: string;
  entityName: string;
  role: Role;
}

export interface SpProfileRecord {
  entityId: string;
  organizationUrl: string;
  contactEmail: string;
  contactPhone: string | null;
  municipality: string | null;
  province: string | null;
}

/** A register row by its key: who sent the request (kind and IdP) and the request's ID. */
export interface ExchangeKey {
  kind: "login" | "logout";
  idpEntityId: string;
  requestId: string;
}

function sameExchange(key: ExchangeKey) {
  return and(
    eq(samlExchanges.kind, key.kind),
    eq(samlExchanges.idpEntityId, key.idpEntityId),
    eq(samlExchanges.requestId, key.requestId),
  );
}

/** AgID log.rst: the register is kept for 24 months. */
export const EXCHANGE_RETENTION_MONTHS = 24;

/** The login tables' queries, over the database or inside a transaction. */
export type LoginStore = ReturnType<typeof createLoginStore>;
export type LoginRepository = ReturnType<typeof createLoginRepository>;

/** Pending requests, consumed assertions, the SAML register and staff sessions (tables of migration 0006). */
export function createLoginRepository(db: Database) {
  return {
    ...createLoginStore(db),
    /**
     * Runs `work` in one transaction, with the queries bound to it and the transaction itself for
     * the audit log: a change and its audit event commit together or not at all.
     */
    transaction<T>(work: (store: LoginStore, tx: Transaction) => Promise<T>): Promise<T> {
      return db.transaction((tx) => work(createLoginStore(tx as unknown as Database), tx));
    },
  };
}

function createLoginStore(db: Database) {
  return {
    /**
     * Stores the pending request with the request as sent. It enters the register (log.rst: the
     * request/response pair) only when a Response comes back, so unanswered requests, which anyone
     * can cause, leave with the pending row a day after it expires.
     */
    async savePending(pending: PendingLogin & { browserBinding: string; requestXml: string }): Promise<void> {
      await db.insert(samlPendingRequests).values({
        id: pending.id,
        federation: pending.federation,
        idpEntityId: pending.idpEntityId,
        level: pending.level,
        issueInstant: pending.issueInstant,
        relayState: pending.relayState,
        browserBinding: pending.browserBinding,
        requestXml: pending.requestXml,
        expiresAt: pending.expiresAt,
      });
    },

    /** Marks the browser's pending request used and returns it; null when absent, used or expired (single use). */
    async consumePending(browserBinding: string, now: Date): Promise<(PendingLogin & { requestXml: string }) | null> {
      const [row] = await db
        .update(samlPendingRequests)
        .set({ consumedAt: now })
        .where(
          and(
            eq(samlPendingRequests.browserBinding, browserBinding),
            isNull(samlPendingRequests.consumedAt),
            gt(samlPendingRequests.expiresAt, now),
          ),
        )
        .returning();
      if (!row) return null;
      return {
        id: row.id,
        federation: row.federation as Federation,
        idpEntityId: row.idpEntityId,
        level: row.level as 1 | 2 | 3,
        issueInstant: row.issueInstant,
        relayState: row.relayState,
        expiresAt: row.expiresAt,
        requestXml: row.requestXml,
      };
    },

    /** The ACS replay port: true the first time an Assertion ID is seen, false after (atomic). */
    async rememberAssertion(assertionId: string, until: Date): Promise<boolean> {
      const inserted = await db
        .insert(samlUsedAssertions)
        .values({ assertionId, expiresAt: until })
        .onConflictDoNothing()
        .returning({ id: samlUsedAssertions.assertionId });
      return inserted.length === 1;
    },

    /**
     * Writes a request to the register, with its response when there is one already. False when
     * the IdP already sent a request with that ID (a replayed LogoutRequest): nothing is written.
     */
    async openExchange(
      exchange: {
        federation: Federation;
        kind: "login" | "logout";
        idpEntityId: string;
        requestId: string;
        requestIssueInstant: Date;
        requestXml: string;
      },
      response?: { fields: ExchangeResponse; at: Date },
    ): Promise<boolean> {
      const inserted = await db
        .insert(samlExchanges)
        .values({ ...exchange, ...(response ? { ...response.fields, respondedAt: response.at } : {}) })
        .onConflictDoNothing()
        .returning({ id: samlExchanges.id });
      return inserted.length === 1;
    },

    /** Records the answer to one of our requests, once: a second answer changes nothing. */
    async recordResponse(key: ExchangeKey, response: ExchangeResponse, at: Date): Promise<boolean> {
      const updated = await db
        .update(samlExchanges)
        .set({ ...response, respondedAt: at })
        .where(and(sameExchange(key), isNull(samlExchanges.respondedAt)))
        .returning({ id: samlExchanges.id });
      return updated.length === 1;
    },

    async exchange(key: ExchangeKey) {
      const [row] = await db.select().from(samlExchanges).where(sameExchange(key));
      return row ?? null;
    },

    /** The entities where `fiscalCode` has a role, by IPA code. */
    async grants(fiscalCode: string): Promise<StaffGrant[]> {
      const rows = await db
        .select({
          entityId: staffUsers.entityId,
          ipaCode: entities.ipaCode,
          entityName: entities.name,
          role: staffUsers.role,
        })
        .from(staffUsers)
        .innerJoin(entities, eq(entities.id, staffUsers.entityId))
        .where(eq(staffUsers.fiscalCode, fiscalCode))
        .orderBy(asc(entities.ipaCode));
      return rows.map((row) => ({ ...row, role: row.role as Role }));
    },

    async createSession(session: NewSession & { id?: string }): Promise<string> {
      const [row] = await db
        .insert(staffSessions)
        .values({ ...session, lastSeenAt: session.createdAt })
        .returning({ id: staffSessions.id });
      return (row as { id: string }).id;
    },

    /** The live session of a cookie: not ended, within the absolute limit and seen since `idleSince`. */
    async liveSession(tokenHash: string, now: Date, idleSince: Date): Promise<SessionRecord | null> {
      const [row] = await db
        .select()
        .from(staffSessions)
        .where(
          and(
            eq(staffSessions.tokenHash, tokenHash),
            isNull(staffSessions.endedAt),
            gt(staffSessions.expiresAt, now),
            gt(staffSessions.lastSeenAt, idleSince),
          ),
        );
      if (!row) return null;
      return {
        id: row.id,
        tokenHash: row.tokenHash,
        fiscalCode: row.fiscalCode,
        name: row.name,
        federation: row.federation as Federation,
        idpEntityId: row.idpEntityId,
        level: row.level as 1 | 2 | 3,
        nameId: row.nameId,
        nameQualifier: row.nameQualifier,
        sessionIndex: row.sessionIndex,
        createdAt: row.createdAt,
        lastSeenAt: row.lastSeenAt,
        expiresAt: row.expiresAt,
      };
    },

    async touchSession(id: string, at: Date): Promise<void> {
      await db.update(staffSessions).set({ lastSeenAt: at }).where(eq(staffSessions.id, id));
    },

    async endSession(id: string, at: Date): Promise<void> {
      await db
        .update(staffSessions)
        .set({ endedAt: at })
        .where(and(eq(staffSessions.id, id), isNull(staffSessions.endedAt)));
    },

    /**
     * Ends the sessions an IdP-initiated LogoutRequest names (single-logout.rst): by NameID from that
     * IdP, and by SessionIndex when the request gives some. Returns the fiscal codes logged out.
     */
    async endSessionsByNameId(
      idpEntityId: string,
      nameId: string,
      sessionIndexes: readonly string[],
      at: Date,
    ): Promise<string[]> {
      const bySessionIndex =
        sessionIndexes.length > 0
          ? or(...sessionIndexes.map((index) => eq(staffSessions.sessionIndex, index)))
          : undefined;
      const rows = await db
        .update(staffSessions)
        .set({ endedAt: at })
        .where(
          and(
            eq(staffSessions.idpEntityId, idpEntityId),
            eq(staffSessions.nameId, nameId),
            isNull(staffSessions.endedAt),
            bySessionIndex,
          ),
        )
        .returning({ fiscalCode: staffSessions.fiscalCode });
      return rows.map((row) => row.fiscalCode);
    },

    async spProfile(entityId: string): Promise<SpProfileRecord | null> {
      const [row] = await db.select().from(samlSpProfiles).where(eq(samlSpProfiles.entityId, entityId));
      return row ?? null;
    },

    async saveSpProfile(profile: SpProfileRecord, at: Date): Promise<SpProfileRecord> {
      const { entityId, ...values } = profile;
      const [row] = await db
        .insert(samlSpProfiles)
        .values({ ...profile, updatedAt: at })
        .onConflictDoUpdate({ target: samlSpProfiles.entityId, set: { ...values, updatedAt: at } })
        .returning();
      return row as SpProfileRecord & { updatedAt: Date };
    },

    /**
     * The retention job: the register after 24 months (log.rst), consumed assertions once expired,
     * pending requests a day after they expired, sessions a day after they ended or expired.
     */
    async purge(now: Date): Promise<{ exchanges: number; assertions: number; pending: number; sessions: number }> {
      const dayAgo = new Date(now.getTime() - 86_400_000);
      const registerLimit = sql`${now.toISOString()}::timestamptz - make_interval(months => ${EXCHANGE_RETENTION_MONTHS})`;
      // A logout request we sent and never got an answer to is not a pair: it goes after a day.
      const exchanges = await db
        .delete(samlExchanges)
        .where(
          or(
            lt(samlExchanges.createdAt, registerLimit),
            and(isNull(samlExchanges.respondedAt), lt(samlExchanges.createdAt, dayAgo)),
          ),
        )
        .returning({ id: samlExchanges.id });
      const assertions = await db
        .delete(samlUsedAssertions)
        .where(lt(samlUsedAssertions.expiresAt, now))
        .returning({ id: samlUsedAssertions.assertionId });
      const pending = await db
        .delete(samlPendingRequests)
        .where(lt(samlPendingRequests.expiresAt, dayAgo))
        .returning({ id: samlPendingRequests.id });
      const sessions = await db
        .delete(staffSessions)
        .where(or(lt(staffSessions.endedAt, dayAgo), lt(staffSessions.expiresAt, dayAgo)))
        .returning({ id: staffSessions.id });
      return {
        exchanges: exchanges.length,
        assertions: assertions.length,
        pending: pending.length,
        sessions: sessions.length,
      };
    },
  };
}
