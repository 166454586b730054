import { z } from "zod";

/**
 * Environment parsing is built from small fragments, one per concern, and
 * merged into one schema. Every key has a default except secrets and
 * production-only endpoints; `.env.example` lists them all.
 */

const booleanFlag = z
  .enum(["0", "1", "true", "false", "yes", "no", "on", "off"], {
    message: "expected one of 0, 1, true, false, yes, no, on, off",
  })
  .transform((value) => ["1", "true", "yes", "on"].includes(value));

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();

const serverFragment = z.object({
  PORT: port.default(8080),
  HOST: z.string().min(1).default("127.0.0.1"),
  FACCIA_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  FACCIA_TRUST_PROXY: booleanFlag.default(false),
  FACCIA_SHUTDOWN_TIMEOUT_SECONDS: positiveInt.default(10),
});

const databaseFragment = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "expected a postgres:// or postgresql:// URL")
    .optional(),
  DATABASE_POOL_SIZE: positiveInt.max(200).default(10),
  FACCIA_DATA_DIR: z.string().min(1).default("./data"),
});

const loggingFragment = z.object({
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  LOG_FORMAT: z.enum(["json", "pretty"]).default("json"),
});

const kioskFragment = z.object({
  FACCIA_KIOSK_RATE_LIMIT: positiveInt.default(60),
  FACCIA_PAIRING_RATE_LIMIT: positiveInt.default(10),
  FACCIA_DEMO: booleanFlag.default(true),
});

const reportFragment = z.object({
  /** Make the monthly draft reports in this process (every replica may: they coordinate through Postgres). */
  FACCIA_REPORT_SCHEDULER: booleanFlag.default(true),
});

export const ConfigSchema = serverFragment
  .extend(databaseFragment.shape)
  .extend(loggingFragment.shape)
  .extend(kioskFragment.shape)
  .extend(reportFragment.shape);

export type Config = z.infer<typeof ConfigSchema>;
