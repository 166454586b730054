export * from "./audit.js";
export * from "./identity.js";
export * from "./kiosk.js";
export * from "./organization.js";
export * from "./pec.js";
export * from "./report.js";
