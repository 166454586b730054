import { createRoute } from "@hono/zod-openapi";
import { currentPrincipal, requireAccess } from "../../identity/index.js";
import { createRouter, problemResponses } from "../../shared/http/router.js";
import { Entity, EntityCreate, EntityUpdate } from "../domain/entity.js";
import { deleted, EntityParams, json, jsonBody, listOf, type OrganizationApiDeps, security } from "./route-kit.js";

const tags = ["Entities"];

/** `/entities`: comuni and unioni with their kiosk settings. */
export function entityRoutes({ organization, onCatalogueChange }: OrganizationApiDeps) {
  const router = createRouter();
  const { entities } = organization;

  router.openapi(
    createRoute({
      method: "get",
      path: "/entities",
      tags,
      security,
      summary: "Entities the caller can see: all for a platform-wide token, else its own",
      responses: { 200: listOf(Entity, "Entities"), ...problemResponses(401, 403) },
    }),
    async (c) => {
      const { grants } = currentPrincipal(c);
      if (grants.some((grant) => grant.entityId === null)) return c.json({ items: await entities.list(null) }, 200);
      // A staff member may hold roles in several entities (a secretary serving two comuni).
      const all = await Promise.all(grants.map((grant) => entities.list(grant.entityId)));
      const byId = new Map(all.flat().map((entity) => [entity.id, entity]));
      return c.json({ items: [...byId.values()] }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: "post",
      path: "/entities",
      tags,
      security,
      summary: "Create an entity with the default reason catalogue (platform-wide admin only)",
      request: jsonBody(EntityCreate),
      responses: { 201: json(Entity, "Created"), ...problemResponses(400, 401, 403, 409) },
    }),
    async (c) => {
      requireAccess(c, null, "configure");
      return c.json(await entities.create(c.req.valid("json")), 201);
    },
  );

  router.openapi(
    createRoute({
      method: "get",
      path: "/entities/{ipa}",
      tags,
      security,
      summary: "One entity",
      request: { params: EntityParams },
      responses: { 200: json(Entity, "Entity"), ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const entity = await entities.get(c.req.valid("param").ipa);
      requireAccess(c, entity.id, "read");
      return c.json(entity, 200);
    },
  );

  router.openapi(
    createRoute({
      method: "patch",
      path: "/entities/{ipa}",
      tags,
      security,
      summary: "Change the entity's name or kiosk settings (the IPA code never changes)",
      request: { params: EntityParams, ...jsonBody(EntityUpdate) },
      responses: { 200: json(Entity, "Updated"), ...problemResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const entity = await entities.get(c.req.valid("param").ipa);
      requireAccess(c, entity.id, "configure");
      const updated = await entities.update(entity, c.req.valid("json"));
      onCatalogueChange(entity.id);
      return c.json(updated, 200);
    },
  );

  router.openapi(
    createRoute({
      method: "delete",
      path: "/entities/{ipa}",
      tags,
      security,
      summary: "Delete an entity that has nothing but its reason catalogue (platform-wide admin only)",
      description:
        "Refused with RESOURCE_IN_USE while offices, desks, services, kiosks, votes or users-served counts " +
        "still belong to it. Access tokens scoped to the entity are deleted with it.",
      request: { params: EntityParams },
      responses: { ...deleted, ...problemResponses(401, 403, 404, 409) },
    }),
    async (c) => {
      const entity = await entities.get(c.req.valid("param").ipa);
      requireAccess(c, null, "configure");
      await entities.remove(entity);
      return c.body(null, 204);
    },
  );

  return router;
}
