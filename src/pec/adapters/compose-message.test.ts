import { describe, expect, it } from "vitest";
import { composeDispatchMessage } from "./compose-message.js";

const base = {
  messageId: "faccia.1@pec.comune.test.it",
  from: "protocollo@pec.comune.test.it",
  subject: "Relazione",
  text: "Testo.",
  date: new Date("2026-11-04T09:00:00Z"),
  attachments: [
    { format: "csv", filename: "r.csv", contentType: "text/csv", content: new TextEncoder().encode("a;b\n") },
  ],
};

function headers(raw: Uint8Array): string {
  return (Buffer.from(raw).toString("latin1").split("\r\n\r\n")[0] ?? "").replaceAll(/\r\n\s+/g, " ");
}

describe("the dispatch message (RFC 6109 §3.1.1)", () => {
  it("puts recipients in To and Cc, never Bcc, with our Message-ID and no receipt requests", async () => {
    const head = headers(
      await composeDispatchMessage({
        ...base,
        recipients: [
          { name: "Nucleo", address: "nucleo@pec.test.it", ipaCode: null, copy: false },
          { name: "DFP", address: "dfp@pec.test.it", ipaCode: "dfp", copy: true },
        ],
      }),
    );
    expect(head).toMatch(/^To: Nucleo <nucleo@pec\.test\.it>$/m);
    expect(head).toMatch(/^Cc: DFP <dfp@pec\.test\.it>$/m);
    expect(head).toContain("Message-ID: <faccia.1@pec.comune.test.it>");
    expect(head).not.toMatch(/^(Bcc|Disposition-Notification-To|Return-Receipt-To):/im);
  });

  it("makes Cc recipients the To when no To recipient is left", async () => {
    const head = headers(
      await composeDispatchMessage({
        ...base,
        recipients: [{ name: "DFP", address: "dfp@pec.test.it", ipaCode: "dfp", copy: true }],
      }),
    );
    expect(head).toMatch(/^To: DFP <dfp@pec\.test\.it>$/m);
    expect(head).not.toMatch(/^Cc:/m);
  });
});
