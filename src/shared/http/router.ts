import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { AppError, fieldErrorsFromIssues } from "../errors.js";
import type { AppEnv } from "./env.js";

/**
 * A router whose request validation failures become `REQUEST_VALIDATION_FAILED`
 * problems listing every bad field, so every module answers bad input alike.
 */
export function createRouter<E extends AppEnv = AppEnv>(): OpenAPIHono<E> {
  return new OpenAPIHono<E>({
    defaultHook: (result) => {
      if (!result.success) {
        throw new AppError("REQUEST_VALIDATION_FAILED", "the request does not match the schema", {
          errors: fieldErrorsFromIssues(result.error.issues),
        });
      }
    },
  });
}

/** Reads a JSON body that is validated by hand (when per-item errors must not fail the whole request). */
export async function readJsonBody(c: Context): Promise<unknown> {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/([\w.-]+\+)?json\b/i.test(type)) {
    throw new AppError("REQUEST_UNSUPPORTED_MEDIA_TYPE", "send the body as application/json");
  }
  const text = await c.req.text();
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new AppError("REQUEST_INVALID_JSON", "the request body is not valid JSON", { cause: error });
  }
}

export function parseWith<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new AppError("REQUEST_VALIDATION_FAILED", "the request does not match the schema", {
      errors: fieldErrorsFromIssues(parsed.error.issues),
    });
  }
  return parsed.data;
}

/** The problem+json response every route may return, for the OpenAPI document. */
export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string(),
    code: z.string().openapi({ example: "REQUEST_VALIDATION_FAILED" }),
    requestId: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi("Problem");

export function problemResponses(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      { description: "Problem (RFC 9457)", content: { "application/problem+json": { schema: ProblemSchema } } },
    ]),
  );
}

/** An OpenAPI response (or request) with a JSON body described by `schema`. */
export const jsonContent = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

/** A required JSON request body for `createRoute({ request: { ...jsonBody(schema) } })`. */
export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  body: { required: true, content: { "application/json": { schema } } },
});

/** A staff route takes a personal access token or a SPID/CIE browser session (issue 7). */
export const staffSecurity: Record<string, string[]>[] = [{ accessToken: [] }, { session: [] }];

/** Finds the entity of an `{ipa}` path parameter, or answers 404: for staff routes under `/entities/{ipa}`. */
export function entityResolver(resolveEntityId: (ipaCode: string) => Promise<string | null>) {
  return async function entityIdOf(ipa: string): Promise<string> {
    const id = await resolveEntityId(ipa.toLowerCase());
    if (!id) throw new AppError("RESOURCE_NOT_FOUND", `no entity with IPA code ${ipa}`);
    return id;
  };
}

/** The `{ipa}` path parameter of every staff route under `/entities/{ipa}`. */
export const EntityParams = z.object({
  ipa: z.string().openapi({ param: { name: "ipa", in: "path" }, example: "c_demo", description: "IPA code" }),
});
