import { describe, expect, it } from "vitest";
import { demoCentres, pickCentres } from "../../src/demo/demoNetwork.js";

describe("the demo network", () => {
  it("holds the sixteen centres of the three networks, with unique slug ids", () => {
    expect(demoCentres).toHaveLength(16);
    expect(new Set(demoCentres.map((c) => c.id)).size).toBe(16);
    for (const centre of demoCentres) {
      expect(centre.id).toMatch(/^[a-z0-9][a-z0-9-]{0,50}$/);
      expect(centre.desks).toBeLessThanOrEqual(centre.capacity);
      expect(centre.openingHours.length).toBeGreaterThan(0);
    }
    const count = (network: string) => demoCentres.filter((c) => c.network === network).length;
    expect([count("smart-work-centre"), count("smile"), count("coffee")]).toEqual([8, 3, 5]);
    expect(demoCentres.find((c) => c.id === "coffee-lille")?.timeZone).toBe("Europe/Paris");
  });

  it("picks small networks across the three networks", () => {
    expect(pickCentres(3).map((c) => c.network)).toEqual(["smart-work-centre", "smile", "coffee"]);
    expect(pickCentres(16)).toHaveLength(16);
    expect(new Set(pickCentres(11).map((c) => c.id)).size).toBe(11);
  });
});
