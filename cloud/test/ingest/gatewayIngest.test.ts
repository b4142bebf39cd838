import { type BundleRequest, decodeMessage, encodeMessage, topicFor } from "@passerelle/protocol";
import { Registry } from "prom-client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GatewayIngest } from "../../src/ingest/gatewayIngest.js";
import { GatewayStatusBoard } from "../../src/occupancy/gatewayStatusBoard.js";
import { LiveOccupancy } from "../../src/occupancy/liveOccupancy.js";
import type { GatewayIdentity } from "../../src/ports/gatewayCredentials.js";
import { eventsPayload, onlineStatus } from "../mocks/gatewayMessages.js";
import { FakeBus, InMemoryEventSink, InMemoryGateways, silentLogger } from "../mocks/mqttPorts.js";
import { metricValue, sleep, until } from "../mocks/waitFor.js";

const eventsTopic = topicFor("gw-a", "events");
const ackTopic = topicFor("gw-a", "ack");

let journal: string[];
let bus: FakeBus;
let sink: InMemoryEventSink;
let gateways: InMemoryGateways;
let registry: Registry;
let occupancy: LiveOccupancy;
let statuses: GatewayStatusBoard;
let bundleRequests: Array<{ identity: GatewayIdentity; request: BundleRequest }>;
let ingest: GatewayIngest;

beforeEach(async () => {
  journal = [];
  bus = new FakeBus(journal);
  sink = new InMemoryEventSink(journal);
  gateways = new InMemoryGateways()
    .add("gw-a", "redu", "a")
    .add("gw-b", "redu", "b")
    .add("gw-n", "namur", "n");
  registry = new Registry();
  occupancy = new LiveOccupancy();
  statuses = new GatewayStatusBoard();
  bundleRequests = [];
  ingest = new GatewayIngest({
    bus,
    registry: gateways,
    sink,
    occupancy,
    gateways: statuses,
    bundleRequests: {
      onBundleRequest: (identity, request) => void bundleRequests.push({ identity, request }),
    },
    logger: silentLogger,
    metrics: registry,
  });
  await ingest.start();
});

afterEach(() => ingest.stop());

const acksOn = (topic: string) => bus.on(topic).map((m) => decodeMessage("ack", m.payload).upToSeq);

const rejected = (kind: string, reason: string) =>
  metricValue(registry, "passerelle_ingest_rejected_total", { kind, reason });

describe("GatewayIngest: events", () => {
  it("subscribes to the four gateway-to-cloud kinds of every gateway", () => {
    expect(bus.filters.sort()).toEqual([
      "passerelle/v1/gw/+/bundle/request",
      "passerelle/v1/gw/+/events",
      "passerelle/v1/gw/+/occupancy",
      "passerelle/v1/gw/+/status",
    ]);
  });

  it("stores a valid batch once and acks its highest seq only after the commit", async () => {
    const release = sink.hold();
    bus.deliver(eventsTopic, eventsPayload("redu", [1, 2, 3]));
    await sleep(30);
    expect(bus.on(ackTopic)).toEqual([]); // the commit is still open: no ack yet
    release();
    await until(() => bus.on(ackTopic).length === 1);
    expect(sink.eventsOf("gw-a").map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(acksOn(ackTopic)).toEqual([3]);
    expect(bus.on(ackTopic)[0]?.options).toEqual({ qos: 1 });
    expect(journal).toEqual(["commit:gw-a:3", `publish:${ackTopic}`]);
  });

  it("stores a re-sent batch once and acks it again", async () => {
    bus.deliver(eventsTopic, eventsPayload("redu", [1, 2, 3]));
    await until(() => bus.on(ackTopic).length === 1);
    bus.deliver(eventsTopic, eventsPayload("redu", [1, 2, 3]));
    await until(() => bus.on(ackTopic).length === 2);
    expect(sink.rows.size).toBe(3);
    expect(acksOn(ackTopic)).toEqual([3, 3]);
    expect(await metricValue(registry, "passerelle_ingest_events_stored_total")).toBe(3);
    expect(await metricValue(registry, "passerelle_ingest_events_duplicate_total")).toBe(3);
  });

  it("commits messages of several gateways arriving together in one transaction", async () => {
    bus.deliver(eventsTopic, eventsPayload("redu", [1, 2]));
    bus.deliver(topicFor("gw-b", "events"), eventsPayload("redu", [7]));
    bus.deliver(topicFor("gw-n", "events"), eventsPayload("namur", [40, 41]));
    await until(() => journal.filter((j) => j.startsWith("publish:")).length === 3);
    expect(sink.commits).toBe(1);
    expect(acksOn(ackTopic)).toEqual([2]);
    expect(acksOn(topicFor("gw-b", "ack"))).toEqual([7]);
    expect(acksOn(topicFor("gw-n", "ack"))).toEqual([41]);
  });

  it("acks nothing when the commit fails, and stores and acks the re-sent batch", async () => {
    sink.failNext();
    bus.deliver(eventsTopic, eventsPayload("redu", [1, 2]));
    await sleep(30);
    expect(bus.on(ackTopic)).toEqual([]);
    expect(await metricValue(registry, "passerelle_ingest_store_failures_total")).toBe(1);
    bus.deliver(eventsTopic, eventsPayload("redu", [1, 2]));
    await until(() => bus.on(ackTopic).length === 1);
    expect(acksOn(ackTopic)).toEqual([2]);
    expect(sink.rows.size).toBe(2);
  });

  it("tells consumers what was committed and how much of it was new", async () => {
    const committed: Array<{ gatewayId: string; seqs: number[]; inserted: number }> = [];
    ingest.on("committed", (c) =>
      committed.push({
        gatewayId: c.gatewayId,
        seqs: c.events.map((e) => e.seq),
        inserted: c.inserted,
      }),
    );
    bus.deliver(eventsTopic, eventsPayload("redu", [1, 2]));
    await until(() => committed.length === 1);
    bus.deliver(eventsTopic, eventsPayload("redu", [1, 2, 3]));
    await until(() => committed.length === 2);
    expect(committed).toEqual([
      { gatewayId: "gw-a", seqs: [1, 2], inserted: 2 },
      { gatewayId: "gw-a", seqs: [1, 2, 3], inserted: 1 },
    ]);
  });

  it("commits and acks what it already received when stopped", async () => {
    bus.deliver(eventsTopic, eventsPayload("redu", [5]));
    await ingest.stop();
    expect(sink.rows.size).toBe(1);
    expect(acksOn(ackTopic)).toEqual([5]);
  });

  it("asks the registry once for many messages of one gateway", async () => {
    for (let seq = 1; seq <= 10; seq += 1) bus.deliver(eventsTopic, eventsPayload("redu", [seq]));
    await until(() => sink.rows.size === 10);
    expect(gateways.lookups).toBe(1);
  });
});

describe("GatewayIngest: bad input is counted, logged and dropped, never stored", () => {
  it.each([
    ["malformed JSON", Buffer.from('{"events": [ '), "payload.not-json"],
    ["a schema failure", Buffer.from(JSON.stringify({ events: [{ seq: 1 }] })), "payload.schema"],
    ["an empty batch", Buffer.from(JSON.stringify({ events: [] })), "payload.schema"],
    ["non-UTF-8 bytes", Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), "payload.not-utf8"],
    ["an oversized payload", Buffer.alloc(1024 * 1024 + 1, 0x20), "payload.too-large"],
  ])("%s", async (_what, payload, reason) => {
    bus.deliver(eventsTopic, payload);
    await sleep(20);
    expect(await rejected("events", reason)).toBe(1);
    expect(sink.rows.size).toBe(0);
    expect(bus.published).toEqual([]);
    // The process and the ingest are alive: the next valid batch goes through.
    bus.deliver(eventsTopic, eventsPayload("redu", [1]));
    await until(() => bus.on(ackTopic).length === 1);
  });

  it("an unknown gateway", async () => {
    bus.deliver(topicFor("gw-ghost", "events"), eventsPayload("redu", [1]));
    bus.deliver(topicFor("gw-ghost", "status"), encodeMessage("status", onlineStatus("redu")));
    await sleep(20);
    expect(await rejected("events", "unknown-gateway")).toBe(1);
    expect(await rejected("status", "unknown-gateway")).toBe(1);
    expect(sink.rows.size).toBe(0);
    expect(statuses.list()).toEqual([]);
    expect(bus.published).toEqual([]);
  });

  it("events, statuses and samples that speak of another centre than the gateway's", async () => {
    bus.deliver(eventsTopic, eventsPayload("namur", [1]));
    bus.deliver(topicFor("gw-a", "status"), encodeMessage("status", onlineStatus("namur")));
    bus.deliver(
      topicFor("gw-a", "occupancy"),
      encodeMessage("occupancy", {
        time: "2026-03-02T08:00:00.000Z",
        centre: "namur",
        inside: 3,
        zones: [],
      }),
    );
    await sleep(20);
    expect(await rejected("events", "foreign-centre")).toBe(1);
    expect(await rejected("status", "foreign-centre")).toBe(1);
    expect(await rejected("occupancy", "foreign-centre")).toBe(1);
    expect(sink.rows.size).toBe(0);
    expect(statuses.list()).toEqual([]);
    expect(occupancy.snapshot()).toEqual([]);
  });

  it("a topic that is not a gateway-to-cloud kind", async () => {
    ingest.receive(topicFor("gw-a", "ack"), encodeMessage("ack", { upToSeq: 1 }));
    ingest.receive("passerelle/v1/gw/NOT VALID/events", eventsPayload("redu", [1]));
    await sleep(20);
    expect(await rejected("ack", "topic.invalid")).toBe(1);
    expect(await rejected("unknown", "topic.invalid")).toBe(1);
    expect(sink.rows.size).toBe(0);
  });

  it("a registry that fails drops the message and keeps going", async () => {
    let failing = true;
    const flaky = new GatewayIngest({
      bus: new FakeBus(),
      registry: {
        lookup: async (id) => {
          if (failing) throw new Error("store down");
          return { gatewayId: id, centreId: "redu" };
        },
      },
      sink,
      occupancy,
      gateways: statuses,
      logger: silentLogger,
      metrics: registry,
      config: { identityCacheMs: 0, batchMaxDelayMs: 1 },
    });
    flaky.receive(eventsTopic, eventsPayload("redu", [1]));
    await sleep(20);
    expect(await rejected("events", "internal-error")).toBe(1);
    failing = false;
    flaky.receive(eventsTopic, eventsPayload("redu", [1]));
    await until(() => sink.rows.size === 1);
    await flaky.stop();
  });
});

describe("GatewayIngest: statuses, occupancy and bundle requests", () => {
  it("tracks a gateway online with its health, then offline from its last will", async () => {
    bus.deliver(topicFor("gw-a", "status"), encodeMessage("status", onlineStatus("redu")));
    await until(() => statuses.get("gw-a") !== undefined);
    expect(statuses.get("gw-a")).toMatchObject({
      centreId: "redu",
      online: true,
      bundleVersion: 12,
      clockTrusted: true,
      outboxDepth: 3,
    });
    bus.deliver(topicFor("gw-a", "status"), encodeMessage("status", { state: "offline" }));
    await until(() => statuses.get("gw-a")?.online === false);
    expect(statuses.get("gw-a")).toMatchObject({ online: false, bundleVersion: 12 });
  });

  it("keeps live occupancy from samples", async () => {
    bus.deliver(
      topicFor("gw-a", "occupancy"),
      encodeMessage("occupancy", {
        time: "2026-03-02T09:00:00.000Z",
        centre: "redu",
        inside: 4,
        zones: [{ zone: "open-space", inside: 3 }],
      }),
    );
    await until(() => occupancy.snapshot().length === 1);
    expect(occupancy.centre("redu")).toMatchObject({
      inside: 4,
      zones: [{ zone: "open-space", inside: 3 }],
    });
  });

  it("hands valid bundle requests to the bundle publisher with the gateway's identity", async () => {
    bus.deliver(
      topicFor("gw-n", "bundleRequest"),
      encodeMessage("bundleRequest", { heldVersion: 4, reason: "gap" }),
    );
    bus.deliver(topicFor("gw-n", "bundleRequest"), Buffer.from('{"heldVersion":"four"}'));
    await until(() => bundleRequests.length === 1);
    await sleep(10);
    expect(bundleRequests).toEqual([
      {
        identity: { gatewayId: "gw-n", centreId: "namur" },
        request: { heldVersion: 4, reason: "gap" },
      },
    ]);
    expect(await rejected("bundleRequest", "payload.schema")).toBe(1);
  });
});
