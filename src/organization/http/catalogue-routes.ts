import { z } from "@hono/zod-openapi";
import {
  Desk,
  DeskCreate,
  DeskUpdate,
  Office,
  OfficeCreate,
  OfficeUpdate,
  Reason,
  ReasonCreate,
  ReasonUpdate,
  Service,
  ServiceCreate,
  ServiceUpdate,
} from "../domain/catalogue.js";
import { collectionRoutes } from "./collection-routes.js";
import type { OrganizationApiDeps } from "./route-kit.js";

const DEACTIVATE_INSTEAD = 'PATCH `{"active": false}` instead, which hides it from kiosks and keeps its history.';

/** `/entities/{ipa}/offices`: the entity's sedi. */
export function officeRoutes(deps: OrganizationApiDeps) {
  const { places } = deps.organization;
  return collectionRoutes(
    {
      name: "offices",
      idParam: "officeId",
      tag: "Offices",
      item: Office,
      create: OfficeCreate,
      update: OfficeUpdate,
      summaries: {
        list: "The entity's offices (sedi)",
        create: "Create an office; its name is unique in the entity",
        get: "One office",
        update: "Rename an office or change its address",
        remove: "Delete an office without desks, kiosks or votes",
      },
      // Kiosks show their office's name; a new or removed office has no kiosk yet.
      kioskVisible: ["update"],
      store: {
        list: (entityId) => places.listOffices(entityId),
        create: (entityId, draft) => places.createOffice(entityId, draft),
        get: (entityId, id) => places.getOffice(entityId, id),
        update: (entityId, id, changes) => places.updateOffice(entityId, id, changes),
        remove: (entityId, id) => places.removeOffice(entityId, id),
      },
    },
    deps,
  );
}

const DeskFilter = z.object({
  officeId: z
    .uuid()
    .optional()
    .openapi({ param: { name: "officeId", in: "query" }, description: "Only the desks of this office" }),
});

/**
 * `/entities/{ipa}/desks`: the entity's sportelli. Flat like services and
 * kiosks, with the office in the body, so every catalogue path has one shape.
 */
export function deskRoutes(deps: OrganizationApiDeps) {
  const { places } = deps.organization;
  return collectionRoutes(
    {
      name: "desks",
      idParam: "deskId",
      tag: "Desks",
      item: Desk,
      create: DeskCreate,
      update: DeskUpdate,
      filter: DeskFilter,
      summaries: {
        list: "The entity's desks (sportelli), optionally of one office",
        create: "Create a desk in one of the entity's offices; its name is unique in the office",
        get: "One desk",
        update: "Rename a desk (a desk never changes office: create a new one instead)",
        remove: "Delete a desk without services, kiosks or votes",
      },
      kioskVisible: ["update", "remove"],
      store: {
        list: (entityId, filter) => places.listDesks(entityId, filter.officeId),
        create: (entityId, draft) => places.createDesk(entityId, draft),
        get: (entityId, id) => places.getDesk(entityId, id),
        update: (entityId, id, changes) => places.updateDesk(entityId, id, changes),
        remove: (entityId, id) => places.removeDesk(entityId, id),
      },
    },
    deps,
  );
}

/** `/entities/{ipa}/services`: the servizi citizens rate, each at one desk. */
export function serviceRoutes(deps: OrganizationApiDeps) {
  const { catalogue } = deps.organization;
  return collectionRoutes(
    {
      name: "services",
      idParam: "serviceId",
      tag: "Services",
      item: Service,
      create: ServiceCreate,
      update: ServiceUpdate,
      summaries: {
        list: "The entity's services, active and inactive",
        create: "Add a service at one of the entity's desks; kiosks offer it at once",
        get: "One service",
        update: "Rename, translate, reorder, move or deactivate a service",
        remove: "Delete a service nobody used; otherwise deactivate it with active:false",
      },
      removeDescription: `Refused with RESOURCE_IN_USE when votes, users-served counts or a kiosk's service list refer to it: ${DEACTIVATE_INSTEAD}`,
      kioskVisible: ["create", "update", "remove"],
      store: {
        list: (entityId) => catalogue.listServices(entityId),
        create: (entityId, draft) => catalogue.createService(entityId, draft),
        get: (entityId, id) => catalogue.getService(entityId, id),
        update: (entityId, id, changes) => catalogue.updateService(entityId, id, changes),
        remove: (entityId, id) => catalogue.removeService(entityId, id),
      },
    },
    deps,
  );
}

/** `/entities/{ipa}/reasons`: the catalogue a citizen picks from after a negative vote. */
export function reasonRoutes(deps: OrganizationApiDeps) {
  const { catalogue } = deps.organization;
  return collectionRoutes(
    {
      name: "reasons",
      idParam: "reasonId",
      tag: "Reasons",
      item: Reason,
      create: ReasonCreate,
      update: ReasonUpdate,
      summaries: {
        list: "The entity's reasons for a negative vote, active and inactive",
        create: "Add a reason; its code is unique in the entity and kiosks offer it at once",
        get: "One reason",
        update: "Relabel, translate, reorder or deactivate a reason",
        remove: "Delete a reason no vote gave; otherwise deactivate it with active:false",
      },
      removeDescription: `Refused with RESOURCE_IN_USE when votes refer to it: ${DEACTIVATE_INSTEAD}`,
      kioskVisible: ["create", "update", "remove"],
      store: {
        list: (entityId) => catalogue.listReasons(entityId),
        create: (entityId, draft) => catalogue.createReason(entityId, draft),
        get: (entityId, id) => catalogue.getReason(entityId, id),
        update: (entityId, id, changes) => catalogue.updateReason(entityId, id, changes),
        remove: (entityId, id) => catalogue.removeReason(entityId, id),
      },
    },
    deps,
  );
}
