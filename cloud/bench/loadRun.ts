/**
 * The load run of issue 18 (`npm run loadrun -w cloud`, docs/scale.md): many simulated
 * gateways in this one process, each with its own MQTT connection and an uplink that works as
 * gateway/src/mqtt/eventUplink.ts does (one batch in flight, re-sent after 10 s without an
 * ack), against 1 or more `serve` instances on the testkit's PostgreSQL and Mosquitto (random
 * ports, temporary directories, the deployed ACL and password file).
 *
 * A day at each centre: members with a network pass come in and go out later, one card in ten
 * is refused. Measured over the run: committed events/s, badge-to-board latency (a tap
 * ingested wherever the shared subscription sends it, seen on the board stream of the LAST
 * instance), revocation-to-door (a badge revoked through the FIRST instance, gone from the
 * door's bundle), and the CPU and memory of each instance, of the broker and of PostgreSQL.
 *
 *   npm run loadrun -w cloud -- --gateways 200 --instances 2 --rate 400 --duration 120
 *
 * One connection per gateway: the process needs `ulimit -n` above the gateway count (+ ~100).
 */
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import {
  encodeMessage,
  type GatewayEvent,
  topicFor,
  trustedKeysFromPem,
  uuidv7,
} from "@passerelle/protocol";
import { serviceOf } from "@passerelle/testkit";
import { connectAsync, type MqttClient } from "mqtt";
import pg from "pg";
import { publicKeyFileName } from "../src/bundles/signingKeyFile.js";
import { createMember } from "../src/domain/members.js";
import { createPass } from "../src/domain/passes.js";
import { openStore } from "../src/store/openStore.js";
import { type ServingCloud, stopServe } from "../test/cli/serveProcess.js";
import {
  type ClusterGateway,
  coordinator,
  freshPostgres,
  removeDirs,
  seedNetwork,
  sharedKeyDirs,
  startClusterBroker,
  startInstance,
} from "../test/cluster/clusterFixture.js";
import { DoorBundles } from "../test/cluster/doorBundles.js";
import { SseReader } from "../test/http/routes/occupancyGateway.js";
import { admin, memberWithPass, recordingDeps } from "../test/support/fixtures.js";

const { values } = parseArgs({
  options: {
    gateways: { type: "string", default: "200" },
    instances: { type: "string", default: "1" },
    rate: { type: "string", default: "400" },
    duration: { type: "string", default: "120" },
    members: { type: "string", default: "300" },
  },
});
const gatewayCount = Number(values.gateways);
const instanceCount = Number(values.instances);
const targetRate = Number(values.rate);
const durationS = Number(values.duration);
const memberCount = Number(values.members);
const ackTimeoutMs = 10_000;
const batchMax = 50;

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** A gateway's uplink: events queue up, one batch in flight until the ack covers it. */
class LoadGateway {
  client: MqttClient | undefined;
  private nextSeq = 1;
  private ackedUpTo = 0;
  private readonly pending: GatewayEvent[] = [];
  private wake: (() => void) | undefined;
  acked = 0;
  resent = 0;
  stopped = false;

  constructor(
    readonly gateway: ClusterGateway,
    private readonly brokerUrl: string,
  ) {}

  async connect(): Promise<void> {
    const { id, secret } = this.gateway;
    this.client = await connectAsync(this.brokerUrl, {
      clientId: id,
      username: id,
      password: secret,
      protocolVersion: 4,
      reconnectPeriod: 1000,
      connectTimeout: 30_000,
    });
    (this.client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
    this.client.on("message", (topic, payload) => {
      if (topic !== topicFor(id, "ack")) return;
      const { upToSeq } = JSON.parse(payload.toString()) as { upToSeq: number };
      if (upToSeq > this.ackedUpTo) {
        this.acked += upToSeq - this.ackedUpTo;
        this.ackedUpTo = upToSeq;
      }
      this.wake?.();
    });
    await this.client.subscribeAsync(topicFor(id, "ack"), { qos: 1 });
  }

  push(event: Omit<GatewayEvent, "seq" | "id">): void {
    this.pending.push({ ...event, id: uuidv7(Date.now()), seq: this.nextSeq++ } as GatewayEvent);
    this.wake?.();
  }

  async run(): Promise<void> {
    while (!this.stopped) {
      let done = 0;
      while (done < this.pending.length && (this.pending[done]?.seq ?? 0) <= this.ackedUpTo) done++;
      this.pending.splice(0, done);
      const batch = this.pending.slice(0, batchMax);
      if (batch.length === 0) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
        continue;
      }
      const last = (batch.at(-1) as GatewayEvent).seq;
      const acked = new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ackTimeoutMs);
        this.wake = () => {
          if (this.ackedUpTo < last && !this.stopped) return;
          clearTimeout(timer);
          resolve();
        };
      });
      this.client?.publish(
        topicFor(this.gateway.id, "events"),
        encodeMessage("events", { events: batch }),
        { qos: 1 },
      );
      await acked;
      if (this.ackedUpTo < last && !this.stopped) this.resent += 1;
    }
  }

  stop(): void {
    this.stopped = true;
    this.wake?.();
  }
}

/** utime+stime (clock ticks) and RSS of a process, from /proc. */
function sample(pid: number): { ticks: number; rssKb: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return { ticks, rssKb };
  } catch {
    return undefined;
  }
}

/** Children of this process named `comm` (testkit's mosquitto and postgres) and theirs. */
function processTree(comm: string): number[] {
  const parents = new Map<number, { ppid: number; comm: string }>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parents.set(Number(entry), { ppid, comm: name });
    } catch {
      // gone meanwhile
    }
  }
  const roots = [...parents].filter(([, p]) => p.ppid === process.pid && p.comm === comm);
  const tree = new Set(roots.map(([pid]) => pid));
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, p] of parents) {
      if (!tree.has(pid) && tree.has(p.ppid)) {
        tree.add(pid);
        grew = true;
      }
    }
  }
  return [...tree];
}

function usageOf(pids: number[]) {
  let ticks = 0;
  let rssKb = 0;
  for (const pid of pids) {
    const s = sample(pid);
    if (s) {
      ticks += s.ticks;
      rssKb += s.rssKb;
    }
  }
  return { ticks, rssKb };
}

async function main(): Promise<void> {
  console.log(
    `load run: ${gatewayCount} gateways in one process, ${instanceCount} instance(s), ` +
      `${targetRate} events/s offered, ${durationS} s; ${cpus().length} CPUs, load ${load()}`,
  );
  const postgres = await freshPostgres();
  if ("reason" in postgres) throw new Error(postgres.reason);
  let t = performance.now();
  const network = await seedNetwork(postgres.url, gatewayCount);
  const store = await openStore({ postgresUrl: postgres.url });
  const members: string[] = [];
  // The revocation probe's member: a membership of c01 only, as most badges are, so issuing and
  // revoking it recompiles one centre. (A network-pass badge recompiles every centre: timed
  // apart, after the day, below.)
  let localMember: string;
  try {
    const deps = recordingDeps(store, new Date().toISOString());
    for (let i = 0; i < memberCount; i++)
      members.push((await memberWithPass(deps, `Load ${i}`)).id);
    const local = await createMember(deps, admin, {
      name: "Local Member",
      email: "local@example.org",
    });
    await createPass(deps, admin, {
      memberId: local.id,
      kind: "centre-membership",
      validCentreId: "c01",
      validFrom: Date.parse("2026-01-01T00:00:00Z"),
      validTo: Date.parse("2027-12-31T00:00:00Z"),
    });
    localMember = local.id;
  } finally {
    await store.close();
  }
  console.log(`seeded in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  t = performance.now();
  const broker = await startClusterBroker(network.gateways);
  if (!broker.provision.available) throw new Error(broker.provision.reason);
  const brokerUrl = serviceOf(broker.provision).url;
  const dirs = await sharedKeyDirs(instanceCount);
  /** Every "bundle published" log line of every instance: centre, and the instance's clock. */
  const bundlesPublished: { centre: string; at: number }[] = [];
  const instances: ServingCloud[] = await Promise.all(
    dirs.map((dir, index) =>
      startInstance(index, dir, postgres.url, brokerUrl).then((cloud) => {
        // "listening on" is an info line; after it the log is not kept (the run is long), only
        // when each centre's bundle was published (the revocation wave after the run).
        cloud.child.stdout.removeAllListeners("data");
        let partial = "";
        cloud.child.stdout.on("data", (chunk: Buffer) => {
          const lines = (partial + chunk.toString()).split("\n");
          partial = lines.pop() ?? "";
          for (const line of lines) {
            if (!line.includes('"bundle published"')) continue;
            const entry = JSON.parse(line) as { centre: string; time: number };
            bundlesPublished.push({ centre: entry.centre, at: entry.time });
          }
        });
        return cloud;
      }),
    ),
  );
  console.log(
    `broker and ${instanceCount} instance(s) up in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );

  const gateways = network.gateways.map((g) => new LoadGateway(g, brokerUrl));
  t = performance.now();
  for (let i = 0; i < gateways.length; i += 50) {
    await Promise.all(gateways.slice(i, i + 50).map((g) => g.connect()));
  }
  console.log(
    `${gateways.length} gateways connected in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );
  const running = gateways.map((g) => g.run());

  // Probes: the board of the last instance, the door of c01 through the first.
  const first = instances[0] as ServingCloud;
  const last = instances.at(-1) as ServingCloud;
  const token = async (cloud: ServingCloud) => {
    const r = await fetch(`${cloud.httpUrl}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(coordinator),
    });
    return ((await r.json()) as { token: string }).token;
  };
  const tokenFirst = await token(first);
  const tokenLast = await token(last);
  const probeGateway = gateways[1] as LoadGateway;
  const probeCentre = probeGateway.gateway.centreId;
  const stream = new SseReader(
    await fetch(`${last.httpUrl}/api/v1/centres/${probeCentre}/occupancy/stream`, {
      headers: { authorization: `Bearer ${tokenLast}` },
    }),
  );
  await stream.next((e) => e.event === "snapshot", 0, 30_000);
  const doorGateway = gateways[0] as LoadGateway;
  const door = new DoorBundles(
    trustedKeysFromPem([await readFile(join(dirs[0] as string, publicKeyFileName), "utf8")]),
    doorGateway.gateway.centreId,
  );
  const doorId = doorGateway.gateway.id;
  doorGateway.client?.on("message", (topic, payload) => {
    if (topic === topicFor(doorId, "bundle")) door.receive("bundle", payload);
    if (topic === topicFor(doorId, "bundleDelta")) door.receive("bundleDelta", payload);
  });
  await doorGateway.client?.subscribeAsync(
    [topicFor(doorId, "bundle"), topicFor(doorId, "bundleDelta")],
    { qos: 1 },
  );
  doorGateway.client?.publish(
    topicFor(doorId, "bundleRequest"),
    encodeMessage("bundleRequest", { heldVersion: null, reason: "start" }),
    { qos: 1 },
  );

  // Samplers.
  const instancePids = instances.map((i) => i.child.pid as number);
  const brokerPids = processTree("mosquitto");
  const postgresPids = () => processTree("postgres");
  const start = {
    at: performance.now(),
    instances: instancePids.map((pid) => usageOf([pid])),
    broker: usageOf(brokerPids),
    postgres: usageOf(postgresPids()),
    acked: gateways.reduce((s, g) => s + g.acked, 0),
  };
  const peakRss = { instances: instancePids.map(() => 0), broker: 0, postgres: 0 };
  const peaks = setInterval(() => {
    instancePids.forEach((pid, i) => {
      peakRss.instances[i] = Math.max(peakRss.instances[i] ?? 0, usageOf([pid]).rssKb);
    });
    peakRss.broker = Math.max(peakRss.broker, usageOf(brokerPids).rssKb);
    peakRss.postgres = Math.max(peakRss.postgres, usageOf(postgresPids()).rssKb);
  }, 2000);

  // The day: each tap at a random centre by a random member; in if not inside there, else out.
  const inside = new Set<string>();
  let offered = 0;
  const deadline = Date.now() + durationS * 1000;
  const tick = 50;
  const perTick = (targetRate * tick) / 1000;
  let carry = 0;
  const day = setInterval(() => {
    carry += perTick;
    for (; carry >= 1; carry -= 1) {
      const gateway = gateways[Math.floor(Math.random() * gateways.length)] as LoadGateway;
      const centre = gateway.gateway.centreId;
      const base = {
        time: new Date().toISOString(),
        type: "access" as const,
        centre,
        door: `${centre}-entrance`,
      };
      offered += 1;
      if (Math.random() < 0.1) {
        gateway.push({
          ...base,
          direction: "in",
          credential: randomBytes(16).toString("base64url").slice(0, 22),
          decision: "denied",
          reason: "unknown-badge",
        } as GatewayEvent);
        continue;
      }
      const member = members[Math.floor(Math.random() * members.length)] as string;
      const key = `${member}@${centre}`;
      const direction = inside.has(key) ? "out" : "in";
      if (direction === "in") inside.add(key);
      else inside.delete(key);
      gateway.push({
        ...base,
        direction,
        credential: randomBytes(16).toString("base64url").slice(0, 22),
        member,
        decision: "granted",
        reason: "pass",
      } as GatewayEvent);
    }
  }, tick);

  const boardLatencies: number[] = [];
  const boardMissed = { count: 0 };
  const boardProbe = (async () => {
    let walkerInside = false;
    while (Date.now() < deadline) {
      await sleep(2000);
      const from = stream.events.length;
      walkerInside = !walkerInside;
      const want = walkerInside;
      const t0 = performance.now();
      probeGateway.push({
        time: new Date().toISOString(),
        type: "access",
        centre: probeCentre,
        door: `${probeCentre}-entrance`,
        direction: want ? "in" : "out",
        credential: "BBBBBBBBBBBBBBBBBBBBBB",
        member: network.walker.memberId,
        decision: "granted",
        reason: "pass",
      } as GatewayEvent);
      try {
        await stream.next(
          (e) =>
            e.data !== null &&
            typeof e.data === "object" &&
            Array.isArray(e.data.people) &&
            e.data.people.some(
              (p: { memberId: string }) => p.memberId === network.walker.memberId,
            ) === want,
          from,
          15_000,
        );
        boardLatencies.push(performance.now() - t0);
      } catch {
        boardMissed.count += 1;
      }
    }
  })();

  const revocationLatencies: number[] = [];
  const revocationMissed = { count: 0 };
  const revocationProbe = (async () => {
    const memberId = localMember;
    while (Date.now() < deadline) {
      await sleep(3000);
      const before = door.activeOf(memberId);
      const issued = await fetch(`${first.httpUrl}/api/v1/members/${memberId}/badges`, {
        method: "POST",
        headers: { authorization: `Bearer ${tokenFirst}`, "content-type": "application/json" },
        body: JSON.stringify({ uid: `04${randomBytes(6).toString("hex").toUpperCase()}` }),
      });
      if (issued.status !== 201) {
        revocationMissed.count += 1;
        continue;
      }
      const badge = (await issued.json()) as { id: string };
      const arrived = Date.now() + 15_000;
      while (door.activeOf(memberId) <= before && Date.now() < arrived) await sleep(10);
      const t0 = performance.now();
      await fetch(`${first.httpUrl}/api/v1/badges/${badge.id}/revoke`, {
        method: "POST",
        headers: { authorization: `Bearer ${tokenFirst}`, "content-type": "application/json" },
        body: JSON.stringify({ reason: "lost" }),
      });
      const gone = Date.now() + 15_000;
      while (door.activeOf(memberId) > before && Date.now() < gone) await sleep(5);
      if (door.activeOf(memberId) > before) revocationMissed.count += 1;
      else revocationLatencies.push(performance.now() - t0);
    }
  })();

  let lastAcked = start.acked;
  const report = setInterval(() => {
    const acked = gateways.reduce((s, g) => s + g.acked, 0);
    console.log(
      `  ${((acked - lastAcked) / 10).toFixed(0)} events/s committed, ` +
        `${gateways.reduce((s, g) => s + g.resent, 0)} resends so far, load ${load()}`,
    );
    lastAcked = acked;
  }, 10_000);

  await sleep(durationS * 1000);
  clearInterval(day);
  clearInterval(report);
  clearInterval(peaks);
  const end = {
    at: performance.now(),
    instances: instancePids.map((pid) => usageOf([pid])),
    broker: usageOf(brokerPids),
    postgres: usageOf(postgresPids()),
    acked: gateways.reduce((s, g) => s + g.acked, 0),
  };
  await Promise.all([boardProbe, revocationProbe]);
  const seconds = (end.at - start.at) / 1000;
  const cpu = (a: { ticks: number }, b: { ticks: number }) =>
    `${(((b.ticks - a.ticks) / 100 / seconds) * 100).toFixed(0)} % of a core`;
  const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;
  const committed = end.acked - start.acked;
  console.log(`\nresult (${seconds.toFixed(0)} s, load average at the end ${load()}):`);
  console.log(
    `  offered ${(offered / seconds).toFixed(0)} events/s, committed ${(committed / seconds).toFixed(0)} events/s (${committed} events), ${gateways.reduce((s, g) => s + g.resent, 0)} batches re-sent after a 10 s ack timeout`,
  );
  console.log(
    `  badge to board (ingested anywhere, seen on the last instance): p50 ${percentile(boardLatencies, 50).toFixed(0)} ms, p99 ${percentile(boardLatencies, 99).toFixed(0)} ms, max ${Math.max(...boardLatencies).toFixed(0)} ms over ${boardLatencies.length} probes, ${boardMissed.count} missed`,
  );
  console.log(
    `  revocation (first instance) to door: p50 ${percentile(revocationLatencies, 50).toFixed(0)} ms, p99 ${percentile(revocationLatencies, 99).toFixed(0)} ms over ${revocationLatencies.length} probes, ${revocationMissed.count} missed`,
  );
  instancePids.forEach((_, i) => {
    console.log(
      `  instance ${i + 1}: CPU ${cpu(start.instances[i] as { ticks: number }, end.instances[i] as { ticks: number })}, RSS ${mb(end.instances[i]?.rssKb ?? 0)} (peak ${mb(peakRss.instances[i] ?? 0)})`,
    );
  });
  console.log(
    `  broker (mosquitto): CPU ${cpu(start.broker, end.broker)}, RSS ${mb(end.broker.rssKb)} (peak ${mb(peakRss.broker)})`,
  );
  console.log(
    `  PostgreSQL (all backends): CPU ${cpu(start.postgres, end.postgres)}, RSS summed ${mb(end.postgres.rssKb)} (peak ${mb(peakRss.postgres)}; shared buffers counted once per backend)`,
  );
  const db = new pg.Client({ connectionString: postgres.url });
  await db.connect();
  const size = await db.query<{ bytes: string; events: string }>(
    "select pg_database_size(current_database()) as bytes, (select count(*) from access_events) as events",
  );
  await db.end();
  const { bytes, events } = size.rows[0] as { bytes: string; events: string };
  console.log(
    `  database: ${mb(Number(bytes) / 1024)} for ${events} access events (with their audit entries, sessions and the seed)`,
  );
  const self = sample(process.pid);
  console.log(`  this simulator process: RSS ${mb(self?.rssKb ?? 0)}`);

  // After the run, the day stopped: a badge of a member with a network pass is in every
  // centre's bundle, so issuing or revoking it recompiles them all. Timed from the revoke
  // request to the last centre's bundle published without it (the instances' log lines; the
  // instances run on this machine's clock).
  for (const g of gateways) g.stop();
  // Quiet first: a saturated instance still works off its backlog (acks, session rebuilds)
  // after the day stops; wait until every instance uses under a tenth of a core (at most 60 s).
  const quietBy = Date.now() + 60_000;
  let quietAfterMs = 0;
  for (;;) {
    const before = instancePids.map((pid) => usageOf([pid]).ticks);
    await sleep(1000);
    quietAfterMs += 1000;
    const busiest = Math.max(
      ...instancePids.map((pid, i) => usageOf([pid]).ticks - (before[i] as number)),
    );
    if (busiest < 10 || Date.now() > quietBy) break;
  }
  console.log(`  (instances quiet ${quietAfterMs / 1000} s after the day stopped)`);
  const wave = async (action: () => Promise<Response>) => {
    const t0 = Date.now();
    const response = await action();
    if (!response.ok) throw new Error(`wave request: HTTP ${response.status}`);
    const until = Date.now() + 120_000;
    const centres = () =>
      new Set(bundlesPublished.filter((b) => b.at >= t0).map((b) => b.centre)).size;
    while (centres() < gatewayCount && Date.now() < until) await sleep(20);
    const last = Math.max(...bundlesPublished.filter((b) => b.at >= t0).map((b) => b.at));
    return { centres: centres(), ms: last - t0 };
  };
  const waveBody = { "content-type": "application/json", authorization: `Bearer ${tokenFirst}` };
  let waveBadge = "";
  const issuedWave = await wave(async () => {
    const response = await fetch(
      `${first.httpUrl}/api/v1/members/${network.badged.memberId}/badges`,
      {
        method: "POST",
        headers: waveBody,
        body: JSON.stringify({ uid: `04${randomBytes(6).toString("hex").toUpperCase()}` }),
      },
    );
    waveBadge = ((await response.clone().json()) as { id: string }).id;
    return response;
  });
  const revokedWave = await wave(() =>
    fetch(`${first.httpUrl}/api/v1/badges/${waveBadge}/revoke`, {
      method: "POST",
      headers: waveBody,
      body: JSON.stringify({ reason: "lost" }),
    }),
  );
  console.log(
    `  network-pass badge, no load: issued → ${issuedWave.centres}/${gatewayCount} centres' bundles in ${issuedWave.ms} ms; revoked → ${revokedWave.centres}/${gatewayCount} in ${revokedWave.ms} ms`,
  );

  for (const g of gateways) g.stop();
  await Promise.all(running);
  await Promise.all(gateways.map((g) => g.client?.endAsync(true).catch(() => undefined)));
  await Promise.all(instances.map((i) => stopServe(i)));
  await broker.stop();
  await removeDirs(dirs);
  await postgres.drop();
  process.exit(0);
}

await main();
