import { copyFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeMessage, type GatewayEvent, topicFor, uuidv7 } from "@passerelle/protocol";
import {
  type MosquittoService,
  provideRestartable,
  provideService,
  serviceOf,
  writeMosquittoPasswordEntry,
} from "@passerelle/testkit";
import { connectAsync, type MqttClient } from "mqtt";
import pg from "pg";
import { pino } from "pino";
import {
  loadOrCreateSigningKey,
  publicKeyFileName,
  signingKeyFileName,
} from "../../src/bundles/signingKeyFile.js";
import { issueBadge } from "../../src/domain/badges.js";
import { createDoor } from "../../src/domain/doors.js";
import { provisionGateway } from "../../src/domain/gateways.js";
import { grantStaffRole } from "../../src/domain/staff.js";
import { createUser } from "../../src/domain/users.js";
import { openStore } from "../../src/store/openStore.js";
import { type ServingCloud, startServe } from "../cli/serveProcess.js";
import { startDeployedMosquitto } from "../mocks/deployedMosquitto.js";
import {
  admin,
  allDayEveryDay,
  centre,
  memberWithPass,
  recordingDeps,
} from "../support/fixtures.js";

export const coordinator = { email: "coordination@cluster.example", password: "cluster-pass-1234" };
export const cloudUsers = ["passerelle-cloud", "passerelle-cloud-2", "passerelle-cloud-3"];
const cloudPassword = "cluster-service-secret";

export interface ClusterGateway {
  readonly id: string;
  readonly centreId: string;
  readonly secret: string;
}

export interface SeededNetwork {
  readonly gateways: readonly ClusterGateway[];
  /** A member with a network pass and a badge (issued with `uid`), and one without a badge. */
  readonly badged: { memberId: string; badgeId: string };
  readonly walker: { memberId: string };
}

/** A fresh PostgreSQL database (the testkit's server), or the reason there is none. */
export async function freshPostgres(): Promise<
  { url: string; drop(): Promise<void> } | { reason: string }
> {
  const provision = await provideService("postgres");
  if (!provision.available) return { reason: provision.reason };
  const server = serviceOf(provision).url;
  const name = `cluster_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: server });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}

/**
 * `count` centres open round the clock, each with one gateway; the first centre has a door;
 * a coordinator login; a member with a network pass and a badge, and one with a pass only.
 */
export async function seedNetwork(postgresUrl: string, count: number): Promise<SeededNetwork> {
  const store = await openStore({ postgresUrl });
  try {
    const deps = recordingDeps(store, new Date().toISOString());
    const gateways: ClusterGateway[] = [];
    for (let index = 1; index <= count; index++) {
      const centreId = `c${String(index).padStart(2, "0")}`;
      await centre(deps, centreId, allDayEveryDay);
      const id = `gw-${centreId}`;
      const { secret } = await provisionGateway(deps, admin, { id, centreId });
      gateways.push({ id, centreId, secret });
    }
    await createDoor(deps, admin, {
      id: "c01-entrance",
      centreId: "c01",
      gatewayId: "gw-c01",
      name: "Entrance",
      direction: "both",
    });
    const user = await createUser(deps, admin, coordinator);
    await grantStaffRole(deps, admin, { userId: user.id, role: "coordinator" });
    const badgedMember = await memberWithPass(deps, "Badged Member");
    const badge = await issueBadge(deps, admin, {
      memberId: badgedMember.id,
      uid: "04A1B2C3D4E5F6",
    });
    const walker = await memberWithPass(deps, "Walking Member");
    return {
      gateways,
      badged: { memberId: badgedMember.id, badgeId: badge.id },
      walker: { memberId: walker.id },
    };
  } finally {
    await store.close();
  }
}

/**
 * A PostgreSQL server of the caller's own (the local binary), which it may stop and start again
 * (`restartable`); the shared one is used by other test files at the same time.
 */
export async function restartablePostgres() {
  const provision = await provideRestartable("postgres");
  return provision.available ? provision.service : { reason: provision.reason };
}

/**
 * Mosquitto as deploy/ configures it, with the gateways and one service user per instance;
 * `restartable`: the local binary, which an outage test stops and starts again.
 */
export async function startClusterBroker(
  gateways: readonly ClusterGateway[],
  options: { restartable?: boolean } = {},
) {
  const broker = await startDeployedMosquitto(
    gateways.map((g) => ({ id: g.id, secret: g.secret })),
    { username: cloudUsers[0] as string, password: cloudPassword },
    options,
  );
  if (broker.provision.available) {
    for (const user of cloudUsers.slice(1)) {
      await writeMosquittoPasswordEntry(broker.passwordFile, user, cloudPassword);
    }
    await (serviceOf(broker.provision) as MosquittoService).reload?.();
  }
  return broker;
}

/** Data directories holding one signing key, as an operator copies it to every instance. */
export async function sharedKeyDirs(count: number): Promise<string[]> {
  const dirs: string[] = [];
  for (let index = 0; index < count; index++) {
    dirs.push(await mkdtemp(join(tmpdir(), "passerelle-cluster-")));
  }
  const first = dirs[0] as string;
  await loadOrCreateSigningKey(first, pino({ level: "silent" }));
  for (const dir of dirs.slice(1)) {
    for (const file of [signingKeyFileName, publicKeyFileName]) {
      await copyFile(join(first, file), join(dir, file));
    }
  }
  return dirs;
}

export const removeDirs = (dirs: readonly string[]) =>
  Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));

/** `serve` of instance `index` (0-based) on the shared PostgreSQL and Mosquitto. */
export function startInstance(
  index: number,
  dataDir: string,
  postgresUrl: string,
  brokerUrl: string,
): Promise<ServingCloud> {
  return startServe(
    [
      "--data-dir",
      dataDir,
      "--http-port",
      "0",
      "--broker",
      "external",
      "--broker-url",
      brokerUrl,
      "--broker-username",
      cloudUsers[index] as string,
      "--log-level",
      "info",
    ],
    { PASSERELLE_POSTGRES_URL: postgresUrl, PASSERELLE_BROKER_PASSWORD: cloudPassword },
  );
}

/**
 * A gateway as far as the uplink goes (gateway/src/mqtt/eventUplink.ts): one batch in flight,
 * kept until the cloud's application ack covers it, re-sent after `ackTimeoutMs`.
 */
export class UplinkGateway {
  private client: MqttClient | undefined;
  private ackedUpTo = 0;
  private readonly waiters = new Set<() => void>();
  resent = 0;

  constructor(
    readonly gateway: ClusterGateway,
    private readonly brokerUrl: string,
    private readonly ackTimeoutMs = 2_000,
  ) {}

  get acked(): number {
    return this.ackedUpTo;
  }

  get mqtt(): MqttClient {
    if (!this.client) throw new Error("not connected");
    return this.client;
  }

  async connect(): Promise<void> {
    const { id, secret } = this.gateway;
    this.client = await connectAsync(this.brokerUrl, {
      clientId: id,
      username: id,
      password: secret,
      protocolVersion: 4,
      reconnectPeriod: 500,
    });
    this.client.on("message", (topic, payload) => {
      if (topic !== topicFor(id, "ack")) return;
      const { upToSeq } = JSON.parse(payload.toString()) as { upToSeq: number };
      this.ackedUpTo = Math.max(this.ackedUpTo, upToSeq);
      for (const wake of this.waiters) wake();
    });
    await this.client.subscribeAsync(topicFor(id, "ack"), { qos: 1 });
  }

  /** Sends events `firstSeq`… in one batch until an ack covers the last one. */
  async send(events: readonly GatewayEvent[]): Promise<void> {
    const last = events.at(-1)?.seq ?? 0;
    const payload = encodeMessage("events", { events: [...events] });
    while (this.ackedUpTo < last) {
      let wake = () => {};
      const acked = new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.ackTimeoutMs);
        wake = () => {
          if (this.ackedUpTo < last) return;
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiters.add(wake);
      this.mqtt.publish(topicFor(this.gateway.id, "events"), payload, { qos: 1 });
      await acked;
      this.waiters.delete(wake);
      if (this.ackedUpTo < last) this.resent += 1;
    }
  }

  async close(): Promise<void> {
    await this.client?.endAsync(true);
  }
}

/** `count` refused taps of an unknown card (no member: no presence session), from `firstSeq`. */
export function refusedTaps(centreId: string, firstSeq: number, count: number): GatewayEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    id: uuidv7(Date.now()),
    seq: firstSeq + i,
    time: new Date().toISOString(),
    type: "access" as const,
    centre: centreId,
    door: `${centreId}-entrance`,
    direction: "in" as const,
    credential: "AAAAAAAAAAAAAAAAAAAAAA",
    decision: "denied" as const,
    reason: "unknown-badge" as const,
  }));
}
