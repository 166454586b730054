import type { Clock } from "../shared/clock.js";
import type { OrganizationRepository } from "./adapters/organization-repository.js";
import { createCatalogueManagement } from "./manage-catalogue.js";
import { createEntityManagement } from "./manage-entities.js";
import { createPlaceManagement } from "./manage-places.js";
import { createServedCountRecords } from "./record-served-counts.js";

export interface OrganizationDeps {
  repo: OrganizationRepository;
  clock: Clock;
}

/** The organization module's use cases, for the staff API and the CLI. */
export function createOrganization({ repo, clock }: OrganizationDeps) {
  return {
    entities: createEntityManagement({ entities: repo.entities, clock }),
    places: createPlaceManagement({ places: repo.places, clock }),
    catalogue: createCatalogueManagement({ catalogue: repo.catalogue, places: repo.places, clock }),
    servedCounts: createServedCountRecords({ servedCounts: repo.servedCounts, clock }),
  };
}

export type Organization = ReturnType<typeof createOrganization>;
