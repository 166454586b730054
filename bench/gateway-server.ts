/**
 * The real gateway for bench/ingest, in its own process, configured from the
 * environment like production. Prints `{"url": …}` once listening.
 */
import { loadConfig } from "../src/config/index.js";
import { startGateway } from "../src/main.js";
import { createLogger } from "../src/shared/logger.js";

const config = loadConfig({ ...process.env, PORT: "0", FACCIA_DEMO: "0" });
const gateway = await startGateway(config, createLogger({ level: config.LOG_LEVEL, format: "json" }));
process.stdout.write(`${JSON.stringify({ url: `${gateway.url}/api/kiosk/v1/votes` })}\n`);
