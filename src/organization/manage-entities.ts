import type { Clock } from "../shared/clock.js";
import { Language } from "../shared/domain.js";
import type { EntityRepository } from "./adapters/entity-repository.js";
import { checkLanguages, DEFAULT_REASONS, type Entity, type EntityCreate, type EntityUpdate } from "./domain/entity.js";
import { entityNotFound, settingsInvalid } from "./domain/errors.js";

/** What a new entity gets when the request leaves them out (the database defaults). */
const DEFAULT_LANGUAGE: Language = "it";

export interface ManageEntitiesDeps {
  entities: EntityRepository;
  clock: Clock;
}

/** Staff use cases for entities: list, read, create (with the default reasons), change settings, delete. */
export function createEntityManagement({ entities, clock }: ManageEntitiesDeps) {
  async function get(ipaCode: string): Promise<Entity> {
    const entity = await entities.findByIpa(ipaCode);
    if (!entity) throw entityNotFound(ipaCode);
    return entity;
  }

  return {
    /** All entities for a platform-wide caller (`scope` null), else just the caller's own. */
    list: (scope: string | null) => entities.list(scope),
    get,

    /** The entity's id, or null: for routes addressed by `/entities/{ipa}`. */
    async idByIpa(ipaCode: string): Promise<string | null> {
      return (await entities.findByIpa(ipaCode))?.id ?? null;
    },

    async create(draft: EntityCreate): Promise<Entity> {
      const errors = checkLanguages(draft.defaultLanguage ?? DEFAULT_LANGUAGE, draft.languages ?? Language.options);
      if (errors.length > 0) throw settingsInvalid(errors);
      return entities.create(draft, DEFAULT_REASONS);
    },

    async update(entity: Entity, changes: EntityUpdate): Promise<Entity> {
      const errors = checkLanguages(
        changes.defaultLanguage ?? entity.defaultLanguage,
        changes.languages ?? entity.languages,
      );
      if (errors.length > 0) throw settingsInvalid(errors);
      const updated = await entities.update(entity.id, changes, clock.now());
      if (!updated) throw entityNotFound(entity.ipaCode);
      return updated;
    },

    async remove(entity: Entity): Promise<void> {
      if (!(await entities.remove(entity.id, entity.ipaCode))) throw entityNotFound(entity.ipaCode);
    },
  };
}

export type EntityManagement = ReturnType<typeof createEntityManagement>;
