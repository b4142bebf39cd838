import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connectAsync, type MqttClient } from "mqtt";
import { afterAll, describe, expect, it } from "vitest";
import {
  type MosquittoService,
  provideService,
  serviceOf,
  writeMosquittoPasswordEntry,
} from "../src/index.js";

// Same shape as the project's gateway ACL: each gateway only under its own subtree.
const ACL = `user cloud
topic readwrite passerelle/v1/#

pattern readwrite passerelle/v1/gw/%u/#
`;

const dir = await mkdtemp(join(tmpdir(), "testkit-auth-"));
const passwordFile = join(dir, "passwd");
const aclFile = join(dir, "acl");
await writeFile(aclFile, ACL);
await writeMosquittoPasswordEntry(passwordFile, "cloud", "cloud-secret");
await writeMosquittoPasswordEntry(passwordFile, "gw-1", "gw-1-secret");
// The built-in hash must be accepted by the real broker too.
await writeMosquittoPasswordEntry(passwordFile, "gw-2", "gw-2-secret", { mosquittoPasswd: null });

const broker = await provideService("mosquitto", { passwordFile, aclFile });

afterAll(() => rm(dir, { recursive: true, force: true }));

describe.skipIf(!broker.available)("Mosquitto with a password file and an ACL", () => {
  afterAll(() => serviceOf(broker).stop());

  const connect = (service: MosquittoService, username?: string, password?: string) =>
    connectAsync(service.url, { username, password, reconnectPeriod: 0, connectTimeout: 5000 });

  it("is never taken from an environment URL", () => {
    expect(serviceOf(broker).source).not.toBe("env");
  });

  it("refuses anonymous clients and wrong passwords", async () => {
    const service = serviceOf(broker);
    await expect(connect(service)).rejects.toThrow(/Not authorized/i);
    await expect(connect(service, "gw-1", "wrong")).rejects.toThrow(/Not authorized/i);
  });

  it("accepts users from both password writers", async () => {
    const service = serviceOf(broker);
    for (const [user, password] of [
      ["gw-1", "gw-1-secret"],
      ["gw-2", "gw-2-secret"],
    ] as const) {
      const client = await connect(service, user, password);
      await client.endAsync();
    }
  });

  it("lets a gateway publish only under its own topic", async () => {
    const service = serviceOf(broker);
    const cloud = await connect(service, "cloud", "cloud-secret");
    const gateway = await connect(service, "gw-1", "gw-1-secret");
    try {
      const seen: string[] = [];
      cloud.on("message", (topic) => seen.push(topic));
      await cloud.subscribeAsync("passerelle/v1/gw/+/status", { qos: 1 });
      // QoS 1 is acknowledged even when the ACL drops the message (MQTT 3.1.1 has no way to
      // say no), so the proof is what the cloud receives: its own, then nothing else.
      await gateway.publishAsync("passerelle/v1/gw/gw-2/status", "spoofed", { qos: 1 });
      const own = new Promise((resolve) => cloud.once("message", resolve));
      await gateway.publishAsync("passerelle/v1/gw/gw-1/status", "online", { qos: 1 });
      await own;
      await settle(cloud);
      expect(seen).toEqual(["passerelle/v1/gw/gw-1/status"]);
    } finally {
      await Promise.all([cloud.endAsync(), gateway.endAsync()]);
    }
  });
});

/** A round trip on the subscriber's connection, so anything still in flight has arrived. */
async function settle(client: MqttClient): Promise<void> {
  await client.subscribeAsync("passerelle/v1/settle", { qos: 1 });
}
