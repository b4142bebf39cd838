import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  credentialHash,
  decodeMessage,
  encodeMessage,
  type FullBundle,
  openBundle,
  topicFor,
  trustedKeysFromPem,
  uuidv7,
} from "@passerelle/protocol";
import { connectAsync, type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueBadge, revokeBadge } from "../../src/domain/badges.js";
import { createDoor } from "../../src/domain/doors.js";
import { provisionGateway } from "../../src/domain/gateways.js";
import { type RunningCloud, startCloud } from "../../src/server.js";
import { credentialSalt } from "../../src/store/settings.js";
import { admin, centre, memberWithPass } from "../support/fixtures.js";

/** Waits for the next message on a topic (the client must already be subscribed). */
function nextMessage(client: MqttClient, topic: string, timeoutMs = 5000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no message on ${topic}`)), timeoutMs);
    const onMessage = (received: string, payload: Buffer) => {
      if (received !== topic) return;
      clearTimeout(timer);
      client.off("message", onMessage);
      resolve(payload);
    };
    client.on("message", onMessage);
  });
}

describe("the cloud, wired (store, embedded broker, ingest, bundles)", () => {
  let dataDir: string;
  let cloud: RunningCloud;
  let gatewaySecret: string;
  let badgeId: string;
  let uidHash: string;
  let gateway: MqttClient;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "passerelle-cloud-server-"));
    cloud = await startCloud({
      dataDir,
      http: { host: "127.0.0.1", port: 0 },
      broker: { kind: "embedded", config: { host: "127.0.0.1", port: 0 } },
      logLevel: "silent",
    });
    const deps = cloud.services.deps;
    await centre(deps, "redu", [{ days: [1, 2, 3, 4, 5, 6, 7], open: "00:00", close: "24:00" }]);
    gatewaySecret = (await provisionGateway(deps, admin, { id: "redu-1", centreId: "redu" }))
      .secret;
    await createDoor(deps, admin, {
      id: "redu-main",
      centreId: "redu",
      gatewayId: "redu-1",
      name: "Entrée",
      direction: "both",
    });
    const ann = await memberWithPass(deps, "Ann");
    badgeId = (await issueBadge(deps, admin, { memberId: ann.id, uid: "04:A1:B2:C3" })).id;
    uidHash = credentialHash("04A1B2C3", await credentialSalt(cloud.store.db));
  });
  afterAll(async () => {
    await gateway?.endAsync(true);
    await cloud?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("refuses a gateway with a wrong secret", async () => {
    await expect(
      connectAsync(`mqtt://127.0.0.1:${cloud.brokerPort}`, {
        clientId: "gw-redu-1",
        username: "redu-1",
        password: "not-the-secret",
        reconnectPeriod: 0,
      }),
    ).rejects.toThrow();
  });

  it("gives a provisioned gateway its signed bundle with the member's badge, hashed", async () => {
    gateway = await connectAsync(`mqtt://127.0.0.1:${cloud.brokerPort}`, {
      clientId: "gw-redu-1",
      username: "redu-1",
      password: gatewaySecret,
      protocolVersion: 4,
    });
    await gateway.subscribeAsync(
      [topicFor("redu-1", "bundle"), topicFor("redu-1", "bundleDelta"), topicFor("redu-1", "ack")],
      {
        qos: 1,
      },
    );
    const frame = nextMessage(gateway, topicFor("redu-1", "bundle"));
    await gateway.publishAsync(
      topicFor("redu-1", "bundleRequest"),
      encodeMessage("bundleRequest", { heldVersion: null, reason: "start" }),
      {
        qos: 1,
      },
    );
    const trustedKeys = trustedKeysFromPem([cloud.services.signingKey.publicKeyPem]);
    const bundle = openBundle(await frame, {
      trustedKeys,
      heldVersion: null,
      now: Date.now(),
      centre: "redu",
    }) as FullBundle;
    expect(bundle.type).toBe("bundle.full");
    expect(bundle.doors.map((d) => d.id)).toEqual(["redu-main"]);
    const entry = bundle.credentials.find((c) => c.hash === uidHash);
    expect(entry?.status).toBe("active");
    expect(JSON.stringify(bundle)).not.toContain("04A1B2C3");

    // A revocation reaches the connected gateway as a signed delta, well within 2 s.
    const delta = nextMessage(gateway, topicFor("redu-1", "bundleDelta"), 2000);
    await revokeBadge(cloud.services.deps, admin, badgeId, "lost");
    const opened = openBundle(await delta, {
      trustedKeys,
      heldVersion: bundle.version,
      now: Date.now(),
      centre: "redu",
    });
    expect(opened.type).toBe("bundle.delta");
    const revoked =
      opened.type === "bundle.delta" ? opened.upsert.find((c) => c.hash === uidHash) : undefined;
    expect(revoked?.status).toBe("revoked");
  });

  it("stores a gateway's events once and acks them after commit", async () => {
    const events = [1, 2, 3].map((seq) => ({
      id: uuidv7(),
      seq,
      time: new Date().toISOString(),
      type: "door.opened" as const,
      centre: "redu",
      door: "redu-main",
    }));
    const ack = nextMessage(gateway, topicFor("redu-1", "ack"));
    await gateway.publishAsync(topicFor("redu-1", "events"), encodeMessage("events", { events }), {
      qos: 1,
    });
    expect(decodeMessage("ack", await ack)).toEqual({ upToSeq: 3 });
    const again = nextMessage(gateway, topicFor("redu-1", "ack"));
    await gateway.publishAsync(topicFor("redu-1", "events"), encodeMessage("events", { events }), {
      qos: 1,
    });
    expect(decodeMessage("ack", await again)).toEqual({ upToSeq: 3 });
    const rows = await cloud.store.db
      .selectFrom("access_events")
      .select("seq")
      .where("gateway_id", "=", "redu-1")
      .execute();
    expect(rows.map((r) => Number(r.seq)).sort()).toEqual([1, 2, 3]);
  });

  it("answers health on its HTTP port", async () => {
    const response = await fetch(`${cloud.httpUrl}/healthz`);
    expect(await response.json()).toEqual({ status: "ok", checks: { store: "ok", broker: "ok" } });
  });
});
