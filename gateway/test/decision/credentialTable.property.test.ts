import { type BundleCredential, encodeCredentials, type PassRule } from "@passerelle/protocol";
import { describe, expect, it } from "vitest";
import { CredentialTable } from "../../src/decision/credentialTable.js";
import { credential } from "./bundleFixtures.js";

/** mulberry32: the same seed gives the same bundles and deltas on every run. */
function seeded(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)] as T;
  return { next, int, pick };
}
type Random = ReturnType<typeof seeded>;

const doorChoices = [[], ["main"], ["main", "office"], ["office"], ["a.1", "b-2", "c:3"]];
const passChoices: PassRule[][] = [
  [],
  [{ from: "2026-01-01T00:00:00.000Z", to: "2027-01-01T00:00:00.000Z", hours: "opening-hours" }],
  [
    { from: "2026-01-01T00:00:00.000Z", to: "2026-07-01T00:00:00.000Z", hours: "opening-hours" },
    { from: "2026-07-01T00:00:00.000Z", to: "2027-01-01T00:00:00.000Z", hours: "opening-hours" },
  ],
];
// Member ids of every shape the Id pattern allows: one character, signs inside, long ones.
const memberAlphabet = "abcXYZ019._:-";
function memberId(random: Random): string {
  let id = random.pick(["m", "7", "Q", "m-", "demo-"]);
  for (let n = random.int(0, random.pick([0, 3, 12, 60])); n > 0; n -= 1) {
    id += memberAlphabet[random.int(0, memberAlphabet.length - 1)];
  }
  return id.slice(0, 64);
}

function randomCredential(random: Random, uid: string): BundleCredential {
  const revoked = random.next() < 0.15;
  return credential(uid, {
    member: memberId(random),
    status: revoked ? "revoked" : "active",
    doors: revoked ? [] : [...random.pick(doorChoices)],
    passes: revoked ? [] : [...random.pick(passChoices)],
    staff: random.next() < 0.1,
    offlineStaff: random.next() < 0.05,
  });
}

/** What the engine reads of one credential, from the object form (the model's side). */
const expected = (c: BundleCredential) => ({
  member: c.member,
  revoked: c.status === "revoked",
  staff: c.staff,
  offlineStaff: c.offlineStaff,
  doors: [...c.doors].sort(),
  passes: c.passes.map((p) => [Date.parse(p.from), Date.parse(p.to)]),
});

function actual(table: CredentialTable, row: number) {
  return {
    member: table.member(row),
    revoked: table.isRevoked(row),
    staff: table.isStaff(row),
    offlineStaff: table.isOfflineStaff(row),
    doors: [...table.doors(row)].sort(),
    passes: table.passes(row).map((p) => [p.from, p.to]),
  };
}

function assertSame(table: CredentialTable, model: Map<string, BundleCredential>, at: string) {
  expect(table.size, `${at}: size`).toBe(model.size);
  expect([...table.keys()].sort(), `${at}: hashes`).toEqual([...model.keys()].sort());
  for (const [hash, c] of model) {
    const row = table.find(hash);
    expect(row, `${at}: ${c.member} found`).toBeGreaterThanOrEqual(0);
    expect(actual(table, row), `${at}: row of ${hash}`).toEqual(expected(c));
  }
}

/** Uids are drawn from a small pool, so deltas upsert and remove hashes the table holds. */
const uidOf = (n: number) => n.toString(16).toUpperCase().padStart(4, "0");

describe("credential table against a plain Map (seeded random bundles and deltas)", () => {
  for (let seed = 1; seed <= 60; seed += 1) {
    it(`seed ${seed}`, () => {
      const random = seeded(seed);
      const pool = random.pick([3, 20, 200]);
      const credentials = Array.from({ length: random.int(0, pool) }, () =>
        randomCredential(random, uidOf(random.int(0, pool))),
      );
      // A bundle that gives a hash twice keeps the later entry: the model does the same.
      const model = new Map(credentials.map((c) => [c.hash, c]));
      let table = CredentialTable.fromColumns(encodeCredentials(credentials));
      assertSame(table, model, "full");
      for (let step = 1; step <= 12; step += 1) {
        const held = [...model.keys()];
        const remove = new Set<string>();
        const upsert = new Map<string, BundleCredential>();
        const shape = random.int(0, 5);
        if (shape === 0) {
          for (const hash of held) remove.add(hash); // every row goes: the kept set is empty
        } else if (shape === 1 && held.length > 0) {
          // The first and last rows of the table, whatever order the Map keeps.
          const rows = held
            .map((hash) => [table.find(hash), hash] as const)
            .sort((a, b) => a[0] - b[0]);
          remove.add((rows[0] as readonly [number, string])[1]);
          remove.add((rows[rows.length - 1] as readonly [number, string])[1]);
        } else {
          for (let n = random.int(0, 6); n > 0; n -= 1) {
            if (held.length > 0 && random.next() < 0.7) remove.add(random.pick(held));
            else remove.add(credential(uidOf(random.int(0, pool * 2))).hash); // unknown hash
          }
        }
        for (let n = random.int(0, 8); n > 0; n -= 1) {
          const c = randomCredential(random, uidOf(random.int(0, pool * 2)));
          if (remove.has(c.hash)) continue; // the cloud's diff never removes what it upserts
          upsert.set(c.hash, c);
        }
        for (const hash of remove) model.delete(hash);
        for (const [hash, c] of upsert) model.set(hash, c);
        table = table.withDelta(encodeCredentials([...upsert.values()]), [...remove].join(""));
        assertSame(table, model, `delta ${step}`);
      }
    });
  }
});
