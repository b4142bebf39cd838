import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMember } from "../../../src/domain/members.js";
import { createPass } from "../../../src/domain/passes.js";
import { admin } from "../../support/fixtures.js";
import { startTestCloud, type TestCloud } from "../../support/httpFixture.js";

const fields = (body: { errors?: { field: string }[] }) => body.errors?.map((e) => e.field) ?? [];
const names = (body: { items: { name: string }[] }) => body.items.map((m) => m.name).sort();

describe("member routes", () => {
  let t: TestCloud;
  let carla: string;
  beforeAll(async () => {
    t = await startTestCloud();
    // Carla lives in Ciney but holds a day pass sold by Redu: both managers see her.
    carla = (
      await createMember(t.deps, admin, {
        name: "Carla",
        email: "carla@example.org",
        homeCentreId: "ciney",
      })
    ).id;
    await createPass(t.deps, admin, {
      memberId: carla,
      kind: "day",
      ownerCentreId: "redu",
      validFrom: Date.parse("2026-03-02T00:00:00+01:00"),
      validTo: Date.parse("2026-03-03T00:00:00+01:00"),
    });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("shows the coordinator everyone and a manager only their centres' members", async () => {
    const all = await t.call("GET", "/members", { token: t.tokens.coordinator });
    expect(all.status).toBe(200);
    expect(names(all.body)).toEqual(["Ann", "Bob", "Carla"]);
    // Ann's network pass is valid everywhere but does not make her Ciney's member.
    expect(names((await t.call("GET", "/members", { token: t.tokens.manager })).body)).toEqual([
      "Ann",
      "Carla",
    ]);
    expect(names((await t.call("GET", "/members", { token: t.tokens.otherManager })).body)).toEqual(
      ["Bob", "Carla"],
    );
    expect((await t.call("GET", "/members", { token: t.tokens.worker })).status).toBe(403);
    expect((await t.call("GET", "/members")).status).toBe(401);
  });

  it("filters by centre and by a piece of name or e-mail, and pages", async () => {
    const ciney = await t.call("GET", "/members?centreId=ciney", { token: t.tokens.coordinator });
    expect(names(ciney.body)).toEqual(["Bob", "Carla"]);
    expect(
      (await t.call("GET", "/members?centreId=ciney", { token: t.tokens.manager })).status,
    ).toBe(404);
    const q = await t.call("GET", "/members?q=CARLA%40", { token: t.tokens.coordinator });
    expect(names(q.body)).toEqual(["Carla"]);
    const wildcard = await t.call("GET", "/members?q=%25", { token: t.tokens.coordinator });
    expect(wildcard.body.items).toEqual([]);
    const first = await t.call("GET", "/members?limit=2", { token: t.tokens.coordinator });
    expect(first.body.items).toHaveLength(2);
    const rest = await t.call("GET", `/members?limit=2&cursor=${first.body.nextCursor}`, {
      token: t.tokens.coordinator,
    });
    expect(rest.body.items).toHaveLength(1);
    expect(rest.body.nextCursor).toBeNull();
    expect(names({ items: [...first.body.items, ...rest.body.items] })).toEqual([
      "Ann",
      "Bob",
      "Carla",
    ]);
  });

  it("reads one member for staff who may see them, 404 for anyone else's", async () => {
    const ann = t.ids.workerMemberId;
    expect(
      (await t.call("GET", `/members/${ann}`, { token: t.tokens.manager })).body,
    ).toMatchObject({ name: "Ann", email: "ann@example.org", homeCentreId: "redu" });
    const hidden = await t.call("GET", `/members/${ann}`, { token: t.tokens.otherManager });
    const missing = await t.call("GET", "/members/0190aaaa-0000-7000-8000-000000000000", {
      token: t.tokens.otherManager,
    });
    expect([hidden.status, missing.status]).toEqual([404, 404]);
    expect(hidden.body.errors).toEqual(
      missing.body.errors.map((e: { field: string }) => ({ ...e, message: expect.any(String) })),
    );
    expect((await t.call("GET", `/members/${ann}`, { token: t.tokens.worker })).status).toBe(403);
  });

  it("lets a manager register members of their centres only", async () => {
    const body = { name: "Dora", email: "dora@example.org", homeCentreId: "redu" };
    const created = await t.call("POST", "/members", { token: t.tokens.manager, body });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: "Dora", homeCentreId: "redu", language: "fr" });
    const elsewhere = await t.call("POST", "/members", {
      token: t.tokens.manager,
      body: { ...body, email: "dora2@example.org", homeCentreId: "ciney" },
    });
    expect(elsewhere.status).toBe(404);
    const homeless = await t.call("POST", "/members", {
      token: t.tokens.manager,
      body: { name: "Eve", email: "eve@example.org" },
    });
    expect(homeless.status).toBe(403);
    expect(fields(homeless.body)).toEqual(["body/homeCentreId"]);
    const byCoordinator = await t.call("POST", "/members", {
      token: t.tokens.coordinator,
      body: { name: "Eve", email: "eve@example.org", language: "nl" },
    });
    expect(byCoordinator.status).toBe(201);
    const duplicate = await t.call("POST", "/members", { token: t.tokens.coordinator, body });
    expect(duplicate.status).toBe(409);
    expect((await t.call("POST", "/members", { token: t.tokens.worker, body })).status).toBe(403);
  });

  it("rejects invalid members naming the field", async () => {
    const invalid = await t.call("POST", "/members", {
      token: t.tokens.coordinator,
      body: { name: "", email: "not-an-address", language: "xx", shoeSize: 42 },
    });
    expect(invalid.status).toBe(400);
    expect(fields(invalid.body)).toEqual(
      expect.arrayContaining(["body/name", "body/email", "body/language", "body/shoeSize"]),
    );
    const badId = await t.call("GET", "/members/not%20an%20id", { token: t.tokens.coordinator });
    expect(fields(badId.body)).toEqual(["params/memberId"]);
  });

  it("edits a member within the manager's centres", async () => {
    const ann = t.ids.workerMemberId;
    const renamed = await t.call("PATCH", `/members/${ann}`, {
      token: t.tokens.manager,
      body: { name: "Ann Dupont", language: "en" },
    });
    expect(renamed.body).toMatchObject({ name: "Ann Dupont", language: "en" });
    const moved = await t.call("PATCH", `/members/${ann}`, {
      token: t.tokens.manager,
      body: { homeCentreId: "ciney" },
    });
    expect(moved.status).toBe(404);
    const hidden = await t.call("PATCH", `/members/${t.ids.otherWorkerMemberId}`, {
      token: t.tokens.manager,
      body: { name: "Bobby" },
    });
    expect(hidden.status).toBe(404);
    const empty = await t.call("PATCH", `/members/${ann}`, { token: t.tokens.manager, body: {} });
    expect(empty.status).toBe(400);
  });

  it("archives a member: their badges stop, and they leave the directory", async () => {
    const fay = await t.call("POST", "/members", {
      token: t.tokens.manager,
      body: { name: "Fay", email: "fay@example.org", homeCentreId: "redu" },
    });
    const badge = await t.call("POST", `/members/${fay.body.id}/badges`, {
      token: t.tokens.manager,
      body: { uid: "04A1B2C3D4E5F6" },
    });
    expect(badge.status).toBe(201);
    expect(
      (await t.call("DELETE", `/members/${fay.body.id}`, { token: t.tokens.otherManager })).status,
    ).toBe(404);
    const archived = await t.call("DELETE", `/members/${fay.body.id}?reason=moved%20away`, {
      token: t.tokens.manager,
    });
    expect(archived.status).toBe(200);
    expect(archived.body.archivedAt).toEqual(expect.any(String));
    const badges = await t.call("GET", `/members/${fay.body.id}/badges`, {
      token: t.tokens.manager,
    });
    expect(badges.body.items[0].revokeReason).toBe("member archived: moved away");
    const listed = await t.call("GET", "/members?q=fay", { token: t.tokens.manager });
    expect(listed.body.items).toEqual([]);
    const withArchived = await t.call("GET", "/members?q=fay&includeArchived=true", {
      token: t.tokens.manager,
    });
    expect(names(withArchived.body)).toEqual(["Fay"]);
    const again = await t.call("DELETE", `/members/${fay.body.id}`, { token: t.tokens.manager });
    expect(again.status).toBe(409);
  });
});
