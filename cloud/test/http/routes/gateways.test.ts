import { encodeMessage, topicFor } from "@passerelle/protocol";
import { connectAsync } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onlineStatus } from "../../mocks/gatewayMessages.js";
import { until } from "../../mocks/waitFor.js";
import { startTestCloud, type TestCloud } from "../../support/httpFixture.js";

const fields = (body: { errors?: { field: string }[] }) => body.errors?.map((e) => e.field) ?? [];

describe("gateway routes", () => {
  let t: TestCloud;
  const connect = (username: string, password: string) =>
    connectAsync(`mqtt://127.0.0.1:${t.cloud.brokerPort}`, {
      clientId: `gw-${username}`,
      username,
      password,
      protocolVersion: 4,
      reconnectPeriod: 0,
    });

  beforeAll(async () => {
    t = await startTestCloud();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("provisions a gateway for the centre's staff only, returning its secret once", async () => {
    const body = { id: "redu-1", name: "Entrance controller" };
    // Another centre's manager meets the 404 of an unknown centre; a worker has no staff role.
    for (const [role, status] of [
      ["otherManager", 404],
      ["worker", 403],
    ] as const) {
      const refused = await t.call("POST", "/centres/redu/gateways", {
        token: t.tokens[role],
        body,
      });
      expect(refused.status).toBe(status);
      expect(refused.text).not.toMatch(/secret/i);
    }
    const created = await t.call("POST", "/centres/redu/gateways", {
      token: t.tokens.coordinator,
      body,
    });
    expect(created.status).toBe(201);
    expect(created.headers.get("cache-control")).toBe("no-store");
    const { secret, username, gateway, bundlePublicKeyPem } = created.body;
    expect(username).toBe("redu-1");
    expect(secret).toEqual(expect.any(String));
    expect(secret.length).toBeGreaterThanOrEqual(20);
    expect(bundlePublicKeyPem).toContain("BEGIN PUBLIC KEY");
    expect(gateway).toMatchObject({ id: "redu-1", centreId: "redu", disabled: false });
    expect(gateway.status).toMatchObject({ online: false, lastSeen: null });

    // Nothing the API offers afterwards shows the secret again.
    for (const role of ["coordinator", "manager"] as const) {
      const listed = await t.call("GET", "/centres/redu/gateways", { token: t.tokens[role] });
      expect(listed.status).toBe(200);
      expect(listed.body.items.map((g: { id: string }) => g.id)).toEqual(["redu-1"]);
      expect(listed.text).not.toContain(secret);
      expect(Object.keys(listed.body.items[0])).not.toContain("secret");
    }
    const again = await t.call("POST", "/centres/redu/gateways", {
      token: t.tokens.coordinator,
      body,
    });
    expect(again.status).toBe(409);
    expect(again.text).not.toContain(secret);
    expect(t.logLines().join("\n")).not.toContain(secret);

    // The secret is the broker login, and the status it publishes shows up live.
    const client = await connect("redu-1", secret);
    try {
      await client.publishAsync(
        topicFor("redu-1", "status"),
        encodeMessage("status", onlineStatus("redu", { bundleVersion: 7 })),
        { qos: 1, retain: true },
      );
      await until(() => t.cloud.services.mqtt.gatewayStatus.get("redu-1")?.online === true);
      const live = await t.call("GET", "/centres/redu/gateways", { token: t.tokens.manager });
      expect(live.body.items[0].status).toMatchObject({
        online: true,
        lastSeen: expect.any(String),
        bundleVersion: 7,
        clockTrusted: true,
        outboxDepth: 3,
        outboxFull: false,
        // A gateway from before the quarantine does not send the count: none is assumed.
        outboxQuarantined: 0,
      });
    } finally {
      await client.endAsync(true);
    }
  });

  it("keeps gateways from workers (403) and from other centres' managers (404)", async () => {
    expect((await t.call("GET", "/centres/redu/gateways", { token: t.tokens.worker })).status).toBe(
      403,
    );
    expect(
      (await t.call("GET", "/centres/redu/gateways", { token: t.tokens.otherManager })).status,
    ).toBe(404);
    expect((await t.call("GET", "/centres/redu/gateways")).status).toBe(401);
  });

  it("rotates the secret (the centre's manager): the new one is shown once, the old one stops", async () => {
    const first = await t.call("POST", "/centres/ciney/gateways", {
      token: t.tokens.coordinator,
      body: { id: "ciney-1" },
    });
    const oldSecret = first.body.secret as string;
    const before = await connect("ciney-1", oldSecret);
    for (const [role, status] of [
      ["manager", 404],
      ["worker", 403],
    ] as const) {
      expect(
        (await t.call("POST", "/gateways/ciney-1/rotate-secret", { token: t.tokens[role] })).status,
      ).toBe(status);
    }
    // otherManager manages ciney: installing and re-keying its gateways is theirs to do.
    const rotated = await t.call("POST", "/gateways/ciney-1/rotate-secret", {
      token: t.tokens.otherManager,
    });
    expect(rotated.status).toBe(200);
    expect(rotated.headers.get("cache-control")).toBe("no-store");
    expect(rotated.body.secret).not.toBe(oldSecret);
    // The connection opened with the old secret does not outlive it.
    await until(() => !before.connected);
    expect(t.logLines().join("\n")).toContain("gateway credentials revoked: connection closed");
    await before.endAsync(true);
    await expect(connect("ciney-1", oldSecret)).rejects.toThrow();
    const client = await connect("ciney-1", rotated.body.secret);
    await client.endAsync(true);
    const listed = await t.call("GET", "/centres/ciney/gateways", { token: t.tokens.coordinator });
    expect(listed.text).not.toContain(rotated.body.secret);
    expect(
      (await t.call("POST", "/gateways/nowhere/rotate-secret", { token: t.tokens.coordinator }))
        .status,
    ).toBe(404);
  });

  it("disables a gateway (coordinator): its connection closes and it can no longer log in", async () => {
    const created = await t.call("POST", "/centres/ciney/gateways", {
      token: t.tokens.coordinator,
      body: { id: "ciney-2" },
    });
    const open = await connect("ciney-2", created.body.secret);
    const closed = new Promise<void>((resolve) => open.once("close", () => resolve()));
    const refused = await t.call("PATCH", "/gateways/ciney-2", {
      token: t.tokens.otherManager,
      body: { disabled: true },
    });
    expect(refused.status).toBe(403);
    expect(open.connected).toBe(true);
    const disabled = await t.call("PATCH", "/gateways/ciney-2", {
      token: t.tokens.coordinator,
      body: { disabled: true },
    });
    expect(disabled.status).toBe(200);
    expect(disabled.body).toMatchObject({ disabled: true, disabledAt: expect.any(String) });
    await closed;
    await open.endAsync(true);
    await expect(connect("ciney-2", created.body.secret)).rejects.toThrow();
    const enabled = await t.call("PATCH", "/gateways/ciney-2", {
      token: t.tokens.coordinator,
      body: { disabled: false },
    });
    expect(enabled.body).toMatchObject({ disabled: false, disabledAt: null });
    const client = await connect("ciney-2", created.body.secret);
    await client.endAsync(true);
  });

  it("rejects invalid input naming the field", async () => {
    const badId = await t.call("POST", "/centres/redu/gateways", {
      token: t.tokens.coordinator,
      body: { id: "Redu Gateway" },
    });
    expect(badId.status).toBe(400);
    expect(fields(badId.body)).toEqual(["body/id"]);
    const noCentre = await t.call("POST", "/centres/nowhere/gateways", {
      token: t.tokens.coordinator,
      body: { id: "nowhere-1" },
    });
    expect(noCentre.status).toBe(404);
    const badPatch = await t.call("PATCH", "/gateways/redu-1", {
      token: t.tokens.coordinator,
      body: { disabled: "yes please" },
    });
    expect(badPatch.status).toBe(400);
    expect(fields(badPatch.body)).toEqual(["body/disabled"]);
  });
});
