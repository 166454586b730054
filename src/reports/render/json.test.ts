import { createHash } from "node:crypto";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import schema from "../../../schemas/report-v1.schema.json" with { type: "json" };
import { buildReport } from "../domain/build-report.js";
import type { ReportDocument } from "../domain/report-document.js";
import { sampleReportInputs } from "../domain/sample-report-inputs.js";
import { renderJson } from "./json.js";

const artifacts = { csv: { sha256: "c".repeat(64) }, pdf: { sha256: "d".repeat(64) } };
const doc = () => buildReport(sampleReportInputs(), artifacts);
const text = (bytes: Uint8Array) => new TextDecoder("utf-8", { fatal: true }).decode(bytes);

interface SchemaNode {
  $ref?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
}
const defs = (schema as { $defs: Record<string, SchemaNode> }).$defs;

/** Asserts that every object's keys come in the order the schema lists its properties. */
function expectSchemaKeyOrder(value: unknown, node: SchemaNode, path = "$"): void {
  const resolved = node.$ref ? defs[node.$ref.replace("#/$defs/", "")] : node;
  if (!resolved) throw new Error(`unresolved ${node.$ref}`);
  if (Array.isArray(value) && resolved.items) {
    for (const [i, item] of value.entries()) expectSchemaKeyOrder(item, resolved.items, `${path}[${i}]`);
  } else if (value !== null && typeof value === "object" && resolved.properties) {
    expect(Object.keys(value), path).toEqual(Object.keys(resolved.properties));
    for (const [key, child] of Object.entries(value)) {
      expectSchemaKeyOrder(child, resolved.properties[key] as SchemaNode, `${path}.${key}`);
    }
  }
}

describe("renderJson", () => {
  it("writes a document the JSON Schema accepts", () => {
    const ajv = new Ajv2020({ allErrors: true });
    addFormats.default(ajv);
    const validate = ajv.compile(schema);
    expect(validate(JSON.parse(text(renderJson(doc())))), JSON.stringify(validate.errors)).toBe(true);
  });

  it("gives byte-identical output for the same data", () => {
    const first = renderJson(doc());
    const second = renderJson(doc());
    expect(createHash("sha256").update(first).digest("hex")).toBe(createHash("sha256").update(second).digest("hex"));
  });

  it("orders keys as the contract does, whatever order the object was built in", () => {
    const original = doc();
    const scrambled = JSON.parse(JSON.stringify(original), (_key, value) =>
      value !== null && typeof value === "object" && !Array.isArray(value)
        ? Object.fromEntries(Object.entries(value).reverse())
        : value,
    ) as ReportDocument;
    expect(Object.keys(scrambled)[0]).toBe("artifacts");
    expect(renderJson(scrambled)).toEqual(renderJson(original));
    expectSchemaKeyOrder(JSON.parse(text(renderJson(scrambled))), schema as SchemaNode);
  });

  it("drops members the contract does not have", () => {
    const extended = { ...doc(), debug: { secret: 1 } } as ReportDocument;
    expect(text(renderJson(extended))).not.toContain("debug");
  });

  it("uses UTF-8 without BOM, a 2-space indent and a final newline", () => {
    const bytes = renderJson(doc());
    expect([...bytes.slice(0, 3)]).not.toEqual([0xef, 0xbb, 0xbf]);
    const output = text(bytes);
    expect(output.startsWith('{\n  "schemaVersion": 1,\n  "entity": {\n    "ipaCode": "c_demo"')).toBe(true);
    expect(output.endsWith("}\n")).toBe(true);
    expect(output).not.toContain("\r");
    expect(output).toContain('"name": "Delegazione \\"Borgo\\""');
  });
});
