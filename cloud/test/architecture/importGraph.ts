import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import ts from "typescript";

/** One import statement of a TypeScript file: where it is and what it names. */
export interface ImportSite {
  /** Path relative to the repository root, with "/" separators. */
  readonly file: string;
  readonly line: number;
  readonly specifier: string;
}

export const repoRoot = resolve(dirname(new URL(import.meta.url).pathname), "../../..");

/** Every .ts/.tsx file under `dir` (relative to the repository root), dist and node_modules aside. */
export function sourceFiles(dir: string): string[] {
  const found: string[] = [];
  const walk = (absolute: string) => {
    for (const entry of readdirSync(absolute, { withFileTypes: true })) {
      if (entry.name === "node_modules" || entry.name === "dist") continue;
      const path = join(absolute, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith(".d.ts")) found.push(path);
    }
  };
  walk(join(repoRoot, dir));
  return found.map((path) => relative(repoRoot, path).split(sep).join("/"));
}

/**
 * The imports of one file as the compiler reads them (static imports, `export … from`,
 * `import type`, dynamic `import()`), so a comment or a string that looks like an import is not one.
 */
export function importsOf(file: string): ImportSite[] {
  const text = readFileSync(join(repoRoot, file), "utf8");
  const info = ts.preProcessFile(text, true, true);
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
  return info.importedFiles.map((imported) => ({
    file,
    line: source.getLineAndCharacterOfPosition(imported.pos).line + 1,
    specifier: imported.fileName,
  }));
}

/** The repository path a relative specifier points to (".js" as written in ESM sources). */
export function resolveRelative(site: ImportSite): string | null {
  if (!site.specifier.startsWith(".")) return null;
  return join(dirname(site.file), site.specifier).split(sep).join("/");
}

export function formatSite(site: ImportSite, why: string): string {
  return `${site.file}:${site.line}: imports "${site.specifier}" (${why})`;
}
