import { createRoute, z } from "@hono/zod-openapi";
import { createRouter, problemResponses } from "../../shared/http/router.js";
import { Desk, DeskCreate, DeskUpdate } from "../domain/catalogue.js";
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

const tags = ["Desks"];
const DeskParams = EntityParams.extend({ deskId: uuidParam("deskId") });
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
export function deskRoutes({ organization, onCatalogueChange }: OrganizationApiDeps) {
  const router = createRouter();
  const { places } = organization;
  const access = entityAccess(organization);

  router.openapi(
    createRoute({
      method: "get",
      path: "/entities/{ipa}/desks",
      tags,
      security,
      summary: "The entity's desks (sportelli), optionally of one office",
      request: { params: EntityParams, query: DeskFilter },
      responses: { 200: listOf(Desk, "Desks"), ...problemResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const entityId = await access(c, c.req.valid("param").ipa, "read");
      return c.json({ items: await places.listDesks(entityId, c.req.valid("query").officeId) }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: "post",
      path: "/entities/{ipa}/desks",
      tags,
      security,
      summary: "Create a desk in one of the entity's offices; its name is unique in the office",
      request: { params: EntityParams, ...jsonBody(DeskCreate) },
      responses: { 201: json(Desk, "Created"), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const entityId = await access(c, c.req.valid("param").ipa, "configure");
      return c.json(await places.createDesk(entityId, c.req.valid("json")), 201);
    },
  );

  router.openapi(
    createRoute({
      method: "get",
      path: "/entities/{ipa}/desks/{deskId}",
      tags,
      security,
      summary: "One desk",
      request: { params: DeskParams },
      responses: { 200: json(Desk, "Desk"), ...problemResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const { ipa, deskId } = c.req.valid("param");
      const entityId = await access(c, ipa, "read");
      return c.json(await places.getDesk(entityId, deskId), 200);
    },
  );

  router.openapi(
    createRoute({
      method: "patch",
      path: "/entities/{ipa}/desks/{deskId}",
      tags,
      security,
      summary: "Rename a desk (a desk never changes office: create a new one instead)",
      request: { params: DeskParams, ...jsonBody(DeskUpdate) },
      responses: { 200: json(Desk, "Updated"), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const { ipa, deskId } = c.req.valid("param");
      const entityId = await access(c, ipa, "configure");
      const desk = await places.updateDesk(entityId, deskId, c.req.valid("json"));
      onCatalogueChange(entityId);
      return c.json(desk, 200);
    },
  );

  router.openapi(
    createRoute({
      method: "delete",
      path: "/entities/{ipa}/desks/{deskId}",
      tags,
      security,
      summary: "Delete a desk without services, kiosks or votes",
      request: { params: DeskParams },
      responses: { ...deleted, ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const { ipa, deskId } = c.req.valid("param");
      const entityId = await access(c, ipa, "configure");
      await places.removeDesk(entityId, deskId);
      onCatalogueChange(entityId);
      return c.body(null, 204);
    },
  );

  return router;
}
