import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PEC_PROBLEM_CODES } from "./domain/pec-message.js";
import { parsePecMessage } from "./parse-pec-message.js";

/**
 * Malformed MIME fed to the parser: random bytes, truncated real messages, mutated boundaries and
 * headers. Always a classified result or a typed error, never a throw, and bounded time.
 */
const FIXTURES = join(import.meta.dirname, "../../test/fixtures/pec-real");
const fixtures = readdirSync(FIXTURES)
  .filter((name) => name.endsWith(".eml"))
  .map((name) => readFileSync(join(FIXTURES, name)).toString("latin1"));

const TYPES = new Set([
  "accettazione",
  "non-accettazione",
  "presa-in-carico",
  "avvenuta-consegna",
  "posta-certificata",
  "errore-consegna",
  "preavviso-errore-consegna",
  "rilevazione-virus",
  "errore",
  "plain",
  "unknown",
]);
const ERROR_CODES = new Set(["MESSAGE_EMPTY", "MESSAGE_TOO_LARGE", "MESSAGE_UNREADABLE"]);

function expectClassifiedOrTypedError(raw: Uint8Array): void {
  const started = performance.now();
  const result = parsePecMessage(raw);
  expect(performance.now() - started).toBeLessThan(2_000);
  if (!result.ok) {
    expect(ERROR_CODES.has(result.error.code)).toBe(true);
    return;
  }
  expect(TYPES.has(result.message.type)).toBe(true);
  for (const problem of result.message.problems) expect(PEC_PROBLEM_CODES).toContain(problem.code);
}

const latin1 = (text: string) => new Uint8Array(Buffer.from(text, "latin1"));
const anyFixture = fc.constantFrom(...fixtures);

describe("parsePecMessage on malformed input", () => {
  it("random bytes", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 4096 }), expectClassifiedOrTypedError), { numRuns: 300 });
  });

  it("random header-like text", () => {
    const line = fc.oneof(
      fc.constantFrom("X-Ricevuta: ", "X-Trasporto: ", "Content-Type: multipart/signed; boundary=", "--", "\r\n", "\n"),
      fc.string({ maxLength: 40 }),
    );
    const text = fc.array(line, { maxLength: 60 }).map((parts) => parts.join(""));
    fc.assert(
      fc.property(text, (value) => expectClassifiedOrTypedError(latin1(value))),
      { numRuns: 300 },
    );
  });

  it("truncated real messages", () => {
    fc.assert(
      fc.property(anyFixture, fc.double({ min: 0, max: 1, noNaN: true }), (text, fraction) =>
        expectClassifiedOrTypedError(latin1(text.slice(0, Math.floor(text.length * fraction)))),
      ),
      { numRuns: 200 },
    );
  });

  it("real messages with mutated boundaries and headers", () => {
    const mutate = fc.tuple(anyFixture, fc.nat(), fc.nat({ max: 60 }), fc.string({ maxLength: 30 }));
    fc.assert(
      fc.property(mutate, ([text, where, cut, insert]) => {
        const marks = [...text.matchAll(/boundary=|--|\n\n|Content-Transfer-Encoding|: /g)].map((match) => match.index);
        const at = marks.length === 0 ? 0 : (marks[where % marks.length] ?? 0);
        expectClassifiedOrTypedError(latin1(text.slice(0, at) + insert + text.slice(at + cut)));
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ["deeply nested multiparts", nested(5_000)],
    ["a huge run of spaces in a quoted-printable body", qpSpaces(2_000_000)],
    [
      "many delimiter look-alikes on one line",
      `Content-Type: multipart/mixed; boundary=b\n\n${"--b x".repeat(300_000)}`,
    ],
    ["huge address, date and subject headers", hugeHeaders(1_000_000)],
  ])("stays fast on %s", (_, text) => {
    expectClassifiedOrTypedError(latin1(text));
  });
});

function nested(depth: number): string {
  let text = "";
  for (let level = 0; level < depth; level++)
    text += `Content-Type: multipart/mixed; boundary=b${level}\n\n--b${level}\n`;
  return text;
}

function qpSpaces(count: number): string {
  return `Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: application/xml; name="daticert.xml"\nContent-Transfer-Encoding: quoted-printable\n\n${" ".repeat(count)}x\n--b--\n`;
}

function hugeHeaders(length: number): string {
  const run = "a".repeat(length);
  return `X-Ricevuta: accettazione\nFrom: "Per conto di: ${run}\nTo: ${run}\nDate: (${"(".repeat(length)}\nSubject: =?${run}\n\n`;
}
