import { createRoute } from "@hono/zod-openapi";
import { createRouter, problemResponses } from "../../shared/http/router.js";
import { Service, ServiceCreate, ServiceUpdate } from "../domain/catalogue.js";
import {
  deleted,
  EntityParams,
  entityAccess,
  json,
  jsonBody,
  listOf,
  type OrganizationApiDeps,
  security,
  uuidParam,
} from "./route-kit.js";

const tags = ["Services"];
const ServiceParams = EntityParams.extend({ serviceId: uuidParam("serviceId") });

/** `/entities/{ipa}/services`: the servizi citizens rate, each at one desk. */
export function serviceRoutes({ organization, onCatalogueChange }: OrganizationApiDeps) {
  const router = createRouter();
  const { catalogue } = organization;
  const access = entityAccess(organization);

  router.openapi(
    createRoute({
      method: "get",
      path: "/entities/{ipa}/services",
      tags,
      security,
      summary: "The entity's services, active and inactive",
      request: { params: EntityParams },
      responses: { 200: listOf(Service, "Services"), ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const entityId = await access(c, c.req.valid("param").ipa, "read");
      return c.json({ items: await catalogue.listServices(entityId) }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: "post",
      path: "/entities/{ipa}/services",
      tags,
      security,
      summary: "Add a service at one of the entity's desks; kiosks offer it at once",
      request: { params: EntityParams, ...jsonBody(ServiceCreate) },
      responses: { 201: json(Service, "Created"), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const entityId = await access(c, c.req.valid("param").ipa, "configure");
      const service = await catalogue.createService(entityId, c.req.valid("json"));
      onCatalogueChange(entityId);
      return c.json(service, 201);
    },
  );

  router.openapi(
    createRoute({
      method: "get",
      path: "/entities/{ipa}/services/{serviceId}",
      tags,
      security,
      summary: "One service",
      request: { params: ServiceParams },
      responses: { 200: json(Service, "Service"), ...problemResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const { ipa, serviceId } = c.req.valid("param");
      const entityId = await access(c, ipa, "read");
      return c.json(await catalogue.getService(entityId, serviceId), 200);
    },
  );

  router.openapi(
    createRoute({
      method: "patch",
      path: "/entities/{ipa}/services/{serviceId}",
      tags,
      security,
      summary: "Rename, translate, reorder, move or deactivate a service",
      request: { params: ServiceParams, ...jsonBody(ServiceUpdate) },
      responses: { 200: json(Service, "Updated"), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const { ipa, serviceId } = c.req.valid("param");
      const entityId = await access(c, ipa, "configure");
      const service = await catalogue.updateService(entityId, serviceId, c.req.valid("json"));
      onCatalogueChange(entityId);
      return c.json(service, 200);
    },
  );

  router.openapi(
    createRoute({
      method: "delete",
      path: "/entities/{ipa}/services/{serviceId}",
      tags,
      security,
      summary: "Delete a service nobody used; otherwise deactivate it with active:false",
      description:
        "Refused with RESOURCE_IN_USE when votes, users-served counts or a kiosk's service list refer to it: " +
        'PATCH `{"active": false}` instead, which hides it from kiosks and keeps its history.',
      request: { params: ServiceParams },
      responses: { ...deleted, ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const { ipa, serviceId } = c.req.valid("param");
      const entityId = await access(c, ipa, "configure");
      await catalogue.removeService(entityId, serviceId);
      onCatalogueChange(entityId);
      return c.body(null, 204);
    },
  );

  return router;
}
