import pino, { type Logger } from "pino";

export type { Logger } from "pino";

/** Secrets never reach the logs, wherever they appear in a logged object. */
const REDACT = [
  "password",
  "*.password",
  "token",
  "*.token",
  "privateKey",
  "*.privateKey",
  "fiscalCode",
  "*.fiscalCode",
  "authorization",
  "*.authorization",
  "*.headers.authorization",
  "code",
  "*.pairingCode",
];

export function createLogger(options: { level: string; format: "json" | "pretty" }): Logger {
  return pino({
    level: options.level,
    base: { service: "faccia" },
    redact: { paths: REDACT, censor: "[redacted]" },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    ...(options.format === "pretty"
      ? { transport: { target: "pino-pretty", options: { destination: 2, translateTime: "SYS:HH:MM:ss" } } }
      : {}),
  });
}

/** A logger that discards everything: tests and one-shot CLI commands. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
