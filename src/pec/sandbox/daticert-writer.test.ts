import { describe, expect, it } from "vitest";
import { parseDaticert } from "../parse-daticert.js";
import { escapeXml, writeDaticert } from "./daticert-writer.js";
import { providerTime } from "./provider-time.js";

/** daticert.xml written by the sandbox and read back by our parser; the provider's wall clock. */
describe("writeDaticert", () => {
  const base = {
    type: "avvenuta-consegna",
    sender: "a@pec.example",
    recipients: [
      { address: "b@pec.example", kind: "certificato" },
      { address: "c@mail.example", kind: "esterno" },
    ],
    provider: 'Gestore "Prova" & C. <s.p.a.>',
    at: new Date("2026-07-14T08:00:05.900Z"),
    identificativo: "opec.1@pec.example",
    msgid: "x&y@host",
    receiptDetail: "breve",
    delivery: "b@pec.example",
    takenInCharge: ["b@pec.example"],
    extendedError: "nessun <errore>",
  } as const;

  it("round-trips every field through parseDaticert, escaping markup", () => {
    const result = parseDaticert(writeDaticert({ ...base, subject: "Atto 'uno' & <due>\tè" }));
    expect(result.ok && result.daticert).toMatchObject({
      type: "avvenuta-consegna",
      error: "nessuno",
      sender: "a@pec.example",
      recipients: base.recipients,
      replyTo: "a@pec.example",
      subject: "Atto 'uno' & <due>\tè",
      provider: base.provider,
      date: { zone: "+0200", day: "14/07/2026", time: "10:00:05" },
      identificativo: "opec.1@pec.example",
      msgid: "x&y@host",
      receiptDetail: "breve",
      delivery: "b@pec.example",
      takenInCharge: ["b@pec.example"],
      extendedError: "nessun <errore>",
    });
    expect(result.ok && result.daticert.date.instant?.toISOString()).toBe("2026-07-14T08:00:05.000Z");
  });

  it("omits the optional elements, and refuses a daticert without recipients", () => {
    const minimal = {
      ...base,
      msgid: null,
      receiptDetail: null,
      delivery: null,
      takenInCharge: [],
      extendedError: null,
    };
    const result = parseDaticert(writeDaticert(minimal));
    expect(result.ok && result.daticert).toMatchObject({ subject: null, msgid: null, receiptDetail: null });
    expect(() => writeDaticert({ ...base, recipients: [] })).toThrow(/destinatari/);
  });

  it("replaces characters XML 1.0 cannot carry", () => {
    expect(escapeXml("a\u0000b\u0007c\n")).toBe("a\uFFFDb\uFFFDc&#10;");
  });
});

describe("providerTime", () => {
  it.each([
    ["2026-01-31T23:30:00Z", "01/02/2026", "00:30:00", "+0100", "Sun, 01 Feb 2026 00:30:00 +0100"],
    ["2026-03-29T01:00:00Z", "29/03/2026", "03:00:00", "+0200", "Sun, 29 Mar 2026 03:00:00 +0200"],
    ["2026-10-25T00:59:59Z", "25/10/2026", "02:59:59", "+0200", "Sun, 25 Oct 2026 02:59:59 +0200"],
    ["2026-10-25T01:00:00Z", "25/10/2026", "02:00:00", "+0100", "Sun, 25 Oct 2026 02:00:00 +0100"],
  ])("writes %s as Rome wall-clock time", (iso, day, time, zone, rfc5322) => {
    expect(providerTime(new Date(iso))).toEqual({ day, time, zone, rfc5322 });
  });
});
