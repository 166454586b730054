import type { Clock } from "../shared/clock.js";
import type { PlaceRepository } from "./adapters/place-repository.js";
import type { Desk, DeskCreate, DeskUpdate, Office, OfficeCreate, OfficeUpdate } from "./domain/catalogue.js";
import { found, notFoundInEntity } from "./domain/errors.js";

export interface ManagePlacesDeps {
  places: PlaceRepository;
  clock: Clock;
}

/** Staff use cases for an entity's offices (sedi) and desks (sportelli). */
export function createPlaceManagement({ places, clock }: ManagePlacesDeps) {
  async function getOffice(entityId: string, id: string): Promise<Office> {
    return found(await places.getOffice(entityId, id), "office", id);
  }

  return {
    listOffices: (entityId: string) => places.listOffices(entityId),
    getOffice,
    createOffice: (entityId: string, draft: OfficeCreate) => places.createOffice(entityId, draft),

    async updateOffice(entityId: string, id: string, changes: OfficeUpdate): Promise<Office> {
      return found(await places.updateOffice(entityId, id, changes, clock.now()), "office", id);
    },

    async removeOffice(entityId: string, id: string): Promise<void> {
      if (!(await places.removeOffice(entityId, id))) throw notFoundInEntity("office", id);
    },

    async listDesks(entityId: string, officeId?: string): Promise<Desk[]> {
      if (officeId !== undefined) await getOffice(entityId, officeId);
      return places.listDesks(entityId, officeId);
    },

    async getDesk(entityId: string, id: string): Promise<Desk> {
      return found(await places.getDesk(entityId, id), "desk", id);
    },

    async createDesk(entityId: string, draft: DeskCreate): Promise<Desk> {
      // The foreign key only proves the office exists somewhere, not in this entity.
      await getOffice(entityId, draft.officeId);
      return places.createDesk(entityId, draft);
    },

    async updateDesk(entityId: string, id: string, changes: DeskUpdate): Promise<Desk> {
      return found(await places.updateDesk(entityId, id, changes, clock.now()), "desk", id);
    },

    async removeDesk(entityId: string, id: string): Promise<void> {
      if (!(await places.removeDesk(entityId, id))) throw notFoundInEntity("desk", id);
    },
  };
}

export type PlaceManagement = ReturnType<typeof createPlaceManagement>;
