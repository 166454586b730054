import { describe, expect, it } from "vitest";
import { checkSubmission } from "./submission.js";

/** RFC 6109 §3.1.1 formal checks of the punto di accesso. */
const USER = "protocollo@pec.sandbox.test";
const MARIO = "mario@pec.sandbox.test";
const ANNA = "anna@pec.sandbox.test";

function message(headers: Record<string, string | undefined>): Uint8Array {
  const fields = {
    From: `"Protocollo" <${USER}>`,
    To: `Mario <${MARIO}>`,
    Subject: "=?UTF-8?B?QXR0byDDqCBwcm9udG8=?=",
    "Message-ID": "<dispatch-1@faccia.example>",
    ...headers,
  };
  const lines = Object.entries(fields)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => `${name}: ${value}`);
  return Buffer.from(`${lines.join("\r\n")}\r\n\r\nbody\r\n`, "utf8");
}

const check = (raw: Uint8Array, recipients = [MARIO]) =>
  checkSubmission({ raw, user: USER, recipients, providerName: "Sandbox" });

describe("checkSubmission", () => {
  it("accepts a well-formed message and reads what the receipts need", () => {
    const result = check(
      message({ Cc: `${ANNA}, ${MARIO}`, "Reply-To": "ufficio@pec.sandbox.test", "X-TipoRicevuta": " Breve" }),
      [MARIO, ANNA],
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.submission).toMatchObject({
      messageId: "dispatch-1@faccia.example",
      from: USER,
      to: [MARIO],
      cc: [ANNA],
      subject: "Atto è pronto",
      replyTo: "ufficio@pec.sandbox.test",
      deliveryType: "breve",
      deliveryTypeRequested: true,
    });
  });

  it("defaults to completa without X-TipoRicevuta or with an unknown value", () => {
    for (const tipo of [undefined, "dettagliata"]) {
      const result = check(message({ "X-TipoRicevuta": tipo }));
      expect(result.ok && result.submission).toMatchObject({ deliveryType: "completa", deliveryTypeRequested: false });
    }
  });

  it.each([
    ["no From", { From: undefined }, [MARIO], "5.6.0 - Sandbox - il campo From deve contenere un solo indirizzo"],
    ["two From addresses", { From: `${USER}, ${ANNA}` }, [MARIO], "5.6.0"],
    ["a From other than the box", { From: ANNA }, [MARIO], "5.7.1 - Sandbox - il mittente non corrisponde"],
    ["no To", { To: undefined, Cc: MARIO }, [MARIO], "5.6.0 - Sandbox - nessun destinatario nel campo To"],
    ["a Bcc recipient (RCPT not in To/Cc)", {}, [MARIO, ANNA], "5.7.1 - Sandbox - destinatari in copia nascosta"],
    ["a Bcc header", { Bcc: ANNA }, [MARIO], "5.7.1 - Sandbox - destinatari in copia nascosta"],
    ["a To recipient never given to RCPT", { To: `${MARIO}, ${ANNA}` }, [MARIO], "5.1.3"],
    ["no Message-ID", { "Message-ID": undefined }, [MARIO], "5.6.0 - Sandbox - Message-ID mancante o non valido"],
    ["an unusable Message-ID", { "Message-ID": "<a b@c>" }, [MARIO], "5.6.0"],
  ])("refuses %s", (_, headers, recipients, reason) => {
    const result = check(message(headers), recipients);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.erroreEsteso.startsWith(reason)).toBe(true);
    expect(result.refused.from).toBe(USER);
    expect(result.refused.to.length).toBeGreaterThan(0);
  });

  it("keeps what it could read for the non-accettazione, without a Message-ID it cannot refer to", () => {
    const result = check(message({ "Message-ID": undefined }));
    expect(result).toMatchObject({ ok: false, refused: { messageId: null, to: [MARIO], subject: "Atto è pronto" } });
  });
});
