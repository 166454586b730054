import type { Command } from "commander";
import { loadConfig } from "../../config/index.js";
import { DEMO_SECOND_KIOSK_NAME, type DemoState, ensureDemo } from "../../demo/index.js";
import { DEV_IDP_USERS } from "../../identity/index.js";
import { type RunningGateway, startGateway } from "../../main.js";
import { systemClock } from "../../shared/clock.js";
import { createLogger } from "../../shared/logger.js";
import { type SecondKiosk, startBanner } from "../banner.js";
import { demoDependencies } from "../demo-wiring.js";
import { type CliIo, EXIT, type ExitCode, type RunState } from "../io.js";
import { examples } from "../options.js";

async function prepareDemo(
  gateway: RunningGateway,
  dataDir: string,
): Promise<{ demo: DemoState; second: SecondKiosk; pecBox?: string }> {
  const { database, services, log } = gateway.application;
  const demo = await ensureDemo(demoDependencies(database, services, dataDir, systemClock));
  log.info(
    {
      entity: demo.ipaCode,
      kioskPaired: demo.kiosk.paired,
      adminTokenCreated: demo.admin.created,
      votesCreated: demo.votesCreated,
    },
    "demo data ready",
  );
  const pairing = await services.kiosks.pairingCodeByName(demo.entityId, DEMO_SECOND_KIOSK_NAME, demo.officeId);
  // The demo comune exists only now on a first start: give it its sandbox PEC box, its SP profile
  // and the development IdP's people as its staff.
  const pecBox = await gateway.pec.prepareDemo();
  await gateway.application.identity.prepareDemo();
  const second = { name: DEMO_SECOND_KIOSK_NAME, code: pairing.code, expiresAt: pairing.expiresAt };
  return { demo, second, ...(pecBox ? { pecBox } : {}) };
}

/**
 * `faccia start`: the gateway, until SIGTERM or Ctrl-C. Logs (JSON lines) go
 * to stdout; the banner with URLs and demo credentials goes to stderr.
 */
export async function startCommand(io: CliIo, state: RunState): Promise<ExitCode> {
  const config = loadConfig(io.env);
  const log = createLogger({ level: config.LOG_LEVEL, format: config.LOG_FORMAT });
  const gateway = await startGateway(config, log);
  state.keepAlive = true;
  try {
    const demo = config.FACCIA_DEMO ? await prepareDemo(gateway, config.FACCIA_DATA_DIR) : undefined;
    const { kind, location } = gateway.application.database;
    const devIdpUsers = gateway.application.identity.devIdp ? DEV_IDP_USERS : undefined;
    io.stderr.write(
      startBanner({ url: gateway.url, database: { kind, location }, ...demo, ...(devIdpUsers ? { devIdpUsers } : {}) }),
    );
  } catch (error) {
    log.error({ err: error }, "demo data could not be prepared: stopping");
    state.keepAlive = false;
    await gateway.shutdown("startup failed");
    throw error;
  }
  return EXIT.ok;
}

export function registerStart(program: Command, io: CliIo, state: RunState): void {
  program
    .command("start")
    .summary("run the gateway until SIGTERM or Ctrl-C (the demo comune c_demo included)")
    .description(
      "run the gateway (kiosk API, staff API, jobs) until SIGTERM or Ctrl-C; applies pending migrations; " +
        "with FACCIA_DEMO on (the default) makes sure the demo comune c_demo exists. " +
        "Logs go to stdout as JSON lines, the banner with URLs and demo credentials to stderr.",
    )
    .addHelpText(
      "after",
      `${examples(
        "faccia start",
        "PORT=9000 HOST=0.0.0.0 faccia start",
        "DATABASE_URL=postgres://faccia@db/faccia FACCIA_DEMO=0 LOG_LEVEL=warn faccia start",
      )}
There is no --json: stdout is the machine output, one JSON log line per event (LOG_FORMAT=pretty for people).
The demo's admin and kiosk tokens are kept in FACCIA_DATA_DIR/demo/ (mode 0600) and reused at every start.
`,
    )
    .action(async () => {
      state.exitCode = await startCommand(io, state);
    });
}
