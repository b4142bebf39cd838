import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The console workspace, from this file (console/scripts). */
export const consoleRoot = fileURLToPath(new URL("..", import.meta.url));
export const consoleDist = join(consoleRoot, "dist", "app");

/**
 * What a build is made from: a change to any of these makes dist/app stale. The bundle also
 * takes protocol's browser entry (its word lists and zoned-time readers), hence protocol/src.
 */
const inputs = [
  "src",
  "index.html",
  "vite.config.ts",
  "scripts/precompress.ts",
  "package.json",
  "../protocol/src",
];

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** True when dist/app is missing or older than a source file. */
export function consoleBuildIsStale(): boolean {
  const built = join(consoleDist, "index.html");
  if (!existsSync(built)) return true;
  const sources = Math.max(...inputs.map((input) => newestMtime(join(consoleRoot, input))));
  return sources > statSync(built).mtimeMs;
}

/**
 * Builds the console when it is missing or stale, so `npm start` and `npm test` on a fresh clone
 * serve a console without a manual step (docs/console.md). Vite is loaded only when needed.
 */
export async function ensureConsoleBuilt(log: (line: string) => void = console.log): Promise<void> {
  if (!consoleBuildIsStale()) return;
  log("console: building the web console (vite build) into console/dist/app");
  const { build } = await import("vite");
  await build({ configFile: join(consoleRoot, "vite.config.ts"), logLevel: "warn" });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await ensureConsoleBuilt();
}
