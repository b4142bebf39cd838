import {
  type Command,
  encodeMessage,
  openCommand,
  topicFor,
  trustedKeysFromPem,
} from "@passerelle/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onlineStatus } from "../../mocks/gatewayMessages.js";
import { until } from "../../mocks/waitFor.js";
import { startTestCloud, type TestCloud } from "../../support/httpFixture.js";
import { SseReader, TestGateway } from "./occupancyGateway.js";

/*
 * Remote unlock, lockdown and alarms on the real wired cloud: the gateway is an MQTT client
 * with its provisioned credentials, subscribed to its command topic as a real gateway is, so
 * the test reads the very frame a gateway would verify.
 */
describe("door operations: remote unlock, lockdown, alarms", () => {
  let t: TestCloud;
  let redu: TestGateway;
  const commands: Buffer[] = [];

  beforeAll(async () => {
    t = await startTestCloud({ logLevel: "warn" });
    redu = await TestGateway.start(t.deps, t.cloud.brokerPort, "redu");
    await redu.client.subscribeAsync(topicFor(redu.id, "command"), { qos: 1 });
    redu.client.on("message", (topic, payload) => {
      if (topic === topicFor(redu.id, "command")) commands.push(payload);
    });
    await redu.publishStatus();
    await until(() => t.cloud.services.mqtt.gatewayStatus.get(redu.id)?.online === true);
  });
  afterAll(async () => {
    await redu?.stop();
    await t?.stop();
  });

  const unlock = (token: string, body: unknown, doorId = redu.doorId) =>
    t.call("POST", `/doors/${doorId}/remote-unlock`, { token, body });

  it("sends the door's gateway a signed, expiring unlock command and audits it", async () => {
    const response = await unlock(t.tokens.manager, { seconds: 8, reason: "courier at the door" });
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ doorId: redu.doorId, gatewayId: redu.id, seconds: 8 });
    await until(() => commands.length === 1);
    const trustedKeys = trustedKeysFromPem([t.cloud.services.signingKey.publicKeyPem]);
    const command: Command = openCommand(commands[0] as Buffer, {
      trustedKeys,
      gatewayId: redu.id,
      now: Date.now(),
      alreadySeen: () => false,
    });
    expect(command).toMatchObject({
      action: "unlock",
      door: redu.doorId,
      durationMs: 8000,
      issuedBy: `user:${t.ids.userIds.manager}`,
    });
    expect(command.id).toBe(response.body.commandId);
    expect(Date.parse(command.expiresAt) - Date.parse(command.issuedAt)).toBeLessThanOrEqual(
      60_000,
    );
    // Another gateway (or the same one, later) refuses it: wrong target, expired.
    expect(() =>
      openCommand(commands[0] as Buffer, {
        trustedKeys,
        gatewayId: "gw-ciney",
        now: Date.now(),
        alreadySeen: () => false,
      }),
    ).toThrow(/gateway/);
    expect(() =>
      openCommand(commands[0] as Buffer, {
        trustedKeys,
        gatewayId: redu.id,
        now: Date.parse(command.expiresAt) + 1,
        alreadySeen: () => false,
      }),
    ).toThrow(/validity/);
    const audit = await t.deps.store.db
      .selectFrom("audit_log")
      .selectAll()
      .where("action", "=", "door.remote-unlock")
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(String(audit[0]?.detail))).toMatchObject({
      reason: "courier at the door",
      seconds: 8,
    });
  });

  it("refuses a manager of another centre as if the door did not exist, and sends nothing", async () => {
    const before = commands.length;
    const response = await unlock(t.tokens.otherManager, { seconds: 5, reason: "try" });
    expect(response.status).toBe(404);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: "doorId" })]);
    const worker = await unlock(t.tokens.worker, { seconds: 5, reason: "try" });
    expect(worker.status).toBe(403);
    expect(commands.length).toBe(before);
  });

  it("refuses a duration beyond the maximum, none, and a missing reason, with the field named", async () => {
    const before = commands.length;
    for (const body of [
      { seconds: 61, reason: "too long" },
      { seconds: 3600, reason: "an afternoon" },
      { seconds: 0, reason: "none" },
      { seconds: 2.5, reason: "half" },
      { seconds: 5 },
      { seconds: 5, reason: "" },
    ]) {
      const response = await unlock(t.tokens.coordinator, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.errors?.[0]?.field, JSON.stringify(body)).toMatch(
        /body\/(seconds|reason)|body/,
      );
    }
    expect(commands.length).toBe(before);
  });

  it("says the gateway is offline instead of sending a command nobody hears", async () => {
    await redu.publishOffline();
    await until(() => t.cloud.services.mqtt.gatewayStatus.get(redu.id)?.online === false);
    const response = await unlock(t.tokens.manager, { seconds: 5, reason: "offline" });
    expect(response.status).toBe(409);
    expect(response.body.detail).toMatch(/offline/);
    await redu.publishStatus();
    await until(() => t.cloud.services.mqtt.gatewayStatus.get(redu.id)?.online === true);
  });

  it("carries a lockdown in the centre's signed bundle until it is lifted, audited both ways", async () => {
    const bundles = t.cloud.services.mqtt as unknown as {
      bundles: {
        latest(id: string): { rules: { lockdown?: boolean } } | undefined;
        settle(): Promise<void>;
      };
    };
    const on = await t.call("PUT", "/centres/redu/lockdown", {
      token: t.tokens.manager,
      body: { active: true, reason: "intrusion reported" },
    });
    expect(on.status).toBe(200);
    expect(on.body).toMatchObject({ centreId: "redu", active: true });
    await until(() => bundles.bundles.latest("redu")?.rules.lockdown === true);
    expect(
      (await t.call("GET", "/centres/redu/lockdown", { token: t.tokens.coordinator })).body,
    ).toMatchObject({ active: true, by: `user:${t.ids.userIds.manager}` });
    const refused = await t.call("PUT", "/centres/redu/lockdown", {
      token: t.tokens.otherManager,
      body: { active: false, reason: "not mine" },
    });
    expect(refused.status).toBe(404);
    const off = await t.call("PUT", "/centres/redu/lockdown", {
      token: t.tokens.manager,
      body: { active: false, reason: "police left" },
    });
    expect(off.body).toMatchObject({ active: false, since: null });
    await until(() => bundles.bundles.latest("redu")?.rules.lockdown === undefined);
    const actions = (
      await t.deps.store.db
        .selectFrom("audit_log")
        .select("action")
        .where("action", "like", "centre.lockdown%")
        .execute()
    ).map((row) => row.action);
    expect(actions).toEqual(["centre.lockdown", "centre.lockdown-lift"]);
  });

  it("raises a forced-open alarm on the live stream, clears it when the door closes, and takes an acknowledgement once", async () => {
    const controller = new AbortController();
    const response = await fetch(`${t.cloud.httpUrl}/api/v1/centres/redu/alarms/stream`, {
      headers: { authorization: `Bearer ${t.tokens.manager}` },
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    const sse = new SseReader(response);
    await sse.next((e) => e.event === "snapshot");
    await redu.publishEvents([redu.event({ type: "door.forced-open" })]);
    const raised = await sse.next((e) => e.event === "alarm" && e.data.kind === "forced-open");
    expect(raised.data).toMatchObject({
      centreId: "redu",
      doorId: redu.doorId,
      gatewayId: redu.id,
      clearedAt: null,
      acknowledgedAt: null,
    });
    const id = raised.data.id as string;
    await redu.publishEvents([redu.event({ type: "door.alarm-cleared" })]);
    await sse.next((e) => e.event === "alarm" && e.data.id === id && e.data.clearedAt !== null);

    const empty = await t.call("POST", `/alarms/${id}/acknowledge`, {
      token: t.tokens.manager,
      body: { note: "" },
    });
    expect(empty.status).toBe(400);
    const foreign = await t.call("POST", `/alarms/${id}/acknowledge`, {
      token: t.tokens.otherManager,
      body: { note: "not mine" },
    });
    expect(foreign.status).toBe(404);
    const ack = await t.call("POST", `/alarms/${id}/acknowledge`, {
      token: t.tokens.manager,
      body: { note: "cleaner propped it, talked to her" },
    });
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({
      acknowledgedBy: `user:${t.ids.userIds.manager}`,
      note: "cleaner propped it, talked to her",
    });
    await sse.next((e) => e.event === "alarm" && e.data.id === id && e.data.acknowledgedAt);
    const again = await t.call("POST", `/alarms/${id}/acknowledge`, {
      token: t.tokens.manager,
      body: { note: "twice" },
    });
    expect(again.status).toBe(409);
    controller.abort();

    const history = await t.call("GET", "/centres/redu/alarms", { token: t.tokens.coordinator });
    expect(history.body.items.find((a: { id: string }) => a.id === id)).toMatchObject({
      kind: "forced-open",
      note: "cleaner propped it, talked to her",
    });
    const open = await t.call("GET", "/centres/redu/alarms?open=true", {
      token: t.tokens.manager,
    });
    expect(open.body.items.some((a: { id: string }) => a.id === id)).toBe(false);
  });

  it("raises gateway-offline when the gateway goes and clears it when it is back", async () => {
    const offlineAlarms = async () =>
      (await t.call("GET", "/centres/redu/alarms", { token: t.tokens.manager })).body.items.filter(
        (a: { kind: string }) => a.kind === "gateway-offline",
      ) as { id: string; clearedAt: string | null }[];
    const poll = async (check: (alarms: { clearedAt: string | null }[]) => boolean) => {
      for (let i = 0; i < 200; i += 1) {
        const alarms = await offlineAlarms();
        if (check(alarms)) return alarms;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error("alarm state not reached");
    };
    // The earlier test's outage is in the history, cleared.
    const before = await poll((alarms) => alarms.every((a) => a.clearedAt !== null));
    await redu.publishOffline();
    const during = await poll((alarms) => alarms.some((a) => a.clearedAt === null));
    expect(during).toHaveLength(before.length + 1);
    await redu.publishStatus();
    const after = await poll((alarms) => alarms.every((a) => a.clearedAt !== null));
    expect(after).toHaveLength(before.length + 1);
  });

  it("raises clock-untrusted from the status and bundle-rejected from the events", async () => {
    const kinds = async () =>
      (await t.call("GET", "/centres/redu/alarms?open=true", { token: t.tokens.manager })).body
        .items as { kind: string; clearedAt: string | null; detail: string | null }[];
    const status = onlineStatus("redu", {
      time: new Date().toISOString(),
      clock: { trusted: false, lastTrustedTime: new Date().toISOString() },
      doors: [{ id: redu.doorId, lock: "locked", contact: "closed", alarm: null }],
    });
    await redu.client.publishAsync(topicFor(redu.id, "status"), encodeMessage("status", status), {
      qos: 1,
      retain: true,
    });
    await redu.publishEvents([
      redu.event({ type: "bundle.rejected", detail: "signature.invalid" }),
    ]);
    let open: Awaited<ReturnType<typeof kinds>> = [];
    for (let i = 0; i < 200; i += 1) {
      open = await kinds();
      const found = new Set(open.map((a) => a.kind));
      if (found.has("clock-untrusted") && found.has("bundle-rejected")) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(open.find((a) => a.kind === "clock-untrusted")?.clearedAt).toBeNull();
    expect(open.find((a) => a.kind === "bundle-rejected")?.detail).toBe("signature.invalid");
    // The clock trusted again ends that alarm (it stays listed until acknowledged).
    await redu.publishStatus();
    for (let i = 0; i < 200; i += 1) {
      open = await kinds();
      if (open.find((a) => a.kind === "clock-untrusted")?.clearedAt) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(open.find((a) => a.kind === "clock-untrusted")?.clearedAt).not.toBeNull();
  });
});
