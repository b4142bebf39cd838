import type { PageDefinition } from "../page.js";

/** Every page of the console, with the roles that may open it. */
export const pages: readonly PageDefinition[] = [];
