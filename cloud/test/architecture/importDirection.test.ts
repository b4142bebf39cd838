import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import {
  formatSite,
  type ImportSite,
  importsOf,
  repoRoot,
  resolveRelative,
  sourceFiles,
} from "./importGraph.js";
import { cloudLayers, gatewayLayers, type PackageLayers, packageImports } from "./layerRules.js";

/** The layer index of a file under the package root: its first folder, or its name without ".ts". */
function layerOf(rules: PackageLayers, path: string): { name: string; rank: number } | null {
  if (!path.startsWith(`${rules.root}/`)) return null;
  const first = path.slice(rules.root.length + 1).split("/")[0] ?? "";
  const name = first.replace(/\.(ts|tsx|js)$/, "");
  const rank = rules.layers.findIndex((layer) =>
    typeof layer === "string" ? layer === name : layer.includes(name),
  );
  return { name, rank };
}

export function layerViolations(rules: PackageLayers): string[] {
  const problems: string[] = [];
  for (const file of sourceFiles(rules.root)) {
    const from = layerOf(rules, file);
    if (!from) continue;
    if (from.rank < 0) {
      problems.push(`${file}:1: folder "${from.name}" is not in the layer list of ${rules.root}`);
      continue;
    }
    for (const site of importsOf(file)) {
      const target = resolveRelative(site);
      const to = target ? layerOf(rules, target) : null;
      if (!to || to.name === from.name) continue;
      if (to.rank < 0) problems.push(formatSite(site, `"${to.name}" is in no layer`));
      else if (to.rank >= from.rank) {
        const why = to.rank === from.rank ? "peer layer" : "higher layer";
        problems.push(formatSite(site, `${from.name} → ${to.name}: ${why}`));
      }
    }
  }
  return problems;
}

function packageOfSpecifier(site: ImportSite): string | null {
  const match = /^@passerelle\/([^/]+)/.exec(site.specifier);
  if (match) return match[1] ?? null;
  const target = resolveRelative(site);
  return target ? (target.split("/")[0] ?? null) : null;
}

export function packageViolations(): string[] {
  const problems: string[] = [];
  for (const [name, allowed] of Object.entries(packageImports)) {
    for (const file of sourceFiles(name).filter((path) => path.startsWith(`${name}/src/`))) {
      for (const site of importsOf(file)) {
        const target = packageOfSpecifier(site);
        if (!target || target === name || !(target in packageImports)) continue;
        if (!allowed.includes(target)) {
          problems.push(formatSite(site, `package ${name} may not import ${target}`));
        }
      }
    }
  }
  return problems;
}

function dependenciesOf(name: string): string[] {
  const manifest = JSON.parse(readFileSync(join(repoRoot, name, "package.json"), "utf8")) as {
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  return Object.keys({ ...manifest.dependencies, ...manifest.devDependencies })
    .filter((dependency) => dependency.startsWith("@passerelle/"))
    .map((dependency) => dependency.slice("@passerelle/".length));
}

describe('imports point down (docs/architecture.md "Layers of cloud/src")', () => {
  test("inside cloud/src, no folder imports one above it or a peer", () => {
    expect(layerViolations(cloudLayers)).toEqual([]);
  });

  test("inside gateway/src, no folder imports one above it or a peer", () => {
    expect(layerViolations(gatewayLayers)).toEqual([]);
  });

  test("no workspace package's src imports a package above it", () => {
    expect(packageViolations()).toEqual([]);
  });

  test("every package a package's src imports is declared in its package.json", () => {
    const undeclared = Object.keys(packageImports).flatMap((name) => {
      const declared = dependenciesOf(name);
      return sourceFiles(name)
        .filter((path) => path.startsWith(`${name}/src/`))
        .flatMap(importsOf)
        .filter((site) => {
          const target = packageOfSpecifier(site);
          return target !== null && target !== name && target in packageImports;
        })
        .filter((site) => !declared.includes(packageOfSpecifier(site) ?? ""))
        .map((site) => formatSite(site, "not in package.json"));
    });
    expect(undeclared).toEqual([]);
  });

  test("the check sees a violation when there is one", () => {
    const upside: PackageLayers = { root: "cloud/src", layers: ["server", "store"] };
    const found = layerViolations(upside);
    expect(
      found.some((line) => /^cloud\/src\/server\.ts:\d+: imports ".\/store\//.test(line)),
    ).toBe(true);
  });
});
