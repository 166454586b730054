import type { Transaction } from "../db/index.js";
import type { Clock } from "../shared/clock.js";
import { AppError } from "../shared/errors.js";
import type { LoginRepository, SpProfileRecord } from "./adapters/login-repository.js";
import type { AuditEventInput } from "./domain/audit-event.js";
import { SpProfileInput } from "./domain/sp-profile.js";

export type SpProfiles = ReturnType<typeof createSpProfiles>;

/**
 * The operating entity's SAML SP profile (issue 7): set by `faccia sp set`, read when the
 * metadata is served. Every change is a `config_change` in the audit log.
 */
export function createSpProfiles(deps: {
  repo: Pick<LoginRepository, "spProfile" | "transaction">;
  audit: { append(event: AuditEventInput, tx?: Transaction): Promise<unknown> };
  entityIdByIpa(ipaCode: string): Promise<string | null>;
  clock: Clock;
}) {
  async function entityIdOf(ipaCode: string): Promise<string> {
    const entityId = await deps.entityIdByIpa(ipaCode);
    if (!entityId) throw new AppError("RESOURCE_NOT_FOUND", `no entity with IPA code ${ipaCode}`);
    return entityId;
  }
  return {
    async get(ipaCode: string): Promise<SpProfileRecord | null> {
      return deps.repo.spProfile(await entityIdOf(ipaCode));
    },

    /** Validates and saves the profile; throws REQUEST_VALIDATION_FAILED listing every bad value. */
    async set(ipaCode: string, input: unknown, actor: string): Promise<SpProfileRecord> {
      const parsed = SpProfileInput.safeParse(input);
      if (!parsed.success) {
        const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
        throw new AppError("REQUEST_VALIDATION_FAILED", problems.join("; "));
      }
      const entityId = await entityIdOf(ipaCode);
      // The change and its audit event commit together (issue 7: nothing half-written).
      return deps.repo.transaction(async (tx, handle) => {
        const saved = await tx.saveSpProfile({ entityId, ...parsed.data }, deps.clock.now());
        const details = { ...parsed.data };
        await deps.audit.append(
          { actor, action: "config_change", entityId, subject: "saml_sp_profile", details },
          handle,
        );
        return saved;
      });
    },
  };
}
