#!/usr/bin/env node
// Fails when src/db/schema and the committed drizzle/ migrations disagree:
// drizzle-kit generates into a scratch copy of drizzle/ and must find nothing to add.
import { execFileSync } from "node:child_process";
import { cpSync, readdirSync, rmSync } from "node:fs";

// drizzle-kit wants a path relative to the project, so the scratch copy lives in node_modules/.cache.
const scratch = "node_modules/.cache/faccia-migration-drift";
rmSync(scratch, { recursive: true, force: true });
try {
  cpSync("drizzle", scratch, { recursive: true });
  const before = readdirSync(scratch).sort();
  const output = execFileSync(
    "npx",
    [
      "drizzle-kit",
      "generate",
      "--dialect=postgresql",
      "--schema=./src/db/schema/index.ts",
      `--out=${scratch}`,
      "--casing=snake_case",
      "--name=drift",
    ],
    { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
  );
  const added = readdirSync(scratch)
    .sort()
    .filter((name) => !before.includes(name));
  if (added.length > 0) {
    console.error("Migration drift: the schema has changes that no committed migration contains.");
    console.error(`drizzle-kit would add: ${added.join(", ")}. Run 'npm run db:generate' and commit the result.`);
    console.error(output);
    process.exit(1);
  }
  console.log("No migration drift: drizzle/ matches src/db/schema.");
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
