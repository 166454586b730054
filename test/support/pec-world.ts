/**
 * A comune with a signed report ready to be sent by PEC, its box and two oversight recipients,
 * and a sandbox PEC provider certificate to sign receipts with (issue 6 tests).
 */
import { createHash } from "node:crypto";
import { tables } from "../../src/db/index.js";
import { createServices } from "../../src/main.js";
import type { MailboxCursor, MailboxMessage, MailboxReader } from "../../src/pec/index.js";
import type { Clock } from "../../src/shared/clock.js";
import type { Signer } from "../../src/signature/index.js";
import type { Backend, TestDatabase } from "./databases.js";
import { openTestDatabase } from "./databases.js";
import { type OrgFixture, seedOrganization } from "./fixtures.js";
import { type PecProviderKeys, pecProviderKeys } from "./pec-provider-keys.js";

export const BOX = "protocollo@pec.sandbox.test";
export const RECIPIENTS = [
  { name: "Nucleo di valutazione", address: "nucleo@pec.sandbox.test", ipaCode: null, copy: false },
  { name: "Dipartimento della funzione pubblica", address: "dfp@pec.sandbox.test", ipaCode: "dfp", copy: false },
] as const;

export interface PecWorld {
  database: TestDatabase;
  services: ReturnType<typeof createServices>;
  org: OrgFixture;
  reportId: string;
  providerSigner: Signer;
  /** The dev CA, DER: the trust anchor of the sandbox provider's signatures. */
  trust: Uint8Array[];
}

let keys: Promise<PecProviderKeys> | undefined;

/** A signed report of October 2026, stored as a signed report would be (CAdES files and the CSV). */
export async function seedSignedReport(database: TestDatabase, entityId: string, label = "2026-10"): Promise<string> {
  const [report] = await database.db
    .insert(tables.reports)
    .values({
      entityId,
      periodKind: "month",
      periodLabel: label,
      firstDay: `${label}-01`,
      lastDay: `${label}-28`,
      status: "signed",
      generatedAt: new Date("2026-11-01T03:00:00Z"),
      generatedBy: "scheduler",
      signedAt: new Date("2026-11-03T10:00:00Z"),
      signedBy: "CN=Comune di c_test",
      signatureSource: "gateway",
    })
    .returning({ id: tables.reports.id });
  const reportId = (report as { id: string }).id;
  const files: Record<string, Uint8Array> = {
    "pdf.p7m": new Uint8Array(Buffer.from(`signed pdf of ${label}`)),
    "json.p7m": new Uint8Array(Buffer.from(`signed json of ${label}`)),
    csv: new Uint8Array(Buffer.from("servizio;positivo\nAnagrafe;12\n")),
  };
  await database.db.insert(tables.reportArtifacts).values(
    Object.entries(files).map(([format, content]) => ({
      reportId,
      format,
      content,
      sha256: createHash("sha256").update(content).digest("hex"),
      bytes: content.length,
    })),
  );
  return reportId;
}

export async function openPecWorld(backend: Backend, clock: Clock, maxMessageBytes?: number): Promise<PecWorld> {
  const database = await openTestDatabase(backend);
  const services = createServices(database, clock, maxMessageBytes === undefined ? {} : { maxMessageBytes });
  const org = await seedOrganization(database.db);
  const reportId = await seedSignedReport(database, org.entityId);
  await services.pecSettings.setBox(org.entityId, BOX);
  for (const recipient of RECIPIENTS) await services.pecSettings.addRecipient(org.entityId, recipient);
  // One key set per test file: generating keys is the slow part.
  keys ??= pecProviderKeys(new Date("2026-01-01T00:00:00Z"));
  const { ca, signer } = await keys;
  return { database, services, org, reportId, providerSigner: signer, trust: [ca] };
}

/** An in-memory mailbox with IMAP-like UIDs: tests put messages in and watch what is moved out. */
export function memoryMailbox(uidValidity = "1", firstUid = 1) {
  const inbox: MailboxMessage[] = [];
  const processed: MailboxMessage[] = [];
  let nextUid = firstUid;
  const reader: MailboxReader = {
    description: "memory://INBOX",
    async fetch(cursor: MailboxCursor | null, limit: number) {
      const after = cursor && cursor.uidValidity === uidValidity ? cursor.uid : 0;
      return inbox.filter((message) => (message.position?.uid ?? 0) > after).slice(0, limit);
    },
    async markProcessed(keys) {
      for (const key of keys) {
        const index = inbox.findIndex((message) => message.key === key);
        if (index >= 0) processed.push(...inbox.splice(index, 1));
      }
    },
    waitForChange: async () => undefined,
    close: async () => undefined,
  };
  return {
    reader,
    inbox,
    processed,
    deliver(raw: Uint8Array): void {
      const uid = nextUid++;
      inbox.push({ key: `imap:${uidValidity}:${uid}`, position: { uidValidity, uid }, raw, receivedAt: null });
    },
  };
}
