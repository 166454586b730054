import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as pkijs from "pkijs";
import { afterAll, describe, expect, it } from "vitest";
import { decodedBody, parseMimeTree } from "../../src/pec/mime/mime-tree.js";
import { faccia, jsonOf, temporaryDirectory } from "./helpers.js";

/** `faccia pec parse` on the real messages of test/fixtures/pec-real. */
const FIXTURES = join(import.meta.dirname, "../fixtures/pec-real");
const fixture = (name: string) => join(FIXTURES, name);
const dir = temporaryDirectory("faccia-pec-");
afterAll(() => dir.remove());

interface PecJson {
  type: string;
  references: {
    messageId: string | null;
    riferimentoMessageId: string | null;
    msgid: string | null;
    identificativo: string | null;
  };
  sender: string | null;
  recipients: Array<{ address: string; kind: string | null }>;
  subject: string | null;
  time: string | null;
  errors: Array<{ code: string; message: string }>;
  daticert: { present: boolean };
  signature: {
    present: boolean;
    valid: boolean;
    trusted: boolean;
    signer: string | null;
    signingTime: string | null;
    digestAlgorithm: string | null;
  };
}

describe("faccia pec parse", () => {
  it("prints the Aruba delivery receipt as one JSON document with exactly the documented keys", async () => {
    const run = await faccia(["pec", "parse", fixture("oca-aruba-avvenuta-consegna-completa.eml"), "--json"]);
    expect(run.code).toBe(0);
    const body = jsonOf<PecJson>(run);
    expect(Object.keys(body)).toEqual([
      "type",
      "references",
      "sender",
      "recipients",
      "subject",
      "time",
      "errors",
      "daticert",
      "signature",
    ]);
    expect(body).toMatchObject({
      type: "avvenuta-consegna",
      references: { identificativo: "opec288.20181113163926.01838.310.1.63@pec.aruba.it" },
      sender: "l.battistini@pec.it",
      recipients: [{ address: "l.battistini@pec.it", kind: "certificato" }],
      time: "2018-11-13T15:39:27.000Z",
      daticert: { present: true },
      signature: { present: true, valid: true, trusted: false, digestAlgorithm: "sha1" },
    });
    expect(body.errors.map((error) => error.code)).toEqual(["SIGNER_UNTRUSTED"]);
    expect(run.stderr).toContain("no --trust given");
  });

  it("with the CA carried in the receipt's own smime.p7s as --trust, the Aruba acceptance is trusted", async () => {
    const pem = join(dir.path, "agid-ca1.pem");
    writeFileSync(pem, carriedCaPem(fixture("oca-aruba-accettazione.eml")));
    const run = await faccia(["pec", "parse", fixture("oca-aruba-accettazione.eml"), "--trust", pem, "--json"]);
    expect(run.code).toBe(0);
    const body = jsonOf<PecJson>(run);
    expect(body.signature).toMatchObject({ valid: true, trusted: true, signingTime: "2018-11-13T15:39:26.000Z" });
    expect(body.errors).toEqual([]);
  });

  it("flags a message without daticert or a sound signature, and still exits 0", async () => {
    const run = await faccia(["pec", "parse", fixture("oca-sogei-posta-certificata-senza-daticert.eml"), "--json"]);
    expect(run.code).toBe(0);
    const body = jsonOf<PecJson>(run);
    expect(body).toMatchObject({ type: "posta-certificata", daticert: { present: false } });
    expect(body.signature).toMatchObject({ present: true, valid: false, trusted: false });
    expect(body.errors.map((error) => error.code)).toEqual(["DATICERT_MISSING", "SIGNATURE_INVALID"]);
  });

  it("prints a human summary without --json", async () => {
    const run = await faccia(["pec", "parse", fixture("biagiot-fakepec-errore-consegna.eml")]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(": errore-consegna");
    expect(run.stdout).toContain("signature      absent");
    expect(run.stdout).toContain("DELIVERY_ERROR: no-dest: 5.1.1");
  });

  it("exits 2 on an unreadable file", async () => {
    const run = await faccia(["pec", "parse", join(dir.path, "missing.eml"), "--json"]);
    expect(run.code).toBe(2);
    expect(jsonOf<{ error: { code: string } }>(run).error.code).toBe("FILE_UNREADABLE");
  });

  it("exits 2 on an empty file and on a trust bundle without certificates", async () => {
    const empty = join(dir.path, "empty.eml");
    writeFileSync(empty, "");
    expect((await faccia(["pec", "parse", empty])).code).toBe(2);
    const run = await faccia(["pec", "parse", fixture("oca-aruba-accettazione.eml"), "--trust", empty, "--json"]);
    expect(run.code).toBe(2);
    expect(jsonOf<{ error: { code: string } }>(run).error.code).toBe("TRUST_BUNDLE_INVALID");
  });
});

/** "AgID CA1" as PEM, taken from the message's smime.p7s (the Actalis root is not carried). */
function carriedCaPem(path: string): string {
  const root = parseMimeTree(new Uint8Array(readFileSync(path))).root;
  const p7s = root.children.find((part) => part.fileName === "smime.p7s");
  if (p7s === undefined) throw new Error("no smime.p7s");
  const signedData = new pkijs.SignedData({ schema: pkijs.ContentInfo.fromBER(decodedBody(p7s)).content });
  const ca = (signedData.certificates ?? []).find(
    (certificate) =>
      certificate instanceof pkijs.Certificate &&
      certificate.subject.typesAndValues.some((entry) => entry.value.valueBlock.value === "AgID CA1"),
  );
  if (!(ca instanceof pkijs.Certificate)) throw new Error("no AgID CA1");
  const base64 = Buffer.from(ca.toSchema().toBER()).toString("base64").replace(/.{64}/g, "$&\n");
  return `-----BEGIN CERTIFICATE-----\n${base64}\n-----END CERTIFICATE-----\n`;
}
