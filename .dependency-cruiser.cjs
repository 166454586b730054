/**
 * Module boundaries (STYLE.md "Shape of a module"), checked by `npm run lint`.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: "no-cycles",
      severity: "error",
      comment: "Modules form a directed graph.",
      from: {},
      to: { circular: true },
    },
    {
      name: "nothing-imports-gateway",
      severity: "error",
      comment: "The gateway composes the other modules; only the composition root may import it.",
      from: { path: "^src/", pathNot: "^src/(gateway/|main\\.ts$)" },
      to: { path: "^src/gateway/" },
    },
    {
      name: "only-main-and-cli-import-main",
      severity: "error",
      from: { path: "^src/", pathNot: "^src/cli/" },
      to: { path: "^src/main\\.ts$" },
    },
    {
      name: "modules-talk-through-index",
      severity: "error",
      comment:
        "A module imports another module only through its index.ts (shared/ is a library of small modules and is exempt).",
      from: { path: "^src/([^/]+)/" },
      to: {
        path: "^src/([^/]+)/.+",
        pathNot: ["^src/$1/", "^src/shared/", "^src/[^/]+/index\\.ts$"],
      },
    },
    {
      name: "domain-is-pure",
      severity: "error",
      comment:
        "Domain code imports only zod, the pure parts of shared/ (domain, errors, clock, zoned-time) and its own module's domain.",
      from: { path: "^src/([^/]+)/domain/" },
      to: {
        pathNot: ["^src/$1/domain/", "^src/shared/(domain|errors|clock|zoned-time)\\.ts$", "^node_modules/zod/"],
      },
    },
    {
      name: "drivers-only-in-adapters",
      severity: "error",
      comment: "Only adapters (and src/db) touch database drivers; rows become domain types inside the adapter.",
      from: { path: "^src/", pathNot: ["^src/db/", "^src/[^/]+/adapters/"] },
      to: { path: "^node_modules/(drizzle-orm|postgres|@electric-sql/pglite)/" },
    },
    {
      name: "kiosk-web-is-browser-code",
      severity: "error",
      comment:
        "The kiosk web app runs in the browser: at run time it imports only its own files and idb. " +
        "Types from the kiosk domain and shared/domain are fine: the build erases them.",
      from: { path: "^src/kiosk/web/" },
      to: { pathNot: ["^src/kiosk/web/", "^node_modules/idb/"], dependencyTypesNot: ["type-only"] },
    },
    {
      name: "nothing-imports-kiosk-web",
      severity: "error",
      comment: "The kiosk web app is built into static files; server code serves them, never imports them.",
      from: { pathNot: "^src/kiosk/web/" },
      to: { path: "^src/kiosk/web/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".js", ".mjs", ".cjs", ".json"],
    },
    exclude: { path: "\\.test\\.ts$" },
  },
};
