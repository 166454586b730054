import { createRoute, z } from "@hono/zod-openapi";
import { createRouter, problemResponses } from "../../shared/http/router.js";
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

type Write = "create" | "update" | "remove";

/** The use cases behind one collection; ids and bodies arrive validated. */
export interface CollectionStore<Create, Update, Filter> {
  list(entityId: string, filter: Filter): Promise<unknown[]>;
  create(entityId: string, draft: Create): Promise<unknown>;
  get(entityId: string, id: string): Promise<unknown>;
  update(entityId: string, id: string, changes: Update): Promise<unknown>;
  remove(entityId: string, id: string): Promise<void>;
}

/** One `/entities/{ipa}/<name>` collection of the catalogue: schemas, wording, use cases. */
export interface CollectionSpec<Create extends z.ZodType, Update extends z.ZodType, Filter extends z.ZodObject> {
  /** Path segment, e.g. `reasons`. */
  name: string;
  /** Path parameter of one item, e.g. `reasonId`. */
  idParam: string;
  tag: string;
  item: z.ZodType;
  create: Create;
  update: Update;
  /** Query parameters of the list route. */
  filter?: Filter;
  summaries: Record<"list" | "create" | "get" | "update" | "remove", string>;
  removeDescription?: string;
  /** Writes that change what kiosks show: their cached profiles are dropped afterwards. */
  kioskVisible: readonly Write[];
  store: CollectionStore<z.infer<Create>, z.infer<Update>, z.infer<Filter>>;
}

/**
 * List, create, read, update and delete routes for one catalogue collection.
 * Reads need `read` on the entity, writes `configure`; every route is in the
 * OpenAPI document with its schemas.
 */
export function collectionRoutes<Create extends z.ZodType, Update extends z.ZodType, Filter extends z.ZodObject>(
  spec: CollectionSpec<Create, Update, Filter>,
  { organization, onCatalogueChange }: OrganizationApiDeps,
) {
  const router = createRouter();
  const access = entityAccess(organization);
  const collectionPath = `/entities/{ipa}/${spec.name}`;
  const itemPath = `${collectionPath}/{${spec.idParam}}`;
  const ItemParams = EntityParams.extend({ [spec.idParam]: uuidParam(spec.idParam) });
  const common = { tags: [spec.tag], security };
  const changed = (write: Write, entityId: string) => {
    if (spec.kioskVisible.includes(write)) onCatalogueChange(entityId);
  };
  const itemId = (params: Record<string, string>) => params[spec.idParam] as string;
  // Widened on purpose: the route types need concrete schemas, the store keeps the precise ones.
  const createBody: z.ZodType = spec.create;
  const updateBody: z.ZodType = spec.update;

  router.openapi(
    createRoute({
      ...common,
      method: "get",
      path: collectionPath,
      summary: spec.summaries.list,
      request: { params: EntityParams, query: spec.filter ?? z.object({}) },
      responses: { 200: listOf(spec.item, spec.tag), ...problemResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const entityId = await access(c, c.req.valid("param").ipa, "read");
      const filter = c.req.valid("query") as z.infer<Filter>;
      return c.json({ items: await spec.store.list(entityId, filter) }, 200);
    },
  );

  router.openapi(
    createRoute({
      ...common,
      method: "post",
      path: collectionPath,
      summary: spec.summaries.create,
      request: { params: EntityParams, ...jsonBody(createBody) },
      responses: { 201: json(spec.item, "Created"), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const entityId = await access(c, c.req.valid("param").ipa, "configure");
      const created = await spec.store.create(entityId, c.req.valid("json") as z.infer<Create>);
      changed("create", entityId);
      return c.json(created, 201);
    },
  );

  router.openapi(
    createRoute({
      ...common,
      method: "get",
      path: itemPath,
      summary: spec.summaries.get,
      request: { params: ItemParams },
      responses: { 200: json(spec.item, spec.tag), ...problemResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const params = c.req.valid("param") as Record<string, string>;
      const entityId = await access(c, params.ipa as string, "read");
      return c.json(await spec.store.get(entityId, itemId(params)), 200);
    },
  );

  router.openapi(
    createRoute({
      ...common,
      method: "patch",
      path: itemPath,
      summary: spec.summaries.update,
      request: { params: ItemParams, ...jsonBody(updateBody) },
      responses: { 200: json(spec.item, "Updated"), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const params = c.req.valid("param") as Record<string, string>;
      const entityId = await access(c, params.ipa as string, "configure");
      const updated = await spec.store.update(entityId, itemId(params), c.req.valid("json") as z.infer<Update>);
      changed("update", entityId);
      return c.json(updated, 200);
    },
  );

  router.openapi(
    createRoute({
      ...common,
      method: "delete",
      path: itemPath,
      summary: spec.summaries.remove,
      ...(spec.removeDescription ? { description: spec.removeDescription } : {}),
      request: { params: ItemParams },
      responses: { ...deleted, ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const params = c.req.valid("param") as Record<string, string>;
      const entityId = await access(c, params.ipa as string, "configure");
      await spec.store.remove(entityId, itemId(params));
      changed("remove", entityId);
      return c.body(null, 204);
    },
  );

  return router;
}
