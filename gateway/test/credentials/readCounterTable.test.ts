import { describe, expect, it } from "vitest";
import { ReadCounterTable } from "../../src/credentials/readCounterTable.js";

describe("read counters with the network's floor", () => {
  it("refuses a counter at or below the floor the bundle brought, even never seen here", () => {
    const table = new ReadCounterTable();
    expect(table.accept("card", 41, 41).fresh).toBe(false);
    expect(table.accept("card", 12, 41).fresh).toBe(false);
    expect(table.highest("card")).toBeUndefined();
    expect(table.accept("card", 42, 41).fresh).toBe(true);
    expect(table.highest("card")).toBe(42);
  });

  it("keeps its own higher counter when the bundle's floor is older", () => {
    const table = new ReadCounterTable();
    expect(table.accept("card", 50).fresh).toBe(true);
    // The bundle was compiled before this gateway's read reached the cloud.
    expect(table.accept("card", 45, 30).fresh).toBe(false);
    expect(table.accept("card", 51, 30).fresh).toBe(true);
  });

  it("says when a counter was recorded, so the gateway can schedule a save", () => {
    let saves = 0;
    const table = new ReadCounterTable(() => {
      saves += 1;
    });
    table.accept("card", 5, 9);
    table.accept("card", 10, 9);
    expect(saves).toBe(1);
  });
});
