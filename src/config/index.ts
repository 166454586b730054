import { type Config, ConfigSchema } from "./schema.js";

export { type Config, ConfigSchema } from "./schema.js";

export class ConfigError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
    this.problems = problems;
  }
}

/**
 * Parses the environment once, at start. Empty strings count as unset, so
 * `.env` files can list a key without a value. Fails with every bad key
 * listed, not just the first one.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ""));
  const parsed = ConfigSchema.safeParse(present);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const key = issue.path.map(String).join(".") || "(root)";
    const value = present[key];
    const shown = value === undefined || /PASSWORD|SECRET|TOKEN|KEY|DATABASE_URL/.test(key) ? "" : ` (got "${value}")`;
    return `${key}: ${issue.message}${shown}`;
  });
  throw new ConfigError(problems);
}
