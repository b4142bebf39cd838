import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const sourceRoot = fileURLToPath(new URL("../../src", import.meta.url));

/** The one package the console may load code from: protocol's browser-safe entry. */
const browserSafe = "@passerelle/protocol/browser";

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith(".ts")
        ? [join(dir, entry.name)]
        : [],
  );
}

/** `import … from "x"` and `export … from "x"` statements, with whether they are type-only. */
const statement = /^(import|export)\s+(type\s+)?[^;]*?\bfrom\s+"([^"]+)";/gms;

describe("the console's imports from the rest of the repository", () => {
  const imports = sourceFiles(sourceRoot).flatMap((file) =>
    [...readFileSync(file, "utf8").matchAll(statement)].map((match) => ({
      file: relative(sourceRoot, file),
      typeOnly: match[2] !== undefined,
      from: match[3] ?? "",
    })),
  );

  it("takes code only from protocol's browser entry, everything else as types", () => {
    const codeFromPackages = imports.filter(
      (found) => !found.from.startsWith(".") && !found.typeOnly && found.from !== browserSafe,
    );
    expect(codeFromPackages).toEqual([]);
    // The API's views and the protocol's lists are read from their packages, not copied.
    expect(imports.some((found) => found.from === "@passerelle/cloud/api-types")).toBe(true);
    expect(imports.some((found) => found.from === browserSafe && !found.typeOnly)).toBe(true);
  });

  it("reaches other workspaces by their package names, never by a relative path", () => {
    const escaping = imports.filter((found) =>
      relative(sourceRoot, join(sourceRoot, found.file, "..", found.from)).startsWith(".."),
    );
    expect(escaping).toEqual([]);
  });
});
