import { createRoute } from "@hono/zod-openapi";
import { createRouter, problemResponses } from "../../shared/http/router.js";
import { Office, OfficeCreate, OfficeUpdate } from "../domain/catalogue.js";
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

const tags = ["Offices"];
const OfficeParams = EntityParams.extend({ officeId: uuidParam("officeId") });

/** `/entities/{ipa}/offices`: the entity's sedi. */
export function officeRoutes({ organization, onCatalogueChange }: OrganizationApiDeps) {
  const router = createRouter();
  const { places } = organization;
  const access = entityAccess(organization);

  router.openapi(
    createRoute({
      method: "get",
      path: "/entities/{ipa}/offices",
      tags,
      security,
      summary: "The entity's offices (sedi)",
      request: { params: EntityParams },
      responses: { 200: listOf(Office, "Offices"), ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const entityId = await access(c, c.req.valid("param").ipa, "read");
      return c.json({ items: await places.listOffices(entityId) }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: "post",
      path: "/entities/{ipa}/offices",
      tags,
      security,
      summary: "Create an office; its name is unique in the entity",
      request: { params: EntityParams, ...jsonBody(OfficeCreate) },
      responses: { 201: json(Office, "Created"), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const entityId = await access(c, c.req.valid("param").ipa, "configure");
      return c.json(await places.createOffice(entityId, c.req.valid("json")), 201);
    },
  );

  router.openapi(
    createRoute({
      method: "get",
      path: "/entities/{ipa}/offices/{officeId}",
      tags,
      security,
      summary: "One office",
      request: { params: OfficeParams },
      responses: { 200: json(Office, "Office"), ...problemResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const { ipa, officeId } = c.req.valid("param");
      const entityId = await access(c, ipa, "read");
      return c.json(await places.getOffice(entityId, officeId), 200);
    },
  );

  router.openapi(
    createRoute({
      method: "patch",
      path: "/entities/{ipa}/offices/{officeId}",
      tags,
      security,
      summary: "Rename an office or change its address",
      request: { params: OfficeParams, ...jsonBody(OfficeUpdate) },
      responses: { 200: json(Office, "Updated"), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const { ipa, officeId } = c.req.valid("param");
      const entityId = await access(c, ipa, "configure");
      const office = await places.updateOffice(entityId, officeId, c.req.valid("json"));
      onCatalogueChange(entityId);
      return c.json(office, 200);
    },
  );

  router.openapi(
    createRoute({
      method: "delete",
      path: "/entities/{ipa}/offices/{officeId}",
      tags,
      security,
      summary: "Delete an office without desks, kiosks or votes",
      request: { params: OfficeParams },
      responses: { ...deleted, ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const { ipa, officeId } = c.req.valid("param");
      const entityId = await access(c, ipa, "configure");
      await places.removeOffice(entityId, officeId);
      return c.body(null, 204);
    },
  );

  return router;
}
