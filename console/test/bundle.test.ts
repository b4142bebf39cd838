import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { consoleDist } from "../scripts/ensureBuilt.js";

// globalSetup.ts has built dist/app (or found it fresh) before this runs.
const assets = join(consoleDist, "assets");
const scripts = readdirSync(assets).filter((name) => name.endsWith(".js"));

describe("the built console bundle", () => {
  it("holds no Node module (node:crypto and the like stay out of the browser)", () => {
    expect(scripts.length).toBeGreaterThan(0);
    for (const name of scripts) {
      const code = readFileSync(join(assets, name), "utf8");
      expect(code).not.toMatch(/["'`]node:/);
      // Vite's stand-in for a Node built-in a browser build could not leave out.
      expect(code).not.toContain("__vite-browser-external");
    }
  });

  it("takes from outside console/src only protocol's browser-safe sources", () => {
    const sources = scripts.flatMap(
      (name) =>
        (JSON.parse(readFileSync(join(assets, `${name}.map`), "utf8")) as { sources: string[] })
          .sources,
    );
    const outside = sources.filter((source) => !source.startsWith("../../../src/"));
    expect(outside.length).toBeGreaterThan(0);
    expect(outside.filter((source) => !source.startsWith("../../../../protocol/src/"))).toEqual([]);
    const nodeOnly = ["signedDocument", "credentialHash", "hashChain", "uuidv7", "signingKeys"];
    expect(outside.filter((source) => nodeOnly.some((name) => source.includes(name)))).toEqual([]);
  });
});
