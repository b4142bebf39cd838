import { createPrivateKey } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  canonicalJson,
  type DeltaBundle,
  encodeFullBundle,
  type FullBundle,
  generateSigningKeyPair,
  signDeltaBundle,
  signDocument,
  signFullBundle,
  trustedKeysFromPem,
} from "@passerelle/protocol";
import { beforeEach, describe, expect, it } from "vitest";
import { BundleStore } from "../../src/bundleStore/bundleStore.js";
import { silentLogger } from "../../src/core/logger.js";
import { bundle, credential } from "../decision/bundleFixtures.js";

const pair = generateSigningKeyPair();
const key = createPrivateKey(pair.privateKeyPem);
const trustedKeys = trustedKeysFromPem([pair.publicKeyPem]);

function delta(fromVersion: number, overrides: Partial<DeltaBundle> = {}): DeltaBundle {
  return {
    type: "bundle.delta",
    centre: "redu",
    fromVersion,
    version: fromVersion + 1,
    issuedAt: "2026-03-03T08:00:00.000Z",
    validUntil: "2027-01-01T00:00:00.000Z",
    upsert: [credential("0B0B", { staff: true })],
    remove: [],
    ...overrides,
  };
}

/** A bundle the cloud could never sign through signFullBundle: its member column is one short. */
function signedMalformed(full: FullBundle): Buffer {
  const compact = encodeFullBundle(full);
  compact.credentials.members = compact.credentials.members.split(",")[0] ?? "";
  return signDocument("bundle.full", canonicalJson(compact), key);
}

describe("bundle store", () => {
  let directory: string;
  let now: number;
  let requests: string[];
  let rejections: string[];

  function store() {
    return new BundleStore({
      directory,
      centre: "redu",
      trustedKeys,
      now: () => now,
      logger: silentLogger,
      requestFull: (reason) => requests.push(reason),
      onRejected: (code) => rejections.push(code),
      minRequestIntervalMs: 10_000,
    });
  }

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), "gw-bundles-"));
    now = Date.parse("2026-03-03T09:00:00Z");
    requests = [];
    rejections = [];
  });

  it("asks for a full bundle at a first start", () => {
    const s = store();
    s.load();
    expect(s.current()).toBeNull();
    expect(requests).toEqual(["start"]);
  });

  it("applies a good bundle, persists it, and loads it again at the next start", () => {
    const s = store();
    s.receiveFull(signFullBundle(bundle([credential("0A0A")]), key));
    expect(s.current()?.version).toBe(3);
    const restarted = store();
    restarted.load();
    expect(restarted.current()?.version).toBe(3);
    expect(restarted.current()?.credentials.size).toBe(1);
  });

  it("refuses a forged, truncated, older, foreign or expired bundle and keeps the one in force", () => {
    const s = store();
    s.receiveFull(signFullBundle(bundle([credential("0A0A")], { version: 5 }), key));
    const good = signFullBundle(bundle([], { version: 6 }), key);
    const forged = Buffer.from(good);
    forged[forged.length - 10] = (forged[forged.length - 10] ?? 0) ^ 0x04;
    const otherKey = createPrivateKey(generateSigningKeyPair().privateKeyPem);
    const cases: [Buffer, string][] = [
      [forged, "signature.invalid"],
      [good.subarray(0, good.length - 20), "signature.invalid"],
      [signFullBundle(bundle([], { version: 6 }), otherKey), "signature.unknown-key"],
      [signFullBundle(bundle([], { version: 4 }), key), "bundle.not-newer"],
      [signFullBundle(bundle([], { version: 7, centre: "arlon" }), key), "bundle.wrong-centre"],
      [
        signFullBundle(bundle([], { version: 8, validUntil: "2026-03-03T08:59:59.000Z" }), key),
        "bundle.expired",
      ],
      // Signed by the right key, yet its columns disagree: one member id for two hashes.
      [
        signedMalformed(bundle([credential("0B0B"), credential("0C0C")], { version: 9 })),
        "payload.schema",
      ],
    ];
    for (const [frame, code] of cases) {
      s.receiveFull(frame);
      expect(s.status().lastRejection?.code, code).toBe(code);
      expect(s.current()?.version).toBe(5);
      expect(s.current()?.credentials.size).toBe(1);
    }
    expect(rejections).toEqual(cases.map(([, code]) => code));
  });

  it("takes the retained bundle it already holds silently", () => {
    const s = store();
    const frame = signFullBundle(bundle([]), key);
    s.receiveFull(frame);
    s.receiveFull(frame);
    expect(rejections).toEqual([]);
  });

  it("takes the full bundle of the version a delta just gave as the new base, with no event", () => {
    const applied: number[] = [];
    const s = new BundleStore({
      directory,
      centre: "redu",
      trustedKeys,
      now: () => now,
      logger: silentLogger,
      requestFull: (reason) => requests.push(reason),
      onApplied: (index) => applied.push(index.version),
      onRejected: (code) => rejections.push(code),
    });
    s.receiveFull(signFullBundle(bundle([credential("0A0A")]), key));
    s.receiveDelta(signDeltaBundle(delta(3), key));
    // What the cloud publishes right after the delta, and the broker again at each reconnect.
    const sameVersion = signFullBundle(
      bundle([credential("0A0A"), credential("0B0B", { staff: true })], { version: 4 }),
      key,
    );
    s.receiveFull(sameVersion);
    s.receiveFull(sameVersion);
    expect(rejections).toEqual([]);
    expect(applied).toEqual([3, 4]);
    expect(s.current()?.version).toBe(4);
    expect(s.current()?.credentials.size).toBe(2);
    expect(readdirSync(directory).filter((name) => name.startsWith("bundle.delta"))).toEqual([]);
    expect(readFileSync(join(directory, "bundle.full")).equals(sameVersion)).toBe(true);
    const restarted = store();
    restarted.load();
    expect(restarted.current()?.version).toBe(4);
    expect(restarted.current()?.credentials.size).toBe(2);
    // An older one is still refused: it is not the same news, it is stale.
    s.receiveFull(signFullBundle(bundle([], { version: 3 }), key));
    expect(rejections).toEqual(["bundle.not-newer"]);
    expect(s.current()?.credentials.size).toBe(2);
  });

  it("applies deltas in order, persists them, and replays them at start", () => {
    const s = store();
    s.receiveFull(signFullBundle(bundle([credential("0A0A")]), key));
    s.receiveDelta(signDeltaBundle(delta(3), key));
    s.receiveDelta(
      signDeltaBundle(delta(4, { upsert: [], remove: [credential("0A0A").hash] }), key),
    );
    expect(s.current()?.version).toBe(5);
    expect([...(s.current()?.credentials.keys() ?? [])]).toEqual([credential("0B0B").hash]);
    const restarted = store();
    restarted.load();
    expect(restarted.current()?.version).toBe(5);
    expect(restarted.current()?.credentials.size).toBe(1);
    // A new full bundle replaces the deltas on disk.
    s.receiveFull(signFullBundle(bundle([], { version: 9 }), key));
    expect(readdirSync(directory).filter((name) => name.startsWith("bundle.delta"))).toEqual([]);
  });

  it("starts on the new full bundle when a power cut left the deltas it replaced on disk", () => {
    const s = store();
    s.receiveFull(signFullBundle(bundle([credential("0A0A")]), key));
    s.receiveDelta(signDeltaBundle(delta(3), key));
    const leftoverName = "bundle.delta.000000000004";
    const leftover = readFileSync(join(directory, leftoverName));
    s.receiveFull(signFullBundle(bundle([], { version: 9 }), key));
    // The cut fell between writing the new full frame and deleting the old chain.
    writeFileSync(join(directory, leftoverName), leftover);
    const restarted = store();
    restarted.load();
    expect(restarted.current()?.version).toBe(9);
    expect(restarted.status().lastRejection).toBeNull();
    expect(readdirSync(directory)).not.toContain(leftoverName);
  });

  it("asks for a full bundle on a delta gap, or a delta with nothing held", () => {
    const empty = store();
    empty.receiveDelta(signDeltaBundle(delta(3), key));
    expect(requests).toEqual(["gap"]);
    const s = store();
    s.receiveFull(signFullBundle(bundle([]), key));
    now += 60_000;
    s.receiveDelta(signDeltaBundle(delta(5), key));
    expect(s.current()?.version).toBe(3);
    expect(s.status().lastRejection?.code).toBe("bundle.delta-gap");
    expect(requests).toEqual(["gap", "gap"]);
  });

  it("refuses a corrupt bundle on disk, reports it and asks for a new one", () => {
    writeFileSync(join(directory, "bundle.full"), "{ not a signed bundle");
    const s = store();
    s.load();
    expect(s.current()).toBeNull();
    expect(s.status().lastRejection?.code).toBe("signature.malformed");
    expect(requests).toContain("start");
  });

  it("keeps an expired bundle from disk in force (offline staff still open)", () => {
    const s = store();
    s.receiveFull(signFullBundle(bundle([], { validUntil: "2026-03-04T00:00:00.000Z" }), key));
    now = Date.parse("2026-03-10T00:00:00Z");
    const restarted = store();
    restarted.load();
    expect(restarted.current()?.version).toBe(3);
  });

  it("does not loop requests when the cloud keeps sending what it refuses", () => {
    const s = store();
    const other = createPrivateKey(generateSigningKeyPair().privateKeyPem);
    for (let i = 0; i < 5; i += 1)
      s.receiveFull(signFullBundle(bundle([], { version: 10 + i }), other));
    expect(requests).toEqual(["rejected"]);
    now += 10_000;
    s.receiveFull(signFullBundle(bundle([], { version: 20 }), other));
    expect(requests).toEqual(["rejected", "rejected"]);
  });
});
