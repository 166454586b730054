import { and, asc, eq, gt, isNull, lt, or, sql } from "drizzle-orm";
import type { Database } from "../../db/index.js";
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

/** What the register of log.rst keeps of a Response (AgID: the fields of the pair). */
export interface ExchangeResponse {
  responseId: string | null;
  responseIssueInstant: string | null;
  responseIssuer: string | null;
  assertionId: string | null;
  nameId: string | null;
  nameQualifier: string | null;
  fiscalCode: string | null;
  outcome: string;
  responseXml: string | null;
}

export interface NewSession {
  tokenHash: string;
  csrfHash: string;
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

/** AgID log.rst: the register is kept for 24 months. */
export const EXCHANGE_RETENTION_MONTHS = 24;

export type LoginRepository = ReturnType<typeof createLoginRepository>;

/** Pending requests, consumed assertions, the SAML register and staff sessions (tables of migration 0006). */
export function createLoginRepository(db: Database) {
  return {
    /** Stores the pending request and opens its register row in one transaction: both or neither. */
    async savePending(pending: PendingLogin & { browserBinding: string; requestXml: string }): Promise<void> {
      await db.transaction(async (tx) => {
        await tx.insert(samlPendingRequests).values({
          id: pending.id,
          federation: pending.federation,
          idpEntityId: pending.idpEntityId,
          level: pending.level,
          issueInstant: pending.issueInstant,
          relayState: pending.relayState,
          browserBinding: pending.browserBinding,
          expiresAt: pending.expiresAt,
        });
        await tx.insert(samlExchanges).values({
          federation: pending.federation,
          kind: "login",
          idpEntityId: pending.idpEntityId,
          requestId: pending.id,
          requestIssueInstant: pending.issueInstant,
          requestXml: pending.requestXml,
        });
      });
    },

    /** Marks the browser's pending request used and returns it; null when absent, used or expired (single use). */
    async consumePending(browserBinding: string, now: Date): Promise<PendingLogin | null> {
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

    /** Opens a register row for a request that has no pending row (LogoutRequest). */
    async openExchange(exchange: {
      federation: Federation;
      kind: "login" | "logout";
      idpEntityId: string;
      requestId: string;
      requestIssueInstant: Date;
      requestXml: string;
    }): Promise<void> {
      await db.insert(samlExchanges).values(exchange).onConflictDoNothing();
    },

    async recordResponse(requestId: string, response: ExchangeResponse, at: Date): Promise<void> {
      await db
        .update(samlExchanges)
        .set({ ...response, respondedAt: at })
        .where(eq(samlExchanges.requestId, requestId));
    },

    async exchange(requestId: string) {
      const [row] = await db.select().from(samlExchanges).where(eq(samlExchanges.requestId, requestId));
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

    async createSession(session: NewSession): Promise<string> {
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
        csrfHash: row.csrfHash,
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
      const exchanges = await db
        .delete(samlExchanges)
        .where(lt(samlExchanges.createdAt, registerLimit))
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
