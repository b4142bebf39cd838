import { describe, expect, it } from "vitest";
import { SeededRandom } from "../../src/scenario/seededRandom.js";

const draw = (random: SeededRandom, n: number) => Array.from({ length: n }, () => random.next());

describe("SeededRandom", () => {
  it("gives the same sequence for the same seed, another for another seed", () => {
    expect(draw(new SeededRandom("redu"), 20)).toEqual(draw(new SeededRandom("redu"), 20));
    expect(draw(new SeededRandom("redu"), 20)).not.toEqual(draw(new SeededRandom("arlon"), 20));
  });

  it("stays in its ranges", () => {
    const random = new SeededRandom(42);
    for (let i = 0; i < 1000; i++) {
      const value = random.int(3, 7);
      expect(value).toBeGreaterThanOrEqual(3);
      expect(value).toBeLessThanOrEqual(7);
      expect(Number.isInteger(value)).toBe(true);
    }
    expect(() => random.pick([])).toThrow(/empty/);
  });

  it("forks sub-streams that do not depend on what the parent drew after", () => {
    const a = new SeededRandom("s");
    const b = new SeededRandom("s");
    const forkA = a.fork("p-0001");
    b.fork("p-0001");
    expect(draw(forkA, 5)).toEqual(draw(new SeededRandom("s").fork("p-0001"), 5));
    expect(draw(a.fork("p-0002"), 5)).not.toEqual(draw(b.fork("p-0003"), 5));
  });
});
