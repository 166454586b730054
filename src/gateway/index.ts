export { createGatewayApp, type GatewayParts } from "./app.js";
export type { Readiness } from "./routes/health.js";
