import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  buildIndex,
  createDefaultParts,
  createHardware,
  createLogger,
  decide,
  GatewayApp,
  gatewayVersion,
  loadConfig,
  parseHardwareConfig,
} from "../src/index.js";

describe("package entry", () => {
  it("is the file package.json exports, and it exposes what main.ts wires", () => {
    const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    expect(existsSync(new URL(`../${manifest.exports["."].source}`, import.meta.url))).toBe(true);
    const exported = {
      GatewayApp,
      createDefaultParts,
      loadConfig,
      parseHardwareConfig,
      createHardware,
      createLogger,
      decide,
      buildIndex,
    };
    for (const [name, value] of Object.entries(exported)) {
      expect(typeof value, name).toBe("function");
    }
    expect(gatewayVersion).toBe(manifest.version);
  });
});
