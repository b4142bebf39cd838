import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestCloud, type TestCloud } from "../../support/httpFixture.js";

const fields = (body: { errors?: { field: string }[] }) => body.errors?.map((e) => e.field) ?? [];

const newCentre = (id: string) => ({
  id,
  name: `Centre ${id}`,
  timeZone: "Europe/Brussels",
  openingHours: [{ days: [1, 2, 3, 4, 5], open: "08:00", close: "18:00" }],
  capacity: 25,
  hourlyRateCents: 380,
});

describe("centre routes", () => {
  let t: TestCloud;
  beforeAll(async () => {
    t = await startTestCloud();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("lists the network to anyone logged in, and to no one else", async () => {
    const listed = await t.call("GET", "/centres", { token: t.tokens.worker });
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((c: { id: string }) => c.id)).toEqual(["ciney", "redu"]);
    expect(listed.body.nextCursor).toBeNull();
    expect(listed.body.items[1]).toMatchObject({
      timeZone: "Europe/Brussels",
      capacity: 40,
      openingHours: [{ days: [1, 2, 3, 4, 5], open: "08:00", close: "18:00" }],
    });
    const anonymous = await t.call("GET", "/centres");
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("content-type")).toContain("application/problem+json");
  });

  it("shows the settlement rate only to the coordinator and that centre's managers", async () => {
    const rate = async (token: string, centre: string) =>
      (await t.call("GET", `/centres/${centre}`, { token })).body.hourlyRateCents;
    expect(await rate(t.tokens.coordinator, "redu")).toBe(450);
    expect(await rate(t.tokens.manager, "redu")).toBe(450);
    expect(await rate(t.tokens.otherManager, "redu")).toBeUndefined();
    expect(await rate(t.tokens.worker, "redu")).toBeUndefined();
    const list = await t.call("GET", "/centres", { token: t.tokens.manager });
    const byId = Object.fromEntries(
      list.body.items.map((c: { id: string; hourlyRateCents?: number }) => [c.id, c]),
    );
    expect(byId.redu.hourlyRateCents).toBe(450);
    expect(byId.ciney.hourlyRateCents).toBeUndefined();
  });

  it("pages with an opaque cursor and refuses a forged one", async () => {
    const first = await t.call("GET", "/centres?limit=1", { token: t.tokens.worker });
    expect(first.body.items).toHaveLength(1);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await t.call("GET", `/centres?limit=1&cursor=${first.body.nextCursor}`, {
      token: t.tokens.worker,
    });
    expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
    const forged = await t.call("GET", "/centres?cursor=nonsense", { token: t.tokens.worker });
    expect(forged.status).toBe(400);
    expect(fields(forged.body)).toEqual(["querystring/cursor"]);
    const tooMany = await t.call("GET", "/centres?limit=501", { token: t.tokens.worker });
    expect(tooMany.status).toBe(400);
    expect(fields(tooMany.body)).toEqual(["querystring/limit"]);
  });

  it("says 404 for a centre that does not exist, 400 for an id that cannot be one", async () => {
    expect((await t.call("GET", "/centres/nowhere", { token: t.tokens.worker })).status).toBe(404);
    const bad = await t.call("GET", "/centres/%20bad%20", { token: t.tokens.worker });
    expect(bad.status).toBe(400);
    expect(fields(bad.body)).toEqual(["params/centreId"]);
  });

  it("lets only the coordinator open a centre", async () => {
    for (const role of ["manager", "worker"] as const) {
      const refused = await t.call("POST", "/centres", {
        token: t.tokens[role],
        body: newCentre("namur"),
      });
      expect(refused.status).toBe(403);
    }
    const created = await t.call("POST", "/centres", {
      token: t.tokens.coordinator,
      body: newCentre("namur"),
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: "namur", hourlyRateCents: 380, archivedAt: null });
    const again = await t.call("POST", "/centres", {
      token: t.tokens.coordinator,
      body: newCentre("namur"),
    });
    expect(again.status).toBe(409);
  });

  it("rejects invalid centres naming the field", async () => {
    const { timeZone: _, ...noZone } = newCentre("arlon");
    const missing = await t.call("POST", "/centres", { token: t.tokens.coordinator, body: noZone });
    expect(missing.status).toBe(400);
    expect(fields(missing.body)).toContain("body/timeZone");
    const badZone = await t.call("POST", "/centres", {
      token: t.tokens.coordinator,
      body: { ...newCentre("arlon"), timeZone: "Mars/Olympus" },
    });
    expect(badZone.status).toBe(400);
    expect(fields(badZone.body)).toEqual(["timeZone"]);
    const badHours = await t.call("POST", "/centres", {
      token: t.tokens.coordinator,
      body: { ...newCentre("arlon"), openingHours: [{ days: [8], open: "8h", close: "18:00" }] },
    });
    expect(badHours.status).toBe(400);
    expect(fields(badHours.body)).toEqual(
      expect.arrayContaining(["body/openingHours/0/days/0", "body/openingHours/0/open"]),
    );
    const badId = await t.call("POST", "/centres", {
      token: t.tokens.coordinator,
      body: { ...newCentre("Arlon Centre"), extra: 1 },
    });
    expect(fields(badId.body)).toEqual(expect.arrayContaining(["body/id", "body/extra"]));
  });

  it("lets a manager edit their centre but not its rate, and not another centre", async () => {
    const edited = await t.call("PATCH", "/centres/redu", {
      token: t.tokens.manager,
      body: { capacity: 42, settings: { roomBufferMinutes: 5 } },
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ capacity: 42, settings: { roomBufferMinutes: 5 } });
    const rate = await t.call("PATCH", "/centres/redu", {
      token: t.tokens.manager,
      body: { hourlyRateCents: 9999 },
    });
    expect(rate.status).toBe(403);
    expect(fields(rate.body)).toEqual(["body/hourlyRateCents"]);
    const elsewhere = await t.call("PATCH", "/centres/ciney", {
      token: t.tokens.manager,
      body: { capacity: 1 },
    });
    const nowhere = await t.call("PATCH", "/centres/nowhere", {
      token: t.tokens.manager,
      body: { capacity: 1 },
    });
    expect([elsewhere.status, nowhere.status]).toEqual([404, 404]);
    // Another centre is indistinguishable from no centre at all.
    expect(elsewhere.body.detail).toBe(nowhere.body.detail.replace("nowhere", "ciney"));
    expect(
      (await t.call("PATCH", "/centres/redu", { token: t.tokens.worker, body: { capacity: 1 } }))
        .status,
    ).toBe(403);
    const empty = await t.call("PATCH", "/centres/redu", { token: t.tokens.manager, body: {} });
    expect(empty.status).toBe(400);
    const coordinator = await t.call("PATCH", "/centres/ciney", {
      token: t.tokens.coordinator,
      body: { hourlyRateCents: 500 },
    });
    expect(coordinator.body.hourlyRateCents).toBe(500);
  });

  it("archives a centre (coordinator only): it leaves the directory but keeps its page", async () => {
    await t.call("POST", "/centres", { token: t.tokens.coordinator, body: newCentre("spa") });
    expect((await t.call("DELETE", "/centres/spa", { token: t.tokens.manager })).status).toBe(403);
    const archived = await t.call("DELETE", "/centres/spa", { token: t.tokens.coordinator });
    expect(archived.status).toBe(200);
    expect(archived.body.archivedAt).toEqual(expect.any(String));
    const list = await t.call("GET", "/centres", { token: t.tokens.worker });
    expect(list.body.items.map((c: { id: string }) => c.id)).not.toContain("spa");
    const all = await t.call("GET", "/centres?includeArchived=true", { token: t.tokens.worker });
    expect(all.body.items.map((c: { id: string }) => c.id)).toContain("spa");
  });

  it("documents every directory and administration route in the OpenAPI document", async () => {
    const doc = (await (await fetch(`${t.cloud.httpUrl}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    const paths = [
      "/centres",
      "/centres/{centreId}",
      "/centres/{centreId}/resources",
      "/resources/{resourceId}",
      "/centres/{centreId}/doors",
      "/doors/{doorId}",
      "/centres/{centreId}/gateways",
      "/gateways/{gatewayId}",
      "/gateways/{gatewayId}/rotate-secret",
      "/members",
      "/members/{memberId}",
      "/members/{memberId}/passes",
      "/passes/{passId}",
      "/passes/{passId}/revoke",
      "/members/{memberId}/badges",
      "/badges/{badgeId}/revoke",
      "/me/passes",
      "/me/badges",
    ].map((path) => `/api/v1${path}`);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(paths));
    // Every operation documents its success response, not just "some JSON".
    for (const path of paths) {
      for (const operation of Object.values(doc.paths[path] ?? {})) {
        expect(Object.keys(operation.responses).some((code) => code.startsWith("2"))).toBe(true);
      }
    }
    const badges = JSON.stringify(doc.paths["/api/v1/members/{memberId}/badges"]?.get);
    // No property carries the UID or its hash ("uid" may appear as a credential kind's value).
    expect(badges).not.toMatch(/"uid":|credentialHash/);
  });
});
