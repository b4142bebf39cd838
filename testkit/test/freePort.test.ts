import { describe, expect, it } from "vitest";
import { freePorts } from "../src/freePort.js";

describe("freePorts", () => {
  it("returns distinct ports", async () => {
    const ports = await freePorts(3);
    expect(new Set(ports).size).toBe(3);
    for (const port of ports) expect(port).toBeGreaterThan(0);
  });
});
