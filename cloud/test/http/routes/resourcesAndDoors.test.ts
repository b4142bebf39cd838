import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { provisionGateway } from "../../../src/domain/gateways.js";
import { admin } from "../../support/fixtures.js";
import { startTestCloud, type TestCloud } from "../../support/httpFixture.js";

const fields = (body: { errors?: { field: string }[] }) => body.errors?.map((e) => e.field) ?? [];
const ids = (body: { items: { id: string }[] }) => body.items.map((item) => item.id);

describe("resource routes", () => {
  let t: TestCloud;
  beforeAll(async () => {
    t = await startTestCloud();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("lists a centre's resources to anyone logged in (workers book them)", async () => {
    const listed = await t.call("GET", "/centres/ciney/resources", { token: t.tokens.worker });
    expect(listed.status).toBe(200);
    expect(ids(listed.body)).toEqual(["ciney-desk-1", "ciney-open-space", "ciney-room-a"]);
    const rooms = await t.call("GET", "/centres/ciney/resources?kind=room", {
      token: t.tokens.worker,
    });
    expect(ids(rooms.body)).toEqual(["ciney-room-a"]);
    expect((await t.call("GET", "/centres/ciney/resources")).status).toBe(401);
    expect(
      (await t.call("GET", "/centres/nowhere/resources", { token: t.tokens.worker })).status,
    ).toBe(404);
    const badKind = await t.call("GET", "/centres/ciney/resources?kind=sofa", {
      token: t.tokens.worker,
    });
    expect(fields(badKind.body)).toEqual(["querystring/kind"]);
  });

  it("lets a centre's manager and the coordinator add resources, no one else", async () => {
    const body = { id: "redu-room-b", kind: "room", name: "Room B", capacity: 6 };
    expect(
      (await t.call("POST", "/centres/redu/resources", { token: t.tokens.worker, body })).status,
    ).toBe(403);
    expect(
      (await t.call("POST", "/centres/redu/resources", { token: t.tokens.otherManager, body }))
        .status,
    ).toBe(404);
    const created = await t.call("POST", "/centres/redu/resources", {
      token: t.tokens.manager,
      body,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: "redu-room-b", centreId: "redu", capacity: 6 });
    const byCoordinator = await t.call("POST", "/centres/ciney/resources", {
      token: t.tokens.coordinator,
      body: { kind: "desk", name: "Desk 2" },
    });
    expect(byCoordinator.status).toBe(201);
    expect(byCoordinator.body.capacity).toBe(1);
  });

  it("rejects invalid resources naming the field", async () => {
    const noCapacity = await t.call("POST", "/centres/redu/resources", {
      token: t.tokens.manager,
      body: { kind: "zone", name: "Garden" },
    });
    expect(noCapacity.status).toBe(400);
    expect(fields(noCapacity.body)).toEqual(["capacity"]);
    const badKind = await t.call("POST", "/centres/redu/resources", {
      token: t.tokens.manager,
      body: { kind: "sofa", name: "", capacity: 0 },
    });
    expect(fields(badKind.body)).toEqual(
      expect.arrayContaining(["body/kind", "body/name", "body/capacity"]),
    );
  });

  it("renames and archives only resources of the caller's centres", async () => {
    const rename = (token: string) =>
      t.call("PATCH", "/resources/redu-desk-1", { token, body: { name: "Window desk" } });
    expect((await rename(t.tokens.otherManager)).status).toBe(404);
    expect((await rename(t.tokens.worker)).status).toBe(403);
    const renamed = await rename(t.tokens.manager);
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe("Window desk");
    const missing = await t.call("PATCH", "/resources/no-such", {
      token: t.tokens.otherManager,
      body: { name: "x" },
    });
    const hidden = await t.call("PATCH", "/resources/redu-desk-1", {
      token: t.tokens.otherManager,
      body: { name: "x" },
    });
    expect(hidden.body.detail).toBe(missing.body.detail.replace("no-such", "redu-desk-1"));
    const resize = await t.call("PATCH", "/resources/redu-desk-1", {
      token: t.tokens.manager,
      body: { capacity: 2 },
    });
    expect(resize.status).toBe(400);
    expect(fields(resize.body)).toEqual(["capacity"]);

    expect(
      (await t.call("DELETE", "/resources/redu-room-a", { token: t.tokens.otherManager })).status,
    ).toBe(404);
    const archived = await t.call("DELETE", "/resources/redu-room-a", {
      token: t.tokens.manager,
    });
    expect(archived.status).toBe(200);
    expect(archived.body.archivedAt).toEqual(expect.any(String));
    const listed = await t.call("GET", "/centres/redu/resources", { token: t.tokens.worker });
    expect(ids(listed.body)).not.toContain("redu-room-a");
  });
});

describe("door routes", () => {
  let t: TestCloud;
  beforeAll(async () => {
    t = await startTestCloud();
    await provisionGateway(t.deps, admin, { id: "gw-redu", centreId: "redu" });
    await provisionGateway(t.deps, admin, { id: "gw-ciney", centreId: "ciney" });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("creates, lists, edits and removes doors for a centre's manager", async () => {
    const created = await t.call("POST", "/centres/redu/doors", {
      token: t.tokens.manager,
      body: {
        id: "redu-main",
        name: "Main door",
        direction: "in",
        gatewayId: "gw-redu",
        resourceIds: ["redu-open-space"],
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ gatewayId: "gw-redu", resourceIds: ["redu-open-space"] });
    const listed = await t.call("GET", "/centres/redu/doors", { token: t.tokens.manager });
    expect(ids(listed.body)).toEqual(["redu-main"]);
    const edited = await t.call("PATCH", "/doors/redu-main", {
      token: t.tokens.manager,
      body: { direction: "both", resourceIds: [] },
    });
    expect(edited.body).toMatchObject({ direction: "both", resourceIds: [] });
    expect((await t.call("DELETE", "/doors/redu-main", { token: t.tokens.manager })).status).toBe(
      204,
    );
    expect(
      ids((await t.call("GET", "/centres/redu/doors", { token: t.tokens.coordinator })).body),
    ).toEqual([]);
  });

  it("hides doors from workers (403) and from other centres' managers (404)", async () => {
    await t.call("POST", "/centres/ciney/doors", {
      token: t.tokens.coordinator,
      body: { id: "ciney-main", name: "Main", direction: "in" },
    });
    expect((await t.call("GET", "/centres/ciney/doors", { token: t.tokens.worker })).status).toBe(
      403,
    );
    expect((await t.call("GET", "/centres/ciney/doors", { token: t.tokens.manager })).status).toBe(
      404,
    );
    const patch = { token: t.tokens.manager, body: { name: "mine now" } };
    expect((await t.call("PATCH", "/doors/ciney-main", patch)).status).toBe(404);
    expect((await t.call("DELETE", "/doors/ciney-main", { token: t.tokens.manager })).status).toBe(
      404,
    );
    expect(
      (
        await t.call("POST", "/centres/ciney/doors", {
          token: t.tokens.manager,
          body: { name: "sneaky", direction: "in" },
        })
      ).status,
    ).toBe(404);
  });

  it("refuses a door wired to another centre's gateway or resources, naming the field", async () => {
    const gateway = await t.call("POST", "/centres/redu/doors", {
      token: t.tokens.manager,
      body: { name: "Back", direction: "out", gatewayId: "gw-ciney" },
    });
    expect(gateway.status).toBe(400);
    expect(fields(gateway.body)).toEqual(["gatewayId"]);
    const resource = await t.call("POST", "/centres/redu/doors", {
      token: t.tokens.manager,
      body: { name: "Back", direction: "out", resourceIds: ["ciney-room-a"] },
    });
    expect(fields(resource.body)).toEqual(["resourceIds"]);
    const shape = await t.call("POST", "/centres/redu/doors", {
      token: t.tokens.manager,
      body: { name: "Back", direction: "sideways", gatewayId: "GW ciney" },
    });
    expect(shape.status).toBe(400);
    expect(fields(shape.body)).toEqual(
      expect.arrayContaining(["body/direction", "body/gatewayId"]),
    );
  });
});
