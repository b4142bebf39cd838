/**
 * Two measured hot spots of issue 18, each against a peer in the same run. Run:
 * `npm run bench:scale` in cloud/ (needs Mosquitto from the testkit for the first part).
 *
 * 1. The external-broker link's ack at low traffic, TCP_NODELAY off vs on: a gateway publishes
 *    an events message (QoS 1), the cloud's link answers on the ack topic a moment later (as
 *    after a commit), the gateway times the round trip.
 * 2. Bundle compilations while people are provisioned one after the other with network passes
 *    (`npm run sim`'s provisioning): each badge changes every centre's bundle. Counted:
 *    compilations, and how long after the last change the publisher is idle.
 */
import { cpus, loadavg } from "node:os";
import { generateSigningKeyPair, privateKeyFromPem } from "@passerelle/protocol";
import { provideService, serviceOf } from "@passerelle/testkit";
import { connectAsync } from "mqtt";
import { pino } from "pino";
import { Registry } from "prom-client";
import { ExternalBrokerLink } from "../src/broker/externalBroker.js";
import type { MqttBus } from "../src/broker/mqttBus.js";
import { BundlePublisher } from "../src/bundles/bundlePublisher.js";
import { hashOf, now, reduInput } from "../test/bundles/centreFixture.js";
import { InMemoryAccessRules, InMemoryVersionStore } from "../test/mocks/mqttPorts.js";

const logger = pino({ level: "silent" });
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function ackRoundTrips(url: string, noDelay: boolean, rounds: number): Promise<number[]> {
  const link = new ExternalBrokerLink({
    logger,
    config: { url, username: "", password: "", noDelay, sharedGroup: null },
  });
  await link.start();
  const bus = link.bus;
  // The cloud: an events message in, its ack out shortly after (the commit in between).
  await bus.subscribe("bench/gw/events", () => {
    setTimeout(() => void bus.publish("bench/gw/ack", Buffer.from('{"upToSeq":1}'), { qos: 1 }), 1);
  });
  const gateway = await connectAsync(url, { protocolVersion: 4, reconnectPeriod: 0 });
  (gateway.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
  await gateway.subscribeAsync("bench/gw/ack", { qos: 1 });
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const acked = new Promise<void>((resolve) => gateway.once("message", () => resolve()));
    const t0 = performance.now();
    await gateway.publishAsync("bench/gw/events", Buffer.alloc(400, 0x41), { qos: 1 });
    await acked;
    times.push(performance.now() - t0);
    // Low traffic: one batch now and then, so nothing else is in flight to push it out.
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await gateway.endAsync(true);
  await link.stop();
  return times;
}

async function nagle(): Promise<void> {
  const provision = await provideService("mosquitto");
  if (!provision.available) {
    console.warn(`ack round trip skipped: ${provision.reason}`);
    return;
  }
  const service = serviceOf(provision);
  try {
    const rounds = 150;
    const off = await ackRoundTrips(service.url, false, rounds);
    const on = await ackRoundTrips(service.url, true, rounds);
    const line = (name: string, times: number[]) =>
      `  ${name.padEnd(16)} p50 ${percentile(times, 50).toFixed(1)} ms, p99 ${percentile(times, 99).toFixed(1)} ms`;
    console.log(`events → ack round trip through Mosquitto, ${rounds} rounds, load ${load()}`);
    console.log(line("TCP_NODELAY off", off));
    console.log(line("TCP_NODELAY on", on));
    console.log(`  ratio off/on at p50: ${(percentile(off, 50) / percentile(on, 50)).toFixed(1)}`);
  } finally {
    await (service as { stop(): Promise<void> }).stop();
  }
}

/** A bus that takes every publish at once (the broker is not what this part measures). */
const nullBus: MqttBus = {
  subscribe: async () => async () => {},
  publish: async () => {},
};

async function provisioning(): Promise<void> {
  const centres = Number(process.env.BENCH_CENTRES ?? 100);
  const people = Number(process.env.BENCH_PEOPLE ?? 200);
  const source = new InMemoryAccessRules();
  const ids = Array.from({ length: centres }, (_, i) => `load-${String(i).padStart(4, "0")}`);
  for (const id of ids) {
    const input = reduInput();
    source.set({ ...input, centre: { ...input.centre, id }, badges: [] }, [`${id}-gw-1`]);
  }
  const keys = generateSigningKeyPair();
  const publisher = new BundlePublisher({
    bus: nullBus,
    source,
    versions: new InMemoryVersionStore(),
    signingKey: { privateKey: privateKeyFromPem(keys.privateKeyPem) },
    logger,
    metrics: new Registry(),
    clock: { now: () => now },
    config: { compileAllOnStart: false },
  });
  publisher.start();
  const t0 = performance.now();
  for (let person = 0; person < people; person++) {
    // The API's pace: one member, pass and badge every few milliseconds.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const badge = {
      credentialHash: hashOf(`04${person.toString(16).padStart(12, "0")}`),
      memberId: `m-${person}`,
      revokedAt: null,
    };
    for (const id of ids) {
      source.update(id, (input) => ({ ...input, badges: [...input.badges, badge] }));
    }
    publisher.onAccessRulesChanged(ids);
  }
  const lastChange = performance.now();
  await publisher.settle();
  const idle = performance.now();
  await publisher.stop();
  console.log(
    `provisioning ${people} network members into ${centres} centres (each badge changes every ` +
      `centre), load ${load()}:\n  ${source.loads} compilations ` +
      `(${(source.loads / centres).toFixed(1)} per centre), changes over ` +
      `${((lastChange - t0) / 1000).toFixed(1)} s, idle ${((idle - lastChange) / 1000).toFixed(1)} s after the last`,
  );
}

console.log(`${cpus().length} CPUs`);
await nagle();
await provisioning();
