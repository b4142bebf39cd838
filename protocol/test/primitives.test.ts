import { describe, expect, it } from "vitest";
import {
  canonicalJson,
  chainHash,
  credentialHash,
  genesisHash,
  normaliseUidHex,
  uuidv7,
  uuidv7Time,
  validators,
  verifyChain,
} from "../src/index.js";
import { salt } from "./fixtures.js";

describe("canonical JSON", () => {
  it("sorts keys at every depth and drops undefined members", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[2,{"y":2,"z":1}]},"b":1}',
    );
  });
  it("refuses what JSON cannot carry faithfully", () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson({ a: 1n })).toThrow(TypeError);
  });
});

describe("credential hashing", () => {
  it("is keyed, stable and blind to UID formatting", () => {
    const hash = credentialHash("04:a1:b2:c3:d4:e5:f6", salt);
    expect(hash).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(credentialHash("04A1B2C3D4E5F6", salt)).toBe(hash);
    expect(credentialHash(Buffer.from("04a1b2c3d4e5f6", "hex"), salt)).toBe(hash);
    expect(credentialHash("04A1B2C3D4E5F6", "b".repeat(43))).not.toBe(hash);
    expect(credentialHash("04A1B2C3D4E5F7", salt)).not.toBe(hash);
    expect(hash).not.toContain("04A1B2");
  });
  it("refuses text that is no UID", () => {
    expect(() => normaliseUidHex("04A1B")).toThrow(TypeError);
    expect(() => normaliseUidHex("zz")).toThrow(TypeError);
    expect(() => normaliseUidHex("")).toThrow(TypeError);
  });
});

describe("UUIDv7 event ids", () => {
  it("carries the time, the version and the variant, and sorts in creation order", () => {
    const now = Date.parse("2026-11-23T08:00:00.000Z");
    const ids = Array.from({ length: 5000 }, () => uuidv7(now));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    for (const id of ids.slice(0, 10)) {
      expect(validators.events.check({ events: [] })).toBe(false);
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    expect(uuidv7Time(ids[0] ?? "")).toBeGreaterThanOrEqual(now);
  });
  it("stays ordered when the clock steps back", () => {
    const a = uuidv7(Date.parse("2026-11-23T09:00:00.000Z"));
    const b = uuidv7(Date.parse("2026-11-23T08:00:00.000Z"));
    expect(b > a).toBe(true);
  });
});

describe("audit hash chain", () => {
  function chain(entries: unknown[]) {
    let previousHash = genesisHash;
    return entries.map((entry) => {
      const hash = chainHash(previousHash, entry);
      const link = { entry, previousHash, hash };
      previousHash = hash;
      return link;
    });
  }

  it("verifies an intact chain", async () => {
    const links = chain([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(await verifyChain(links)).toEqual({ ok: true, checked: 3, lastHash: links[2]?.hash });
  });

  it("names the first altered, removed or reordered entry", async () => {
    const links = chain([{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }]);
    const altered = links.map((l, i) => (i === 2 ? { ...l, entry: { n: 33 } } : l));
    expect(await verifyChain(altered)).toMatchObject({ ok: false, brokenAt: 2, why: "hash" });
    const removed = links.filter((_, i) => i !== 1);
    expect(await verifyChain(removed)).toMatchObject({
      ok: false,
      brokenAt: 1,
      why: "previous-hash",
    });
    const swapped = [links[0], links[2], links[1], links[3]].filter((l) => l !== undefined);
    expect(await verifyChain(swapped)).toMatchObject({ ok: false, brokenAt: 1 });
  });

  it("reads an async stream of rows", async () => {
    const links = chain([{ n: 1 }, { n: 2 }]);
    async function* rows() {
      yield* links;
    }
    expect((await verifyChain(rows())).ok).toBe(true);
  });
});
