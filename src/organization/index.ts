export { createEntityLookup } from "./adapters/entity-lookup.js";
