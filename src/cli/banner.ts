import type { DatabaseKind } from "../db/index.js";
import type { DemoState } from "../demo/index.js";

export interface SecondKiosk {
  name: string;
  code: string;
  expiresAt: string;
}

export interface BannerInfo {
  url: string;
  database: { kind: DatabaseKind; location: string };
  demo?: DemoState;
  second?: SecondKiosk;
  /** The demo comune's box at the in-process PEC sandbox provider. */
  pecBox?: string;
  /** The development IdP's test users, when it is mounted (issue 7). */
  devIdpUsers?: readonly { name: string; familyName: string; roleLabel: string }[];
}

function timeOfDay(iso: string): string {
  return new Intl.DateTimeFormat("it-IT", { timeStyle: "short", timeZone: "Europe/Rome" }).format(new Date(iso));
}

/** The text `faccia start` prints on stderr once the gateway listens. */
export function startBanner({ url, database, demo, second, pecBox, devIdpUsers }: BannerInfo): string {
  const lines = [
    "",
    "Faccia is running",
    `  Gateway        ${url}`,
    `  Staff login    ${url}/ (SPID and CIE)`,
    `  Kiosk app      ${url}/kiosk`,
    `  OpenAPI        ${url}/openapi.json`,
    `  API reference  ${url}/docs`,
    `  Database       ${database.kind === "pglite" ? "PGlite (embedded)" : "Postgres"} at ${database.location}`,
  ];
  if (demo) {
    lines.push(
      "",
      `Demo: ${demo.name} (${demo.ipaCode})`,
      `  Admin token    ${demo.admin.token}`,
      `                 (kept in ${demo.admin.tokenFile})`,
      `  Try it         curl -H "Authorization: Bearer ${demo.admin.token}" ${url}/api/v1/entities/${demo.ipaCode}/kiosks`,
      `  Kiosk          "${demo.kiosk.name}": ${url}/kiosk opens already paired on this machine`,
      `                 (its token is in ${demo.kiosk.tokenFile})`,
    );
  }
  if (second) {
    lines.push(
      `  Second kiosk   pairing code ${second.code} for "${second.name}", valid until ${timeOfDay(second.expiresAt)} (${second.expiresAt}), once:`,
      "                 enter it at /kiosk on another device or browser profile",
    );
  }
  if (pecBox) {
    lines.push(
      `  PEC            ${pecBox} at the sandbox provider: a signed report's POST …/reports/{id}/dispatch`,
      "                 is delivered to two demo oversight bodies within seconds",
    );
  }
  if (devIdpUsers && devIdpUsers.length > 0) {
    const people = devIdpUsers.map((user) => `${user.name} ${user.familyName} (${user.roleLabel.toLowerCase()})`);
    lines.push(
      `  Login          "Entra con l'IdP di sviluppo" at ${url}/ as ${people.join(", ")}`,
      "                 (a development IdP with test users: never enable FACCIA_DEV_IDP in production)",
    );
  }
  lines.push("", "Stop with Ctrl-C.", "");
  return lines.join("\n");
}
