import { createPrivateKey } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type BundleCredential,
  type DeltaBundle,
  encodeCredentials,
  generateSigningKeyPair,
  type PassRule,
  signDeltaBundle,
  signFullBundle,
  trustedKeysFromPem,
} from "@passerelle/protocol";
import { describe, expect, it } from "vitest";
import { BundleStore } from "../../src/bundleStore/bundleStore.js";
import { silentLogger } from "../../src/core/logger.js";
import { CredentialTable } from "../../src/decision/credentialTable.js";
import { bundle, credential } from "./bundleFixtures.js";

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

/** A random delta against what the model holds: every shape the brief of this test lists. */
function randomDelta(
  random: Random,
  table: CredentialTable,
  model: ReadonlyMap<string, BundleCredential>,
  pool: number,
) {
  const held = [...model.keys()];
  const remove = new Set<string>();
  const upsert = new Map<string, BundleCredential>();
  const shape = random.int(0, 5);
  if (shape === 0) {
    for (const hash of held) remove.add(hash); // every row goes: the kept set is empty
  } else if (shape === 1 && held.length > 0) {
    // The first and last rows of the table, whatever order the Map keeps.
    const rows = held.map((hash) => [table.find(hash), hash] as const).sort((a, b) => a[0] - b[0]);
    remove.add((rows[0] as readonly [number, string])[1]);
    remove.add((rows[rows.length - 1] as readonly [number, string])[1]);
  } else {
    for (let n = random.int(0, 6); n > 0; n -= 1) {
      if (held.length > 0 && random.next() < 0.7) remove.add(random.pick(held));
      else remove.add(credential(uidOf(random.int(0, pool * 2))).hash); // unknown hash
    }
  }
  // Upserts: new hashes, and hashes held (changed or even unchanged).
  for (let n = random.int(0, 8); n > 0; n -= 1) {
    const c = randomCredential(random, uidOf(random.int(0, pool * 2)));
    if (remove.has(c.hash)) continue; // the cloud's diff never removes what it upserts
    upsert.set(c.hash, c);
  }
  return { upsert: [...upsert.values()], remove: [...remove] };
}

const byHash = (a: BundleCredential, b: BundleCredential) => (a.hash < b.hash ? -1 : 1);

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
        const { upsert, remove } = randomDelta(random, table, model, pool);
        for (const hash of remove) model.delete(hash);
        for (const c of upsert) model.set(c.hash, c);
        table = table.withDelta(encodeCredentials(upsert), remove.join(""));
        assertSame(table, model, `delta ${step}`);
      }
    });
  }
});

describe("the same, through signed frames, the bundle store and a restart", () => {
  const pair = generateSigningKeyPair();
  const key = createPrivateKey(pair.privateKeyPem);
  const trustedKeys = trustedKeysFromPem([pair.publicKeyPem]);

  for (let seed = 101; seed <= 115; seed += 1) {
    it(`seed ${seed}`, () => {
      const random = seeded(seed);
      const pool = random.pick([20, 300]);
      const directory = mkdtempSync(join(tmpdir(), "gw-bundles-property-"));
      const store = () =>
        new BundleStore({
          directory,
          centre: "redu",
          trustedKeys,
          now: () => Date.parse("2026-03-03T09:00:00Z"),
          logger: silentLogger,
          requestFull: () => undefined,
          onRejected: (code, message) => expect.fail(`${code}: ${message}`),
        });
      // As the cloud compiles: one entry per hash, sorted by hash.
      const first = new Map<string, BundleCredential>();
      for (let n = random.int(0, pool); n > 0; n -= 1) {
        const c = randomCredential(random, uidOf(random.int(0, pool)));
        first.set(c.hash, c);
      }
      const model = new Map(first);
      const s = store();
      s.receiveFull(signFullBundle(bundle([...first.values()].sort(byHash), { version: 1 }), key));
      for (let version = 2; version <= 10; version += 1) {
        const table = s.current()?.credentials as CredentialTable;
        const { upsert, remove } = randomDelta(random, table, model, pool);
        for (const hash of remove) model.delete(hash);
        for (const c of upsert) model.set(c.hash, c);
        const delta: DeltaBundle = {
          type: "bundle.delta",
          centre: "redu",
          fromVersion: version - 1,
          version,
          issuedAt: "2026-03-03T08:00:00.000Z",
          validUntil: "2027-01-01T00:00:00.000Z",
          upsert: upsert.sort(byHash),
          remove: remove.sort(),
        };
        s.receiveDelta(signDeltaBundle(delta, key));
        expect(s.current()?.version).toBe(version);
        assertSame(s.current()?.credentials as CredentialTable, model, `delta ${version}`);
        if (random.next() < 0.3) {
          // The cloud's retained full bundle of the same version, right after its delta.
          const full = bundle([...model.values()].sort(byHash), { version });
          s.receiveFull(signFullBundle(full, key));
          assertSame(s.current()?.credentials as CredentialTable, model, `full ${version}`);
        }
      }
      // The restart replays the full frame and every delta from disk.
      const restarted = store();
      restarted.load();
      assertSame(restarted.current()?.credentials as CredentialTable, model, "after restart");
    });
  }
});
