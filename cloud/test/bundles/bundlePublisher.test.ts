import {
  applyDelta,
  canonicalJson,
  type DeltaBundle,
  type FullBundle,
  generateSigningKeyPair,
  openBundle,
  privateKeyFromPem,
  topicFor,
  trustedKeysFromPem,
} from "@passerelle/protocol";
import { Registry } from "prom-client";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { BundlePublisher, type BundlePublisherConfig } from "../../src/bundles/bundlePublisher.js";
import {
  FakeBus,
  InMemoryAccessRules,
  InMemoryVersionStore,
  silentLogger,
} from "../mocks/mqttPorts.js";
import { metricValue } from "../mocks/waitFor.js";
import { hashOf, now, reduInput } from "./centreFixture.js";

const keys = generateSigningKeyPair();
const trustedKeys = trustedKeysFromPem([keys.publicKeyPem]);
const signingKey = { privateKey: privateKeyFromPem(keys.privateKeyPem) };

let bus: FakeBus;
let source: InMemoryAccessRules;
let versions: InMemoryVersionStore;
let registry: Registry;
let clock: { ms: number; now(): number };
let publisher: BundlePublisher;

function makePublisher(config: BundlePublisherConfig = {}) {
  return new BundlePublisher({
    bus,
    source,
    versions,
    signingKey,
    logger: silentLogger,
    metrics: registry,
    clock,
    config: { compileAllOnStart: false, ...config },
  });
}

const open = (frame: Buffer, heldVersion: number | null) =>
  openBundle(frame, { trustedKeys, heldVersion, centre: "redu", now: clock.now() });

const fullsTo = (gatewayId: string) => bus.on(topicFor(gatewayId, "bundle"));
const deltasTo = (gatewayId: string) => bus.on(topicFor(gatewayId, "bundleDelta"));

function revokeNetworkBadge() {
  source.update("redu", (input) => ({
    ...input,
    badges: input.badges.map((b) =>
      b.credentialHash === hashOf("0402") ? { ...b, revokedAt: clock.now() } : b,
    ),
  }));
}

beforeEach(() => {
  bus = new FakeBus();
  source = new InMemoryAccessRules().set(reduInput(), ["gw-redu-1", "gw-redu-2"]);
  versions = new InMemoryVersionStore();
  registry = new Registry();
  clock = {
    ms: now,
    now() {
      return this.ms;
    },
  };
  publisher = makePublisher();
});

afterEach(async () => {
  vi.useRealTimers();
  await publisher.stop();
});

describe("BundlePublisher", () => {
  it("coalesces changes within 200 ms into one compilation", async () => {
    vi.useFakeTimers();
    publisher.onAccessRulesChanged(["redu"]);
    await vi.advanceTimersByTimeAsync(50);
    publisher.onAccessRulesChanged(["redu"]);
    await vi.advanceTimersByTimeAsync(100);
    publisher.onAccessRulesChanged(["redu", "redu"]);
    expect(source.loads).toBe(0);
    await vi.advanceTimersByTimeAsync(50);
    expect(source.loads).toBe(1);
    revokeNetworkBadge();
    publisher.onAccessRulesChanged(["redu"]);
    await vi.advanceTimersByTimeAsync(199);
    expect(source.loads).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(source.loads).toBe(2);
  });

  it("publishes a signed full bundle, retained, to every gateway of the centre", async () => {
    publisher.onAccessRulesChanged(["redu"]);
    await publisher.settle();
    for (const gateway of ["gw-redu-1", "gw-redu-2"]) {
      const [full] = fullsTo(gateway);
      expect(full?.options).toEqual({ qos: 1, retain: true });
      const bundle = open(full?.payload ?? Buffer.alloc(0), null) as FullBundle;
      expect(bundle).toMatchObject({ type: "bundle.full", centre: "redu", version: 1 });
      expect(bundle.credentials).toHaveLength(6);
      expect(deltasTo(gateway)).toEqual([]); // nothing to diff against yet
    }
    expect(publisher.latest("redu")?.version).toBe(1);
  });

  it("continues from the persisted version and publishes a delta, then the full bundle", async () => {
    versions.versions.set("redu", 41);
    publisher.onAccessRulesChanged(["redu"]);
    await publisher.settle();
    const first = open(fullsTo("gw-redu-1")[0]?.payload ?? Buffer.alloc(0), 41) as FullBundle;
    expect(first.version).toBe(42);

    revokeNetworkBadge();
    publisher.onAccessRulesChanged(["redu"]);
    await publisher.settle();
    expect(await versions.current("redu")).toBe(43);
    const deltaMessage = deltasTo("gw-redu-1")[0];
    expect(deltaMessage?.options).toEqual({ qos: 1, retain: false });
    const delta = open(deltaMessage?.payload ?? Buffer.alloc(0), 42) as DeltaBundle;
    expect(delta).toMatchObject({ type: "bundle.delta", fromVersion: 42, version: 43, remove: [] });
    expect(delta.upsert).toEqual([
      expect.objectContaining({ hash: hashOf("0402"), status: "revoked" }),
    ]);
    const second = open(fullsTo("gw-redu-1")[1]?.payload ?? Buffer.alloc(0), 42) as FullBundle;
    expect(canonicalJson(applyDelta(first, delta))).toBe(canonicalJson(second));
    // The delta goes out before the retained full bundle of the same version.
    const order = bus.published.filter((m) => m.topic.includes("gw-redu-1")).map((m) => m.topic);
    expect(order).toEqual([
      topicFor("gw-redu-1", "bundle"),
      topicFor("gw-redu-1", "bundleDelta"),
      topicFor("gw-redu-1", "bundle"),
    ]);
  });

  it("issues no version when a change left this centre's access as it was", async () => {
    publisher.onAccessRulesChanged(["redu"]);
    await publisher.settle();
    publisher.onAccessRulesChanged(["redu"]);
    await publisher.settle();
    expect(source.loads).toBe(2);
    expect(await versions.current("redu")).toBe(1);
    expect(fullsTo("gw-redu-1")).toHaveLength(1);
    expect(
      await metricValue(registry, "passerelle_bundles_compiled_total", { outcome: "unchanged" }),
    ).toBe(1);
  });

  it("re-issues an unchanged bundle at the refresh when it nears valid-until", async () => {
    publisher.onAccessRulesChanged(["redu"]);
    await publisher.settle();
    clock.ms += 60 * 60 * 1000;
    await publisher.refreshAll(false);
    expect(await versions.current("redu")).toBe(1); // fresh: nothing to do
    clock.ms += 4 * 24 * 60 * 60 * 1000;
    await publisher.refreshAll(false);
    expect(await versions.current("redu")).toBe(2);
    const delta = open(deltasTo("gw-redu-1")[0]?.payload ?? Buffer.alloc(0), 1) as DeltaBundle;
    expect(delta.validUntil).toBe(new Date(clock.ms + 7 * 24 * 60 * 60 * 1000).toISOString());
  });

  it("compiles every centre at start", async () => {
    source.set({ ...reduInput(), centre: { ...reduInput().centre, id: "namur" } }, ["gw-namur"]);
    publisher = makePublisher({ compileAllOnStart: true });
    publisher.start();
    await publisher.settle();
    await vi.waitFor(() => expect(fullsTo("gw-namur")).toHaveLength(1));
    expect(fullsTo("gw-redu-2")).toHaveLength(1);
  });

  it("answers a bundle request with the full bundle to that gateway only", async () => {
    publisher.onAccessRulesChanged(["redu"]);
    await publisher.settle();
    publisher.onBundleRequest(
      { gatewayId: "gw-redu-2", centreId: "redu" },
      { heldVersion: null, reason: "start" },
    );
    await publisher.settle();
    expect(fullsTo("gw-redu-2")).toHaveLength(2);
    expect(fullsTo("gw-redu-1")).toHaveLength(1);
    expect(
      fullsTo("gw-redu-2")[1]?.payload.equals(fullsTo("gw-redu-2")[0]?.payload ?? Buffer.alloc(0)),
    ).toBe(true);
  });

  it("compiles on a bundle request when nothing was compiled since start", async () => {
    publisher.onBundleRequest(
      { gatewayId: "gw-redu-1", centreId: "redu" },
      { heldVersion: 3, reason: "start" },
    );
    await publisher.settle();
    expect(fullsTo("gw-redu-1")).toHaveLength(1);
  });

  it("answers a gateway asking in a loop at most once per interval", async () => {
    vi.useFakeTimers();
    publisher.onAccessRulesChanged(["redu"]);
    await publisher.settle();
    const gateway = { gatewayId: "gw-redu-1", centreId: "redu" };
    for (let i = 0; i < 10; i += 1)
      publisher.onBundleRequest(gateway, { heldVersion: 1, reason: "rejected" });
    await publisher.settle();
    expect(fullsTo("gw-redu-1")).toHaveLength(2); // the compile, and one immediate answer
    clock.ms += 1000;
    await vi.advanceTimersByTimeAsync(1000);
    await publisher.settle();
    expect(fullsTo("gw-redu-1")).toHaveLength(3); // one deferred answer for the nine others
  });

  it("survives a failing source and a refused version, and publishes nothing unversioned", async () => {
    const load = source.loadCentre.bind(source);
    source.loadCentre = async () => {
      throw new Error("database is down");
    };
    publisher.onAccessRulesChanged(["redu"]);
    await publisher.settle();
    expect(
      await metricValue(registry, "passerelle_bundles_failures_total", { stage: "load" }),
    ).toBe(1);
    source.loadCentre = load;
    versions.commit = async () => {
      throw new Error("version conflict");
    };
    publisher.onAccessRulesChanged(["redu"]);
    await publisher.settle();
    expect(bus.published).toEqual([]);
    expect(
      await metricValue(registry, "passerelle_bundles_failures_total", { stage: "version" }),
    ).toBe(1);
  });
});
