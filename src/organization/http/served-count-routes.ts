import { createRoute, z } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { AppError } from "../../shared/errors.js";
import { createRouter, problemResponses } from "../../shared/http/router.js";
import { MAX_SERVED_COUNT_ROWS } from "../domain/served-count-csv.js";
import { CalendarDate, ServedCount, ServedCountBatch } from "../domain/served-counts.js";
import { EntityParams, entityAccess, json, jsonBody, listOf, type OrganizationApiDeps, security } from "./route-kit.js";

const tags = ["Users served"];
/** 20,000 rows of about 70 bytes, with room to spare. */
export const SERVED_COUNT_CSV_LIMIT_BYTES = 4 * 1024 * 1024;
const CSV_MEDIA_TYPES = ["text/csv", "application/csv", "text/plain"];

const Range = z.object({
  from: CalendarDate.optional().openapi({ param: { name: "from", in: "query" }, example: "2025-01-01" }),
  to: CalendarDate.optional().openapi({ param: { name: "to", in: "query" }, example: "2025-12-31" }),
});

const CSV_DESCRIPTION = `A header row, then one row per service, channel and period:

\`\`\`
service;channel;period_start;period_end;count
anagrafe;desk;2025-01-01;2025-01-31;1234
tributi;;01/01/2025;31/01/2025;87
\`\`\`

- \`service\`: the service code (unique in the entity) or its id; \`channel\`: desk, web or phone (empty: desk);
  dates as YYYY-MM-DD or DD/MM/YYYY, the end inclusive; \`count\`: digits only.
- Separator \`,\` or \`;\` (detected from the header), RFC 4180 quoting, CRLF or LF, optional UTF-8 BOM.
  Without a charset parameter the body is read as UTF-8, or as Windows-1252 when it is not valid UTF-8.
- All or nothing: if any row is wrong the answer is 400 SERVED_COUNTS_INVALID listing every problem as
  \`/rows/N/column\`, N being the spreadsheet row (the header is row 1), and nothing is stored.
- Existing counts for the same service, channel and period are replaced. At most ${MAX_SERVED_COUNT_ROWS} rows.`;

/** Decodes the CSV body: spreadsheets on Italian Windows still save Windows-1252 unless told otherwise. */
function decodeCsv(bytes: ArrayBuffer, contentType: string): string {
  const charset = /;\s*charset="?([^";]+)"?/i.exec(contentType)?.[1];
  try {
    if (charset) return new TextDecoder(charset.trim()).decode(bytes);
  } catch (error) {
    throw new AppError("REQUEST_UNSUPPORTED_MEDIA_TYPE", `unknown charset ${charset}`, { cause: error });
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder("windows-1252").decode(bytes);
  }
}

/** `/entities/{ipa}/served-counts`: citizens served per service and period (entered or imported). */
export function servedCountRoutes({ organization }: OrganizationApiDeps) {
  const router = createRouter();
  const { servedCounts } = organization;
  const access = entityAccess(organization);

  router.openapi(
    createRoute({
      method: "get",
      path: "/entities/{ipa}/served-counts",
      tags,
      security,
      summary: "Users-served counts whose period overlaps from..to (both inclusive, both optional)",
      request: { params: EntityParams, query: Range },
      responses: { 200: listOf(ServedCount, "Counts"), ...problemResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const entityId = await access(c, c.req.valid("param").ipa, "read");
      return c.json({ items: await servedCounts.list(entityId, c.req.valid("query")) }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: "put",
      path: "/entities/{ipa}/served-counts",
      tags,
      security,
      summary: "Insert or replace counts, keyed by service, channel and period (idempotent, all or nothing)",
      description:
        "A body that breaks the schema is REQUEST_VALIDATION_FAILED; an unknown service or two items with the " +
        "same key are SERVED_COUNTS_INVALID, listing every such item. Either way nothing is stored.",
      request: { params: EntityParams, ...jsonBody(ServedCountBatch) },
      responses: {
        200: json(z.object({ upserted: z.number().int() }), "Stored"),
        ...problemResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const entityId = await access(c, c.req.valid("param").ipa, "configure");
      return c.json(await servedCounts.upsert(entityId, c.req.valid("json").items), 200);
    },
  );

  router.openapi(
    createRoute({
      method: "post",
      path: "/entities/{ipa}/served-counts/import",
      tags,
      security,
      summary: "Import counts from a spreadsheet's CSV (all or nothing)",
      description: CSV_DESCRIPTION,
      middleware: [
        bodyLimit({
          maxSize: SERVED_COUNT_CSV_LIMIT_BYTES,
          onError: () => {
            throw new AppError("REQUEST_BODY_TOO_LARGE", `the file exceeds ${SERVED_COUNT_CSV_LIMIT_BYTES} bytes`);
          },
        }),
      ],
      request: {
        params: EntityParams,
        body: { required: true, content: { "text/csv": { schema: z.string() } } },
      },
      responses: {
        200: json(z.object({ imported: z.number().int() }), "Imported"),
        ...problemResponses(400, 401, 403, 404, 413, 415),
      },
    }),
    async (c) => {
      const entityId = await access(c, c.req.valid("param").ipa, "configure");
      const contentType = c.req.header("content-type") ?? "";
      if (!CSV_MEDIA_TYPES.includes(contentType.split(";")[0]?.trim().toLowerCase() ?? "")) {
        throw new AppError("REQUEST_UNSUPPORTED_MEDIA_TYPE", "send the file as text/csv");
      }
      const text = decodeCsv(await c.req.arrayBuffer(), contentType);
      return c.json(await servedCounts.importCsv(entityId, text), 200);
    },
  );

  return router;
}
