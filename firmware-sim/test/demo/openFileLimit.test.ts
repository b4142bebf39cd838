import { describe, expect, it } from "vitest";
import { openFiles, wontFit } from "../../src/demo/openFileLimit.js";

describe("the simulator's open-file check", () => {
  it("reads this process's open files and its limit", () => {
    const files = openFiles();
    expect(files?.open).toBeGreaterThan(0);
    expect(files?.limit).toBeGreaterThanOrEqual(files?.open ?? 0);
  });

  it("stops with the ulimit to set when the gateways will not fit, and lets them run when they do", () => {
    const before = { open: 40, limit: 1024 };
    const afterFirst = { open: 46, limit: 1024 };
    expect(wontFit(before, afterFirst, 100)).toBeUndefined();
    const problem = wontFit(before, afterFirst, 1700);
    expect(problem).toContain("need about 10304 open files (6 each");
    expect(problem).toContain("ulimit -n 11000");
  });
});
