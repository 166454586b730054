import { AppError } from "../shared/errors.js";
import type { StaffUserRecord, StaffUserRepository } from "./adapters/staff-user-repository.js";
import type { AuditEventInput } from "./domain/audit-event.js";
import { parseFiscalCode } from "./domain/fiscal-code.js";
import type { Role } from "./domain/roles.js";

/** What `add` did: a new user, a new role (or name) for an existing one, or nothing. */
export type StaffUserOutcome = "added" | "role_changed" | "renamed" | "unchanged";

export interface AddStaffUserInput {
  entityIpaCode: string;
  /** As typed or as a certificate carries it: case and a `TINIT-` prefix do not matter. */
  fiscalCode: string;
  role: Role;
  /** Default for a new user: the fiscal code. An existing user keeps its name unless one is given. */
  name?: string | undefined;
  /** Who does it, for the audit log: a fiscal code, a token name, or `cli`. */
  actor: string;
}

async function entityIdOf(repo: StaffUserRepository, ipaCode: string): Promise<string> {
  const entityId = await repo.entityIdByIpa(ipaCode);
  if (!entityId) throw new AppError("RESOURCE_NOT_FOUND", `no entity with IPA code ${ipaCode}`);
  return entityId;
}

function eventFor(
  input: AddStaffUserInput,
  entityId: string,
  fiscalCode: string,
  existing: StaffUserRecord | null,
):
  | { outcome: "unchanged"; event: null; user: StaffUserRecord }
  | { outcome: Exclude<StaffUserOutcome, "unchanged">; event: AuditEventInput } {
  const base = { actor: input.actor, entityId, subject: fiscalCode };
  if (!existing) {
    return { outcome: "added", event: { ...base, action: "user_add", details: { role: input.role } } };
  }
  if (existing.role !== input.role) {
    const details = { from: existing.role, to: input.role };
    return { outcome: "role_changed", event: { ...base, action: "user_role_change", details } };
  }
  if (input.name !== undefined && input.name !== existing.name) {
    const details = { change: "staff_user_name", from: existing.name, to: input.name };
    return { outcome: "renamed", event: { ...base, action: "config_change", details } };
  }
  return { outcome: "unchanged", event: null, user: existing };
}

/**
 * Staff users per entity, keyed by fiscal code (issue 7): `faccia users add` bootstraps the first
 * admin; later the staff web app's user management uses the same use case. Every change is audited.
 */
export function createStaffUsers(deps: { repo: StaffUserRepository }) {
  const { repo } = deps;
  return {
    /** Adds the user, or gives an existing one the role (and name); `previousRole` is null for a new user. */
    async add(
      input: AddStaffUserInput,
    ): Promise<{ user: StaffUserRecord; outcome: StaffUserOutcome; previousRole: Role | null }> {
      const parsed = parseFiscalCode(input.fiscalCode);
      if (!parsed.ok) throw new AppError("REQUEST_VALIDATION_FAILED", parsed.reason);
      const entityId = await entityIdOf(repo, input.entityIpaCode);
      const existing = await repo.find(entityId, parsed.value);
      const change = eventFor(input, entityId, parsed.value, existing);
      const previousRole = existing?.role ?? null;
      if (change.event === null) return { user: change.user, outcome: change.outcome, previousRole };
      const name = input.name ?? existing?.name ?? parsed.value;
      const user = await repo.save({ entityId, fiscalCode: parsed.value, name, role: input.role }, change.event);
      return { user, outcome: change.outcome, previousRole };
    },

    /**
     * Takes away the user's role in the entity. Open sessions lose it on their next request, as
     * roles are read per request (issue 7). Throws RESOURCE_NOT_FOUND when there is no such user.
     */
    async remove(input: { entityIpaCode: string; fiscalCode: string; actor: string }): Promise<void> {
      const parsed = parseFiscalCode(input.fiscalCode);
      if (!parsed.ok) throw new AppError("REQUEST_VALIDATION_FAILED", parsed.reason);
      const entityId = await entityIdOf(repo, input.entityIpaCode);
      const existing = await repo.find(entityId, parsed.value);
      const event: AuditEventInput = {
        actor: input.actor,
        action: "user_remove",
        entityId,
        subject: parsed.value,
        details: { role: existing?.role ?? null },
      };
      if (!existing || !(await repo.remove(entityId, parsed.value, event))) {
        throw new AppError("RESOURCE_NOT_FOUND", `${parsed.value} is not a staff user of ${input.entityIpaCode}`);
      }
    },

    async list(entityIpaCode: string): Promise<StaffUserRecord[]> {
      return repo.list(await entityIdOf(repo, entityIpaCode));
    },
  };
}

export type StaffUsers = ReturnType<typeof createStaffUsers>;
