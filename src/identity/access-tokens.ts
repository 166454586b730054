import type { Clock } from "../shared/clock.js";
import { AppError } from "../shared/errors.js";
import type { Principal } from "../shared/http/env.js";
import { hashSecret, newToken } from "../shared/secrets.js";
import type { AccessTokenRecord, AccessTokenRepository } from "./adapters/access-token-repository.js";
import type { Role } from "./domain/roles.js";

export const ACCESS_TOKEN_PREFIX = "fp";
/** `last_used_at` is written at most this often per token, not on every request. */
const TOUCH_INTERVAL_MS = 60_000;

export interface CreatedAccessToken {
  token: string;
  record: AccessTokenRecord;
}

/** Personal access tokens for the staff API: made by `faccia tokens create`, stored only as hashes. */
export function createAccessTokens(repo: AccessTokenRepository, clock: Clock) {
  const lastTouched = new Map<string, number>();

  return {
    async create(input: {
      name: string;
      role: Role;
      entityIpaCode?: string | undefined;
      expiresAt?: Date | undefined;
    }) {
      let entityId: string | null = null;
      if (input.entityIpaCode !== undefined) {
        entityId = await repo.entityIdByIpa(input.entityIpaCode);
        if (!entityId) throw new AppError("RESOURCE_NOT_FOUND", `no entity with IPA code ${input.entityIpaCode}`);
      }
      const token = newToken(ACCESS_TOKEN_PREFIX);
      const id = await repo.create({
        name: input.name,
        role: input.role,
        entityId,
        tokenHash: hashSecret(token),
        expiresAt: input.expiresAt ?? null,
      });
      const record = (await repo.list()).find((r) => r.id === id) as AccessTokenRecord;
      return { token, record } satisfies CreatedAccessToken;
    },

    list: () => repo.list(),

    async revoke(id: string): Promise<void> {
      if (!(await repo.revoke(id, clock.now()))) throw new AppError("RESOURCE_NOT_FOUND", `no active token ${id}`);
    },

    /** The principal behind a bearer token, or null. */
    async authenticate(token: string): Promise<Principal | null> {
      const now = clock.now();
      const record = await repo.findUsable(hashSecret(token), now);
      if (!record) return null;
      if (now.getTime() - (lastTouched.get(record.id) ?? 0) > TOUCH_INTERVAL_MS) {
        lastTouched.set(record.id, now.getTime());
        await repo.touch(record.id, now);
      }
      return {
        kind: "access-token",
        id: record.id,
        name: record.name,
        grants: [{ role: record.role, entityId: record.entityId }],
        level: null,
      };
    },
  };
}

export type AccessTokens = ReturnType<typeof createAccessTokens>;
