/**
 * A small seeded generator (mulberry32): the same seed gives the same people, the same routines
 * and the same day, on every machine. Not for secrets: the cloud's own secrets use node:crypto.
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number | string) {
    this.state = typeof seed === "number" ? seed >>> 0 : hashSeed(seed);
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("cannot pick from an empty list");
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Around `mean`, spread by `deviation` (sum of uniforms: bell-shaped, bounded at ±2σ·√3). */
  around(mean: number, deviation: number): number {
    const u = (this.next() + this.next() + this.next() + this.next() - 2) / 2;
    return mean + u * deviation * Math.sqrt(3);
  }

  /** A generator for one sub-stream (one person, one day), independent of draw order elsewhere. */
  fork(label: string): SeededRandom {
    return new SeededRandom(hashSeed(`${this.state}:${label}`));
  }
}

/** FNV-1a over the seed's text. */
export function hashSeed(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
