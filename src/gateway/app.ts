import { OpenAPIHono } from "@hono/zod-openapi";
import type { Hono, MiddlewareHandler } from "hono";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import type { Logger } from "pino";
import type { AppEnv } from "../shared/http/env.js";
import { handleError, handleNotFound } from "./middleware/errors.js";
import { requestLog } from "./middleware/request-log.js";
import { apiReferenceRoutes } from "./routes/api-reference.js";
import { healthRoutes, type Readiness } from "./routes/health.js";

export interface GatewayParts {
  log: Logger;
  readiness: Readiness;
  version: string;
  /** Mounted at `/api/kiosk/v1`. */
  kioskApi: OpenAPIHono<AppEnv>;
  /** The kiosk web app; its routes carry their full paths (`/kiosk…`). */
  kioskApp: Hono<AppEnv>;
  /** Server-rendered pages with full paths: `/` (login), `/auth/…`, `/dev-idp/…` (issue 7). */
  pages?: Hono<AppEnv>[];
  /** Mounted at `/api/v1` behind `staffAuth`. */
  staffApis: OpenAPIHono<AppEnv>[];
  staffAuth: MiddlewareHandler<AppEnv>;
  /** Runs after authentication on every staff request: the audit trail. */
  staffAudit?: MiddlewareHandler<AppEnv>;
}

/** The Hono application: middleware, routes of every module, OpenAPI 3.1 document. */
export function createGatewayApp(parts: GatewayParts): Hono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  app.use("*", requestId());
  app.use("*", requestLog(parts.log));
  app.use("*", secureHeaders({ crossOriginResourcePolicy: false }));
  app.onError(handleError);
  app.notFound(handleNotFound);

  app.route("/", healthRoutes(parts.readiness));
  app.route("/api/kiosk/v1", parts.kioskApi);
  app.route("/", parts.kioskApp);
  for (const pages of parts.pages ?? []) app.route("/", pages);

  const staff = new OpenAPIHono<AppEnv>();
  staff.use("*", parts.staffAuth);
  if (parts.staffAudit) staff.use("*", parts.staffAudit);
  for (const api of parts.staffApis) staff.route("/", api);
  app.route("/api/v1", staff);

  app.openAPIRegistry.registerComponent("securitySchemes", "accessToken", {
    type: "http",
    scheme: "bearer",
    description: "Personal access token made by `faccia tokens create`",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "session", {
    type: "apiKey",
    in: "cookie",
    name: "faccia_session",
    description:
      "The browser session after a SPID/CIE login at `/` (`__Host-faccia_session` behind TLS); " +
      "POST, PUT, PATCH and DELETE also need the session's CSRF token in `X-CSRF-Token`",
  });
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Faccia API",
      version: parts.version,
      description:
        "Kiosk and staff API of Faccia, the gateway for 'Mettiamoci la faccia' customer satisfaction. " +
        "Errors are RFC 9457 problem documents with a stable `code`.",
      license: { name: "EUPL-1.2", url: "https://interoperable-europe.ec.europa.eu/collection/eupl/eupl-text-eupl-12" },
    },
  });
  app.route("/", apiReferenceRoutes());
  return app;
}
