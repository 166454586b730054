import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { daticertInstant } from "./domain/daticert.js";
import { parseDaticert } from "./parse-daticert.js";

const ARUBA_CONSEGNA = `<?xml version="1.0" encoding="UTF-8"?>
<postacert tipo="avvenuta-consegna" errore="nessuno">
    <intestazione>
        <mittente>l.battistini@pec.it</mittente>
        <destinatari tipo="certificato">l.battistini@pec.it</destinatari>
        <destinatari tipo="esterno">someone@example.it</destinatari>
        <risposte>l.battistini@pec.it</risposte>a
        <oggetto>IT03339130126_00009.xml</oggetto>
    </intestazione>
    <dati>
        <gestore-emittente>ARUBA PEC S.p.A.</gestore-emittente>
        <data zona="+0100"><giorno>13/11/2018</giorno><ora>16:39:27</ora></data>
        <identificativo>opec288.20181113163926.01838.310.1.63@pec.aruba.it</identificativo>
        <msgid>&lt;1542123565.9215@elbati-Vostro-3550&gt;</msgid>
        <ricevuta tipo="completa" />
        <consegna>l.battistini@pec.it</consegna>
    </dati>
</postacert>`;

const bytes = (text: string) => new TextEncoder().encode(text);

describe("parseDaticert", () => {
  it("reads every element of an avvenuta-consegna, tolerating stray text", () => {
    const result = parseDaticert(bytes(ARUBA_CONSEGNA));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.daticert).toEqual({
      type: "avvenuta-consegna",
      error: "nessuno",
      sender: "l.battistini@pec.it",
      recipients: [
        { address: "l.battistini@pec.it", kind: "certificato" },
        { address: "someone@example.it", kind: "esterno" },
      ],
      replyTo: "l.battistini@pec.it",
      subject: "IT03339130126_00009.xml",
      provider: "ARUBA PEC S.p.A.",
      date: {
        zone: "+0100",
        day: "13/11/2018",
        time: "16:39:27",
        instant: new Date("2018-11-13T15:39:27.000Z"),
      },
      identificativo: "opec288.20181113163926.01838.310.1.63@pec.aruba.it",
      msgid: "1542123565.9215@elbati-Vostro-3550",
      receiptDetail: "completa",
      delivery: "l.battistini@pec.it",
      takenInCharge: [],
      extendedError: null,
    });
  });

  it.each([
    ["a DOCTYPE", `<!DOCTYPE postacert SYSTEM "http://evil.example/x.dtd">${ARUBA_CONSEGNA.slice(38)}`],
    ["an internal entity", `<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x "y">]><postacert/>`],
    ["a lower-case doctype", `<!doctype postacert><postacert/>`],
  ])("refuses %s before parsing", (_, text) => {
    const result = parseDaticert(bytes(text));
    expect(result).toMatchObject({ ok: false, problem: { code: "DATICERT_DOCTYPE_REFUSED" } });
  });

  it.each([
    ["not XML", "hello <<", "DATICERT_NOT_XML"],
    ["another root", "<root/>", "DATICERT_INVALID"],
    [
      "a tipo outside the DTD",
      ARUBA_CONSEGNA.replace('tipo="avvenuta-consegna"', 'tipo="mancata-consegna"'),
      "DATICERT_INVALID",
    ],
    ["no identificativo", ARUBA_CONSEGNA.replace(/<identificativo>.*<\/identificativo>/, ""), "DATICERT_INVALID"],
    ["a recipient kind outside the DTD", ARUBA_CONSEGNA.replace('tipo="esterno"', 'tipo="pec"'), "DATICERT_INVALID"],
  ])("returns a typed problem for %s", (_, text, code) => {
    expect(parseDaticert(bytes(text))).toMatchObject({ ok: false, problem: { code } });
  });

  it("refuses invalid UTF-8", () => {
    const result = parseDaticert(new Uint8Array([0x3c, 0x70, 0xff, 0xfe, 0x3e]));
    expect(result).toMatchObject({ ok: false, problem: { code: "DATICERT_NOT_XML" } });
  });

  it("never throws and never hangs on random or mutated XML", () => {
    const mutated = fc
      .tuple(fc.nat({ max: ARUBA_CONSEGNA.length }), fc.nat({ max: 40 }), fc.string({ maxLength: 20 }))
      .map(([at, cut, insert]) => ARUBA_CONSEGNA.slice(0, at) + insert + ARUBA_CONSEGNA.slice(at + cut));
    const input = fc.oneof(mutated, fc.string({ maxLength: 500 }), fc.uint8Array({ maxLength: 500 }));
    fc.assert(
      fc.property(input, (value) => {
        const started = performance.now();
        const result = parseDaticert(typeof value === "string" ? bytes(value) : value);
        expect(typeof result.ok).toBe("boolean");
        expect(performance.now() - started).toBeLessThan(1_000);
      }),
      { numRuns: 500 },
    );
  });
});

describe("daticertInstant", () => {
  it.each([
    ["13/11/2018", "16:39:26", "+0100", "2018-11-13T15:39:26.000Z"],
    ["01/07/2024", "09:00:00", "+0200", "2024-07-01T07:00:00.000Z"],
    ["31/02/2024", "09:00:00", "+0100", null],
    ["2024-07-01", "09:00:00", "+0200", null],
    ["01/07/2024", "9:00", "+0200", null],
    ["01/07/2024", "09:00:00", "CET", null],
  ])("%s %s %s → %s", (day, time, zone, expected) => {
    expect(daticertInstant(day, time, zone)?.toISOString() ?? null).toBe(expected);
  });
});
