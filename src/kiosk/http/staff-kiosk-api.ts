import { createRoute, z } from "@hono/zod-openapi";
import { requireAccess } from "../../identity/index.js";
import {
  createRouter,
  EntityParams,
  entityResolver,
  jsonBody,
  jsonContent,
  problemResponses,
  staffSecurity,
} from "../../shared/http/router.js";
import type { KioskManagement } from "../manage-kiosks.js";

const Kiosk = z
  .object({
    id: z.uuid(),
    name: z.string(),
    officeId: z.uuid(),
    deskId: z.uuid().nullable(),
    status: z.enum(["pending", "active", "revoked"]),
    serviceIds: z.array(z.uuid()).nullable(),
    pairedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
    lastSeenAt: z.string().nullable(),
    appVersion: z.string().nullable(),
    queueDepth: z.number().int().nullable(),
    lastSyncAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("Kiosk");
const PairingCode = z.object({ code: z.string(), expiresAt: z.string() }).openapi("PairingCode");
const KioskCreate = z
  .object({
    name: z.string().trim().min(1).max(100),
    officeId: z.uuid(),
    deskId: z.uuid().nullable().optional(),
    serviceIds: z
      .array(z.uuid())
      .max(100)
      .nullable()
      .optional()
      .openapi({ description: "Services offered; omit or null for every active service of the office (or desk)" }),
  })
  .openapi("KioskCreate");
const KioskUpdate = KioskCreate.partial().openapi("KioskUpdate");
const KioskParams = EntityParams.extend({ id: z.uuid().openapi({ param: { name: "id", in: "path" } }) });

const security = staffSecurity;
const tags = ["Kiosks"];
const json = jsonContent;
const body = jsonBody;

/** Staff routes for kiosks under `/api/v1/entities/{ipa}/kiosks`. */
export function staffKioskApi(deps: {
  kiosks: KioskManagement;
  resolveEntityId: (ipaCode: string) => Promise<string | null>;
}) {
  const router = createRouter();
  const entityId = entityResolver(deps.resolveEntityId);

  router.openapi(
    createRoute({
      method: "get",
      path: "/entities/{ipa}/kiosks",
      tags,
      security,
      summary: "List the entity's kiosks with their health",
      request: { params: EntityParams },
      responses: { 200: json(z.object({ items: z.array(Kiosk) }), "Kiosks"), ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const id = await entityId(c.req.valid("param").ipa);
      requireAccess(c, id, "read");
      return c.json({ items: await deps.kiosks.list(id) }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: "post",
      path: "/entities/{ipa}/kiosks",
      tags,
      security,
      summary: "Create a kiosk and get its first pairing code (valid 15 minutes, single use)",
      request: { params: EntityParams, ...body(KioskCreate) },
      responses: {
        201: json(z.object({ kiosk: Kiosk, pairing: PairingCode }), "Created"),
        ...problemResponses(400, 401, 403, 404, 409),
      },
    }),
    async (c) => {
      const id = await entityId(c.req.valid("param").ipa);
      requireAccess(c, id, "configure");
      return c.json(await deps.kiosks.create(id, c.req.valid("json")), 201);
    },
  );

  router.openapi(
    createRoute({
      method: "get",
      path: "/entities/{ipa}/kiosks/{id}",
      tags,
      security,
      summary: "One kiosk",
      request: { params: KioskParams },
      responses: { 200: json(Kiosk, "Kiosk"), ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const params = c.req.valid("param");
      const id = await entityId(params.ipa);
      requireAccess(c, id, "read");
      return c.json(await deps.kiosks.get(id, params.id), 200);
    },
  );

  router.openapi(
    createRoute({
      method: "patch",
      path: "/entities/{ipa}/kiosks/{id}",
      tags,
      security,
      summary: "Rename, move or change the services of a kiosk",
      request: { params: KioskParams, ...body(KioskUpdate) },
      responses: { 200: json(Kiosk, "Updated"), ...problemResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const params = c.req.valid("param");
      const id = await entityId(params.ipa);
      requireAccess(c, id, "configure");
      return c.json(await deps.kiosks.update(id, params.id, c.req.valid("json")), 200);
    },
  );

  router.openapi(
    createRoute({
      method: "post",
      path: "/entities/{ipa}/kiosks/{id}/revoke",
      tags,
      security,
      summary: "Revoke a kiosk: its token stops working at once",
      request: { params: KioskParams },
      responses: { 200: json(Kiosk, "Revoked"), ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const params = c.req.valid("param");
      const id = await entityId(params.ipa);
      requireAccess(c, id, "configure");
      return c.json(await deps.kiosks.revoke(id, params.id), 200);
    },
  );

  router.openapi(
    createRoute({
      method: "post",
      path: "/entities/{ipa}/kiosks/{id}/pairing-codes",
      tags,
      security,
      summary: "A new pairing code for the kiosk (to pair a replacement device)",
      request: { params: KioskParams },
      responses: { 201: json(PairingCode, "Pairing code"), ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const params = c.req.valid("param");
      const id = await entityId(params.ipa);
      requireAccess(c, id, "configure");
      return c.json(await deps.kiosks.pairingCode(id, params.id), 201);
    },
  );

  return router;
}
