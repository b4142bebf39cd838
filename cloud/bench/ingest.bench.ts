/**
 * Event ingest end to end against raw aedes, and bundle compilation for a large centre.
 * Run: `npm run bench:ingest` in cloud/.
 *
 * - raw aedes: G clients each publish QoS 1 and wait for the PUBACK, then publish again (aedes
 *   with no hooks, one in-process subscriber that drops the message): the broker's publishes/s.
 * - ingest: the same G clients as gateways, through the embedded broker (login, topic ACL) and
 *   the ingest (topic, schema, gateway check, group commit into SQLite WAL synchronous=FULL,
 *   application ack). Each client behaves as gateway/src/mqtt/eventUplink.ts: one batch in
 *   flight, and the next one published from the ack's message handler (onAck → pump). Payloads
 *   are encoded before the clock starts, as a gateway encodes on its own CPU, not the cloud's.
 * - two loads: one event per message (each gateway's outbox holds one event at a time: the
 *   group commit's worst case, a closed loop bound by the commit-and-ack round trip), at 20 and
 *   100 gateways (BENCH_GATEWAYS=20,100), raw aedes measured at the same concurrency; and
 *   saturated gateways that send full batches of the gateway's default outbox batch size
 *   (`outbox.batchSize`, gateway/src/config/configSchema.ts), as they do whenever events come
 *   faster than one per round trip.
 * - the ingest twice: into a bare events table (the group commit's floor), and into the
 *   production store (AccessEventStore: access_events plus the hash-chained audit rows of each
 *   decision, in the same transaction), as the running cloud does.
 * - bundles: compile, sign and diff for a centre with 10 000 members.
 */

/** Where the ingest commits, with what the bench reads back from it. */
interface BenchSink {
  readonly label: string;
  readonly sink: EventSink;
  commits(): number;
  count(): Promise<number>;
  close(): Promise<void>;
}

function bareTable(dir: string): BenchSink {
  const sink = new SqliteEventSink(join(dir, "events.sqlite"));
  return {
    label: "bare events table",
    sink,
    commits: () => sink.commits,
    count: async () => sink.count(),
    close: async () => sink.close(),
  };
}

async function productionStore(dir: string): Promise<BenchSink> {
  const store = await openStore({ dataDir: dir, logger });
  const events = new AccessEventStore(store, systemClock, new AuditLog(store, systemClock));
  let commits = 0;
  return {
    label: "store + audit chain",
    sink: {
      storeBatch: (batches) => {
        commits += 1;
        return events.storeBatch(batches);
      },
    },
    commits: () => commits,
    count: async () => {
      const row = await store.db
        .selectFrom("access_events")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    close: () => store.close(),
  };
}

import { mkdtemp, rm } from "node:fs/promises";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  allGatewaysFilter,
  decodeMessage,
  generateSigningKeyPair,
  privateKeyFromPem,
  signDeltaBundle,
  signFullBundle,
  topicFor,
} from "@passerelle/protocol";
import { Aedes } from "aedes";
import { connectAsync, type MqttClient } from "mqtt";
import { pino } from "pino";
import { Registry } from "prom-client";
import { AccessEventStore } from "../src/adapters/accessEventStore.js";
import { AuditLog } from "../src/audit/auditLog.js";
import { EmbeddedBroker } from "../src/broker/embeddedBroker.js";
import { compileCentreBundle } from "../src/bundles/compileCentreBundle.js";
import { diffBundles } from "../src/bundles/diffBundles.js";
import { systemClock } from "../src/domain/serviceDeps.js";
import { GatewayIngest } from "../src/ingest/gatewayIngest.js";
import { GatewayStatusBoard } from "../src/occupancy/gatewayStatusBoard.js";
import { LiveOccupancy } from "../src/occupancy/liveOccupancy.js";
import type { EventSink } from "../src/ports/eventSink.js";
import { openStore } from "../src/store/openStore.js";
import { eventsBatch } from "./eventsBatch.js";
import { largeCentreInput } from "./largeCentre.js";
import { SqliteEventSink } from "./sqliteEventSink.js";

/**
 * Concurrency of the one-event-per-message runs: raw aedes is at its best with few clients,
 * the ingest needs more events in flight to fill its group commits (docs/performance.md).
 */
const GATEWAY_COUNTS = (process.env.BENCH_GATEWAYS ?? "20,100").split(",").map(Number);
const SECONDS = 4;
/** The gateway's default outbox batch size (`outbox.batchSize`, gateway config), at 20 gateways. */
const GATEWAY_BATCH = 200;
const BATCHED_GATEWAYS = 20;
/** Events encoded ahead, shared out among the gateways (about 80 MB); a run ends early if it uses them up. */
const PREPARED_EVENTS = 240_000;
const MEMBERS = 10_000;
const ROUNDS = 5;
const logger = pino({ level: "silent" });

interface Row {
  measure: string;
  figure: string;
  detail: string;
}
const rows: Row[] = [];

/** How many simulated gateways, each sending messages of `batchSize` events. */
interface Load {
  readonly gateways: number;
  readonly batchSize: number;
}

async function connectGateways(port: number, count: number, password: (id: string) => string) {
  return Promise.all(
    Array.from({ length: count }, async (_, g) => {
      const id = `gw-${g}`;
      const client = await connectAsync(`mqtt://127.0.0.1:${port}`, {
        clientId: `gw-${id}`,
        username: id,
        password: password(id),
        protocolVersion: 4,
        reconnectPeriod: 0,
      });
      // As a gateway should: a PUBACK followed at once by the next PUBLISH must not wait for
      // the broker's delayed TCP ack (Nagle).
      (client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
      return client;
    }),
  );
}

/** Runs `step` in a loop on every client for SECONDS; returns completed steps per client. */
async function loop(
  clients: MqttClient[],
  step: (client: MqttClient, index: number, round: number) => Promise<void>,
) {
  const deadline = performance.now() + SECONDS * 1000;
  const started = performance.now();
  const counts = await Promise.all(
    clients.map(async (client, index) => {
      let round = 0;
      while (performance.now() < deadline) {
        await step(client, index, round);
        round += 1;
      }
      return round;
    }),
  );
  return {
    rounds: counts.reduce((a, b) => a + b, 0),
    seconds: (performance.now() - started) / 1000,
  };
}

async function rawAedes({ gateways, batchSize }: Load): Promise<number> {
  const aedes = await Aedes.createBroker();
  await new Promise<void>((resolve) =>
    aedes.subscribe(allGatewaysFilter("events"), (_p, done) => done(), resolve),
  );
  const server = createServer((socket) => aedes.handle(socket));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const clients = await connectGateways(port, gateways, () => "x");
  const payloads = clients.map((_, g) => eventsBatch("big", 1, batchSize, g));
  const { rounds, seconds } = await loop(clients, (client, g) =>
    client
      .publishAsync(topicFor(`gw-${g}`, "events"), payloads[g] as Buffer, { qos: 1 })
      .then(() => undefined),
  );
  await Promise.all(clients.map((c) => c.endAsync(true)));
  await new Promise<void>((resolve) => aedes.close(() => resolve()));
  server.close();
  const perSecond = (rounds * batchSize) / seconds;
  rows.push({
    measure: `raw aedes QoS 1, ${batchSize} event(s)/message, ${gateways} clients`,
    figure: `${Math.round(perSecond).toLocaleString("en")} events/s`,
    detail: `${Math.round(rounds / seconds).toLocaleString("en")} PUBACKed msgs/s`,
  });
  return perSecond;
}

/**
 * One simulated gateway's uplink until `deadline`: publish a batch at QoS 1, and when the
 * application ack covers it, publish the next one from within the ack's handler, as
 * gateway/src/mqtt/eventUplink.ts does (mqtt.js then sends the ack's PUBACK and the next
 * PUBLISH in one write). Resolves with the number of batches acked.
 */
function uplink(
  client: MqttClient,
  g: number,
  batchSize: number,
  batches: readonly Buffer[],
  deadline: number,
): Promise<number> {
  const topic = topicFor(`gw-${g}`, "events");
  return new Promise((resolve, reject) => {
    let sent = 0;
    const send = () => {
      client.publish(topic, batches[sent] as Buffer, { qos: 1 }, (error) => error && reject(error));
      sent += 1;
    };
    client.on("message", (_topic, payload) => {
      if (decodeMessage("ack", payload).upToSeq < sent * batchSize) return;
      // A fast sink may use up the prepared batches before the deadline: the run is then
      // shorter, and the rate is still events acked over the time taken.
      if (performance.now() >= deadline || sent === batches.length) resolve(sent);
      else send();
    });
    send();
  });
}

/**
 * `rawPublishes`: raw aedes publishes/s with one-event messages, the goal's yardstick (ingest
 * events/s at least 30 % of it). `rawSamePayload`: raw aedes events/s with this batch's payload.
 */
async function ingestEndToEnd(
  { gateways, batchSize }: Load,
  rawPublishes: number,
  rawSamePayload: number,
  makeSink: (dir: string) => BenchSink | Promise<BenchSink>,
): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), "passerelle-ingest-bench-"));
  const target = await makeSink(dir);
  const sink = target.sink;
  const registry = new Registry();
  const directory = {
    verify: async (username: string) => ({ gatewayId: username, centreId: "big" }),
    lookup: async (gatewayId: string) => ({ gatewayId, centreId: "big" }),
  };
  const broker = new EmbeddedBroker({
    verifier: directory,
    logger,
    registry,
    config: { host: "127.0.0.1", port: 0 },
  });
  await broker.start();
  const ingest = new GatewayIngest({
    bus: broker.bus,
    registry: directory,
    sink,
    occupancy: new LiveOccupancy(),
    gateways: new GatewayStatusBoard(),
    logger,
    metrics: registry,
  });
  await ingest.start();
  const clients = await connectGateways(broker.port, gateways, () => "x");
  const batchesPerGateway = Math.ceil(PREPARED_EVENTS / gateways / batchSize);
  const prepared = clients.map((_, g) =>
    Array.from({ length: batchesPerGateway }, (_, round) =>
      eventsBatch("big", round * batchSize + 1, batchSize, g),
    ),
  );
  for (const [g, client] of clients.entries()) {
    await client.subscribeAsync(topicFor(`gw-${g}`, "ack"), { qos: 1 });
  }
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  const acked = await Promise.all(
    clients.map((client, g) => uplink(client, g, batchSize, prepared[g] ?? [], deadline)),
  );
  const seconds = (performance.now() - started) / 1000;
  const rounds = acked.reduce((a, b) => a + b, 0);
  const commits = target.commits();
  await Promise.all(clients.map((c) => c.endAsync(true)));
  await ingest.stop();
  await broker.stop();
  const stored = await target.count();
  await target.close();
  await rm(dir, { recursive: true, force: true });
  const perSecond = (rounds * batchSize) / seconds;
  if (stored !== rounds * batchSize)
    throw new Error(`stored ${stored} events, acked ${rounds * batchSize}`);
  const messages = rounds / seconds;
  const samePayload =
    batchSize === 1
      ? ""
      : `; ${Math.round(messages).toLocaleString("en")} msgs/s, ${((perSecond / rawSamePayload) * 100).toFixed(1)} % of raw with this payload`;
  rows.push({
    measure: `ingest (SQLite, ${target.label}), ${batchSize} event(s)/message, ${gateways} gateways`,
    figure: `${Math.round(perSecond).toLocaleString("en")} events/s`,
    detail: `${((perSecond / rawPublishes) * 100).toFixed(0)} % of raw publishes/s${samePayload}; ${stored.toLocaleString("en")} stored in ${commits} commits`,
  });
  return perSecond;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function bundleCompile(): void {
  const now = Date.parse("2026-03-02T07:00:00Z");
  const input = largeCentreInput(MEMBERS, now);
  const key = privateKeyFromPem(generateSigningKeyPair().privateKeyPem);
  const compileMs: number[] = [];
  const signMs: number[] = [];
  const diffMs: number[] = [];
  let frameBytes = 0;
  let credentials = 0;
  for (let round = 0; round < ROUNDS; round += 1) {
    let t = performance.now();
    const bundle = compileCentreBundle(input, 1, now);
    compileMs.push(performance.now() - t);
    t = performance.now();
    const frame = signFullBundle(bundle, key);
    signMs.push(performance.now() - t);
    frameBytes = frame.length;
    credentials = bundle.credentials.length;
    const revoked = {
      ...input,
      badges: input.badges.map((b, i) => (i === 5 ? { ...b, revokedAt: now } : b)),
    };
    const next = compileCentreBundle(revoked, 2, now + 1000);
    t = performance.now();
    const delta = diffBundles(bundle, next);
    if (delta) signDeltaBundle(delta, key);
    diffMs.push(performance.now() - t);
  }
  rows.push({
    measure: `bundle compile, ${MEMBERS.toLocaleString("en")} members`,
    figure: `${median(compileMs).toFixed(0)} ms`,
    detail: `${credentials.toLocaleString("en")} credentials, median of ${ROUNDS}`,
  });
  rows.push({
    measure: "  + canonical JSON and Ed25519 signature",
    figure: `${median(signMs).toFixed(0)} ms`,
    detail: `${(frameBytes / 1024 / 1024).toFixed(1)} MiB signed frame`,
  });
  rows.push({
    measure: "  delta for one revocation (diff + sign)",
    figure: `${median(diffMs).toFixed(0)} ms`,
    detail: "compare 10 000 credentials canonically",
  });
}

async function main(): Promise<void> {
  // One event per message at each concurrency, each ingest against raw at the same one.
  let bestRaw = 0;
  let bestIngest = 0;
  for (const gateways of GATEWAY_COUNTS) {
    const load = { gateways, batchSize: 1 };
    const raw = await rawAedes(load);
    await ingestEndToEnd(load, raw, raw, bareTable);
    const ingested = await ingestEndToEnd(load, raw, raw, productionStore);
    bestRaw = Math.max(bestRaw, raw);
    bestIngest = Math.max(bestIngest, ingested);
  }
  if (GATEWAY_COUNTS.length > 1) {
    rows.push({
      measure: "  best of each over those concurrencies",
      figure: `${((bestIngest / bestRaw) * 100).toFixed(0)} %`,
      detail: `production ingest ${Math.round(bestIngest).toLocaleString("en")} / raw ${Math.round(bestRaw).toLocaleString("en")} events/s`,
    });
  }
  // Saturated gateways: full batches, against raw publishes/s of one-event messages.
  const batched = { gateways: BATCHED_GATEWAYS, batchSize: GATEWAY_BATCH };
  const rawPublishes = await rawAedes({ gateways: BATCHED_GATEWAYS, batchSize: 1 });
  const rawSamePayload = await rawAedes(batched);
  await ingestEndToEnd(batched, rawPublishes, rawSamePayload, bareTable);
  await ingestEndToEnd(batched, rawPublishes, rawSamePayload, productionStore);
  bundleCompile();
  const width = Math.max(...rows.map((r) => r.measure.length));
  const figureWidth = Math.max(...rows.map((r) => r.figure.length));
  console.log(`\ncloud ingest and bundles — Node ${process.version}, ${SECONDS} s per run\n`);
  for (const row of rows) {
    console.log(`${row.measure.padEnd(width)}  ${row.figure.padStart(figureWidth)}  ${row.detail}`);
  }
}

await main();
