import { createRoute } from "@hono/zod-openapi";
import { createRouter, problemResponses } from "../../shared/http/router.js";
import { Reason, ReasonCreate, ReasonUpdate } from "../domain/catalogue.js";
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

const tags = ["Reasons"];
const ReasonParams = EntityParams.extend({ reasonId: uuidParam("reasonId") });

/** `/entities/{ipa}/reasons`: the catalogue a citizen picks from after a negative vote. */
export function reasonRoutes({ organization, onCatalogueChange }: OrganizationApiDeps) {
  const router = createRouter();
  const { catalogue } = organization;
  const access = entityAccess(organization);

  router.openapi(
    createRoute({
      method: "get",
      path: "/entities/{ipa}/reasons",
      tags,
      security,
      summary: "The entity's reasons for a negative vote, active and inactive",
      request: { params: EntityParams },
      responses: { 200: listOf(Reason, "Reasons"), ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const entityId = await access(c, c.req.valid("param").ipa, "read");
      return c.json({ items: await catalogue.listReasons(entityId) }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: "post",
      path: "/entities/{ipa}/reasons",
      tags,
      security,
      summary: "Add a reason; its code is unique in the entity and kiosks offer it at once",
      request: { params: EntityParams, ...jsonBody(ReasonCreate) },
      responses: { 201: json(Reason, "Created"), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const entityId = await access(c, c.req.valid("param").ipa, "configure");
      const reason = await catalogue.createReason(entityId, c.req.valid("json"));
      onCatalogueChange(entityId);
      return c.json(reason, 201);
    },
  );

  router.openapi(
    createRoute({
      method: "get",
      path: "/entities/{ipa}/reasons/{reasonId}",
      tags,
      security,
      summary: "One reason",
      request: { params: ReasonParams },
      responses: { 200: json(Reason, "Reason"), ...problemResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const { ipa, reasonId } = c.req.valid("param");
      const entityId = await access(c, ipa, "read");
      return c.json(await catalogue.getReason(entityId, reasonId), 200);
    },
  );

  router.openapi(
    createRoute({
      method: "patch",
      path: "/entities/{ipa}/reasons/{reasonId}",
      tags,
      security,
      summary: "Relabel, translate, reorder or deactivate a reason",
      request: { params: ReasonParams, ...jsonBody(ReasonUpdate) },
      responses: { 200: json(Reason, "Updated"), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const { ipa, reasonId } = c.req.valid("param");
      const entityId = await access(c, ipa, "configure");
      const reason = await catalogue.updateReason(entityId, reasonId, c.req.valid("json"));
      onCatalogueChange(entityId);
      return c.json(reason, 200);
    },
  );

  router.openapi(
    createRoute({
      method: "delete",
      path: "/entities/{ipa}/reasons/{reasonId}",
      tags,
      security,
      summary: "Delete a reason no vote gave; otherwise deactivate it with active:false",
      description:
        "Refused with RESOURCE_IN_USE when votes refer to it: " +
        'PATCH `{"active": false}` instead, which hides it from kiosks and keeps its history.',
      request: { params: ReasonParams },
      responses: { ...deleted, ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const { ipa, reasonId } = c.req.valid("param");
      const entityId = await access(c, ipa, "configure");
      await catalogue.removeReason(entityId, reasonId);
      onCatalogueChange(entityId);
      return c.body(null, 204);
    },
  );

  return router;
}
