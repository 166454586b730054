import type { Clock } from "../shared/clock.js";
import type { CatalogueRepository } from "./adapters/catalogue-repository.js";
import type { PlaceRepository } from "./adapters/place-repository.js";
import type { Reason, ReasonCreate, ReasonUpdate, Service, ServiceCreate, ServiceUpdate } from "./domain/catalogue.js";
import { found, notFoundInEntity } from "./domain/errors.js";

export interface ManageCatalogueDeps {
  catalogue: CatalogueRepository;
  places: PlaceRepository;
  clock: Clock;
}

/** Staff use cases for the entity's services and its reasons for a negative vote. */
export function createCatalogueManagement({ catalogue, places, clock }: ManageCatalogueDeps) {
  /** The foreign key only proves the desk exists somewhere, not in this entity. */
  async function requireDesk(entityId: string, deskId: string | undefined): Promise<void> {
    if (deskId !== undefined) found(await places.getDesk(entityId, deskId), "desk", deskId);
  }

  return {
    listServices: (entityId: string) => catalogue.listServices(entityId),

    async getService(entityId: string, id: string): Promise<Service> {
      return found(await catalogue.getService(entityId, id), "service", id);
    },

    async createService(entityId: string, draft: ServiceCreate): Promise<Service> {
      await requireDesk(entityId, draft.deskId);
      return catalogue.createService(entityId, draft);
    },

    async updateService(entityId: string, id: string, changes: ServiceUpdate): Promise<Service> {
      await requireDesk(entityId, changes.deskId);
      return found(await catalogue.updateService(entityId, id, changes, clock.now()), "service", id);
    },

    async removeService(entityId: string, id: string): Promise<void> {
      found(await catalogue.getService(entityId, id), "service", id);
      if (!(await catalogue.removeService(entityId, id))) throw notFoundInEntity("service", id);
    },

    listReasons: (entityId: string) => catalogue.listReasons(entityId),

    async getReason(entityId: string, id: string): Promise<Reason> {
      return found(await catalogue.getReason(entityId, id), "reason", id);
    },

    createReason: (entityId: string, draft: ReasonCreate) => catalogue.createReason(entityId, draft),

    async updateReason(entityId: string, id: string, changes: ReasonUpdate): Promise<Reason> {
      return found(await catalogue.updateReason(entityId, id, changes, clock.now()), "reason", id);
    },

    async removeReason(entityId: string, id: string): Promise<void> {
      if (!(await catalogue.removeReason(entityId, id))) throw notFoundInEntity("reason", id);
    },
  };
}

export type CatalogueManagement = ReturnType<typeof createCatalogueManagement>;
