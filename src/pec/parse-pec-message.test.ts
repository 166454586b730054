import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as pkijs from "pkijs";
import { describe, expect, it } from "vitest";
import { decodedBody, parseMimeTree } from "./mime/mime-tree.js";
import { parsePecMessage } from "./parse-pec-message.js";

/**
 * The real messages of test/fixtures/pec-real (README there): each classified as the README
 * says; the Aruba receipts' signatures intact and, against their own chain, trusted at signing time.
 */
const FIXTURES = join(import.meta.dirname, "../../test/fixtures/pec-real");
const fixture = (name: string) => new Uint8Array(readFileSync(join(FIXTURES, name)));

function parsed(name: string, trust: readonly Uint8Array[] = []) {
  const result = parsePecMessage(fixture(name), { trust });
  if (!result.ok) throw new Error(`${name}: ${result.error.code}`);
  return result.message;
}

const codes = (problems: readonly { code: string }[]) => problems.map((problem) => problem.code);

/** The issuing CA carried in the message's own smime.p7s ("AgID CA1"; the Actalis root is not carried). */
function carriedCa(name: string): Uint8Array {
  const root = parseMimeTree(fixture(name)).root;
  const p7s = root.children.find((part) => part.fileName === "smime.p7s");
  if (p7s === undefined) throw new Error("no smime.p7s");
  const info = pkijs.ContentInfo.fromBER(decodedBody(p7s));
  const signedData = new pkijs.SignedData({ schema: info.content });
  const ca = (signedData.certificates ?? []).find(
    (certificate) =>
      certificate instanceof pkijs.Certificate &&
      certificate.subject.typesAndValues.some((entry) => entry.value.valueBlock.value === "AgID CA1"),
  );
  if (!(ca instanceof pkijs.Certificate)) throw new Error("no AgID CA1 in the p7s");
  return new Uint8Array(ca.toSchema().toBER());
}

describe("real PEC messages", () => {
  it.each([
    ["oca-aruba-accettazione.eml", "accettazione"],
    ["oca-aruba-avvenuta-consegna-completa.eml", "avvenuta-consegna"],
    ["oca-sogei-posta-certificata-breve.eml", "posta-certificata"],
    ["oca-sogei-posta-certificata-senza-daticert.eml", "posta-certificata"],
    ["biagiot-fakepec-accettazione.eml", "accettazione"],
    ["biagiot-fakepec-errore-consegna.eml", "errore-consegna"],
  ])("classifies %s as %s", (name, type) => {
    expect(parsed(name).type).toBe(type);
  });

  it("reads the Aruba acceptance's references, sender, recipients and time from daticert", () => {
    const message = parsed("oca-aruba-accettazione.eml");
    const submitted =
      "1542123565.921546936035156.464602125997431-openerp-8-fatturapa.attachment.out@elbati-Vostro-3550";
    expect(message.references).toEqual({
      messageId: "opec288.20181113163926.01838.310.1.358.63@pec.aruba.it",
      riferimentoMessageId: submitted,
      msgid: submitted,
      identificativo: "opec288.20181113163926.01838.310.1.63@pec.aruba.it",
    });
    expect(message.sender).toBe("l.battistini@pec.it");
    expect(message.recipients).toEqual([{ address: "l.battistini@pec.it", kind: "certificato" }]);
    expect(message.subject).toBe("IT03339130126_00009.xml");
    expect(message.time?.toISOString()).toBe("2018-11-13T15:39:26.000Z");
    expect(message.daticert?.provider).toBe("ARUBA PEC S.p.A.");
  });

  it("takes the receipt detail from daticert when Aruba omits X-TipoRicevuta, and keeps postacert.eml", () => {
    const message = parsed("oca-aruba-avvenuta-consegna-completa.eml");
    expect(message.markers.tipoRicevuta).toBeNull();
    expect(message.receiptDetail).toBe("completa");
    expect(message.daticert?.delivery).toBe("l.battistini@pec.it");
    const inner = Buffer.from(message.postacert ?? new Uint8Array()).toString("latin1");
    expect(inner).toContain("Message-ID: <opec288.20181113163926.01838.310.1.63@pec.aruba.it>");
  });

  it.each(["oca-aruba-accettazione.eml", "oca-aruba-avvenuta-consegna-completa.eml"])(
    "%s: signature intact, SHA-1 recorded, untrusted without a trust store",
    (name) => {
      const { signature, problems } = parsed(name);
      expect(signature).toMatchObject({ present: true, valid: true, trusted: false, digestAlgorithm: "sha1" });
      expect(signature.signer).toContain("CN=Posta Certificata ARUBA PEC");
      expect(codes(signature.reasons)).toEqual(expect.arrayContaining(["WEAK_DIGEST_SHA1", "CHAIN_UNTRUSTED"]));
      expect(codes(problems)).toEqual(["SIGNER_UNTRUSTED"]);
    },
  );

  it.each(["oca-aruba-accettazione.eml", "oca-aruba-avvenuta-consegna-completa.eml"])(
    "%s verifies against its own chain at the signing time (certificates expired in 2020)",
    (name) => {
      const { signature, problems } = parsed(name, [carriedCa(name)]);
      expect(signature).toMatchObject({ present: true, valid: true, trusted: true });
      expect(signature.signingTime?.getUTCFullYear()).toBe(2018);
      expect(codes(signature.reasons)).toContain("WEAK_DIGEST_SHA1");
      expect(problems).toEqual([]);
    },
  );

  it.each(["oca-sogei-posta-certificata-breve.eml", "oca-sogei-posta-certificata-senza-daticert.eml"])(
    "%s: signature altered upstream is flagged, not trusted even with its own chain",
    (name) => {
      const { signature, problems } = parsed(name, [carriedCa(name)]);
      expect(signature).toMatchObject({ present: true, valid: false, trusted: false });
      expect(codes(signature.reasons)).toContain("CONTENT_ALTERED");
      expect(codes(problems)).toContain("SIGNATURE_INVALID");
    },
  );

  it("reads the Sogei envelope's X-Tiporicevuta casing", () => {
    const message = parsed("oca-sogei-posta-certificata-breve.eml");
    expect(message.markers.tipoRicevuta).toBe("breve");
    expect(message.sender).toBe("sdi03@pec.fatturapa.it");
    expect(message.postacert).not.toBeNull();
  });

  it("degrades to headers when daticert is missing", () => {
    const message = parsed("oca-sogei-posta-certificata-senza-daticert.eml");
    expect(message.daticert).toBeNull();
    expect(codes(message.problems)).toContain("DATICERT_MISSING");
    expect(message.references.riferimentoMessageId).toBe("29868973923542086.1546634040973@pec.fatturapa.it");
    expect(message.references.msgid).toBeNull();
    expect(message.sender).toBe("sdi48@pec.fatturapa.it");
    expect(message.subject).toBe("Notifica di mancata consegna 141107829");
    expect(message.recipients).toEqual([{ address: "miapec@pec.it", kind: null }]);
  });

  it.each(["biagiot-fakepec-accettazione.eml", "biagiot-fakepec-errore-consegna.eml"])(
    "%s: multipart/signed without smime.p7s is flagged as unsigned",
    (name) => {
      const { signature, problems } = parsed(name);
      expect(signature).toMatchObject({ present: false, valid: false, trusted: false });
      expect(codes(problems)).toContain("SIGNATURE_MISSING");
    },
  );

  it("reads errore and errore-esteso together and flags the header/daticert msgid mismatch", () => {
    const message = parsed("biagiot-fakepec-errore-consegna.eml");
    expect(message.daticert).toMatchObject({ error: "no-dest" });
    expect(message.daticert?.extendedError).toMatch(/^5\.1\.1 /);
    expect(codes(message.problems)).toEqual(expect.arrayContaining(["DELIVERY_ERROR", "MSGID_MISMATCH"]));
  });

  it("flags an Aruba receipt whose text was altered after signing", () => {
    const text = Buffer.from(fixture("oca-aruba-accettazione.eml")).toString("latin1");
    const altered = text.replace("Ricevuta di accettazione del messaggio", "Ricevuta di accettazione del massaggio");
    expect(altered).not.toBe(text);
    const result = parsePecMessage(Buffer.from(altered, "latin1"), {
      trust: [carriedCa("oca-aruba-accettazione.eml")],
    });
    expect(result.ok && result.message.signature).toMatchObject({ present: true, valid: false, trusted: false });
    expect(result.ok && codes(result.message.signature.reasons)).toContain("CONTENT_ALTERED");
  });

  it("is the same with CRLF line endings, as on the wire", () => {
    const crlf = Buffer.from(
      Buffer.from(fixture("oca-aruba-accettazione.eml")).toString("latin1").replace(/\n/g, "\r\n"),
      "latin1",
    );
    const result = parsePecMessage(crlf, { trust: [carriedCa("oca-aruba-accettazione.eml")] });
    expect(result.ok && result.message.type).toBe("accettazione");
    expect(result.ok && result.message.signature.trusted).toBe(true);
  });
});

describe("messages that are not PEC", () => {
  it("classifies plain mail as plain, with no problem for its missing signature", () => {
    const raw = Buffer.from("From: a@b.it\r\nTo: c@d.it\r\nSubject: =?utf-8?B?Q2lhbyDDqA==?=\r\n\r\nhello\r\n");
    const result = parsePecMessage(raw);
    expect(result.ok && result.message).toMatchObject({ type: "plain", subject: "Ciao è", problems: [] });
  });

  it("classifies a busta di anomalia from X-Trasporto: errore", () => {
    const raw = Buffer.from('X-Trasporto: errore\r\nFrom: "Per conto di: x@y.it" <posta-certificata@p.it>\r\n\r\nbody');
    const result = parsePecMessage(raw);
    expect(result.ok && result.message.type).toBe("errore");
    expect(result.ok && result.message.sender).toBe("x@y.it");
  });

  it("keeps an unknown X-Ricevuta value as unknown, flagged", () => {
    const result = parsePecMessage(Buffer.from("x-ricevuta: mancata-consegna\n\n"));
    expect(result.ok && result.message.type).toBe("unknown");
    expect(result.ok && codes(result.message.problems)).toContain("UNKNOWN_MARKER");
  });

  it("flags a daticert in a message without PEC markers", () => {
    const daticert = Buffer.from(
      '<postacert tipo="avvenuta-consegna"><intestazione><mittente>a@b.it</mittente>' +
        '<destinatari tipo="certificato">c@d.it</destinatari><risposte>a@b.it</risposte></intestazione>' +
        '<dati><gestore-emittente>X</gestore-emittente><data zona="+0100"><giorno>01/01/2025</giorno>' +
        "<ora>10:00:00</ora></data><identificativo>id@x</identificativo></dati></postacert>",
    ).toString("base64");
    const raw = Buffer.from(
      "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n" +
        'Content-Type: application/xml; name="daticert.xml"\r\nContent-Transfer-Encoding: base64\r\n\r\n' +
        `${daticert}\r\n--b--\r\n`,
    );
    const result = parsePecMessage(raw);
    expect(result.ok && result.message.type).toBe("avvenuta-consegna");
    expect(result.ok && codes(result.message.problems)).toEqual(["MARKERS_MISSING", "NOT_MULTIPART_SIGNED"]);
  });

  it("refuses an empty message with a typed error", () => {
    expect(parsePecMessage(new Uint8Array())).toEqual({
      ok: false,
      error: { code: "MESSAGE_EMPTY", message: "empty message" },
    });
  });
});
