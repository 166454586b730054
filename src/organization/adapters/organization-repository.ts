import type { Database } from "../../db/index.js";
import { createCatalogueRepository } from "./catalogue-repository.js";
import { createEntityRepository } from "./entity-repository.js";
import { createPlaceRepository } from "./place-repository.js";
import { createServedCountRepository } from "./served-count-repository.js";

export type OrganizationRepository = ReturnType<typeof createOrganizationRepository>;

/** Every storage port of the organization module, over one database. */
export function createOrganizationRepository(db: Database) {
  return {
    entities: createEntityRepository(db),
    places: createPlaceRepository(db),
    catalogue: createCatalogueRepository(db),
    servedCounts: createServedCountRepository(db),
  };
}
