import { and, asc, eq, gt, isNull, or } from "drizzle-orm";
import type { Database } from "../../db/index.js";
import { tables } from "../../db/index.js";
import type { Role } from "../domain/roles.js";

const { accessTokens, entities } = tables;

export interface AccessTokenRecord {
  id: string;
  name: string;
  role: Role;
  entityId: string | null;
  entityIpaCode: string | null;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

export type AccessTokenRepository = ReturnType<typeof createAccessTokenRepository>;

export function createAccessTokenRepository(db: Database) {
  const columns = {
    id: accessTokens.id,
    name: accessTokens.name,
    role: accessTokens.role,
    entityId: accessTokens.entityId,
    entityIpaCode: entities.ipaCode,
    createdAt: accessTokens.createdAt,
    expiresAt: accessTokens.expiresAt,
    revokedAt: accessTokens.revokedAt,
    lastUsedAt: accessTokens.lastUsedAt,
  };
  const toRecord = (
    row: {
      [K in keyof typeof columns]: unknown;
    },
  ): AccessTokenRecord => ({
    id: row.id as string,
    name: row.name as string,
    role: row.role as Role,
    entityId: row.entityId as string | null,
    entityIpaCode: row.entityIpaCode as string | null,
    createdAt: (row.createdAt as Date).toISOString(),
    expiresAt: (row.expiresAt as Date | null)?.toISOString() ?? null,
    revokedAt: (row.revokedAt as Date | null)?.toISOString() ?? null,
    lastUsedAt: (row.lastUsedAt as Date | null)?.toISOString() ?? null,
  });

  return {
    async create(input: {
      name: string;
      role: Role;
      entityId: string | null;
      tokenHash: string;
      expiresAt: Date | null;
    }): Promise<string> {
      const [row] = await db.insert(accessTokens).values(input).returning({ id: accessTokens.id });
      return (row as { id: string }).id;
    },

    async findUsable(tokenHash: string, now: Date): Promise<AccessTokenRecord | null> {
      const [row] = await db
        .select(columns)
        .from(accessTokens)
        .leftJoin(entities, eq(entities.id, accessTokens.entityId))
        .where(
          and(
            eq(accessTokens.tokenHash, tokenHash),
            isNull(accessTokens.revokedAt),
            or(isNull(accessTokens.expiresAt), gt(accessTokens.expiresAt, now)),
          ),
        );
      return row ? toRecord(row) : null;
    },

    async list(): Promise<AccessTokenRecord[]> {
      const rows = await db
        .select(columns)
        .from(accessTokens)
        .leftJoin(entities, eq(entities.id, accessTokens.entityId))
        .orderBy(asc(accessTokens.createdAt));
      return rows.map(toRecord);
    },

    async revoke(id: string, now: Date): Promise<boolean> {
      const rows = await db
        .update(accessTokens)
        .set({ revokedAt: now })
        .where(and(eq(accessTokens.id, id), isNull(accessTokens.revokedAt)))
        .returning({ id: accessTokens.id });
      return rows.length > 0;
    },

    async touch(id: string, now: Date): Promise<void> {
      await db.update(accessTokens).set({ lastUsedAt: now }).where(eq(accessTokens.id, id));
    },

    async entityIdByIpa(ipaCode: string): Promise<string | null> {
      const [row] = await db.select({ id: entities.id }).from(entities).where(eq(entities.ipaCode, ipaCode));
      return row?.id ?? null;
    },
  };
}
