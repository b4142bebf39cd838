import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import * as browser from "../src/browser.js";
import { accessReasons, denyReasons, eventTypes, grantReasons } from "../src/index.js";

const entry = fileURLToPath(new URL("../src/browser.ts", import.meta.url));

/** The specifiers a module loads at run time (type-only imports and exports are erased). */
function runtimeImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest);
  const found: string[] = [];
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) && !statement.importClause?.isTypeOnly) {
      found.push((statement.moduleSpecifier as ts.StringLiteral).text);
    }
    if (ts.isExportDeclaration(statement) && !statement.isTypeOnly && statement.moduleSpecifier) {
      found.push((statement.moduleSpecifier as ts.StringLiteral).text);
    }
  }
  return found;
}

/** Every module reached from `start` at run time, and every non-relative specifier on the way. */
function loadedFrom(start: string): { files: Set<string>; external: string[] } {
  const files = new Set<string>();
  const external: string[] = [];
  const pending = [start];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (files.has(file)) continue;
    files.add(file);
    for (const specifier of runtimeImports(file)) {
      if (!specifier.startsWith(".")) external.push(`${specifier} (from ${file})`);
      else pending.push(resolve(dirname(file), specifier.replace(/\.js$/, ".ts")));
    }
  }
  return { files, external };
}

describe("the browser entry (@passerelle/protocol/browser)", () => {
  it("loads no package and no Node module, only protocol files", () => {
    const { files, external } = loadedFrom(entry);
    expect(external).toEqual([]);
    expect(files.size).toBeGreaterThan(1);
  });

  it("hands out the same word lists as the main entry", () => {
    expect(browser.eventTypes).toBe(eventTypes);
    expect(browser.accessReasons).toEqual([...grantReasons, ...denyReasons]);
    expect(browser.accessReasons).toBe(accessReasons);
  });

  it("reads a zone's wall clock without Node", () => {
    const noonCest = Date.parse("2026-07-01T10:00:00Z");
    expect(browser.zonedReading(noonCest, "Europe/Brussels").minute).toBe(12 * 60);
  });
});
