import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMember } from "../../../src/domain/members.js";
import { admin } from "../../support/fixtures.js";
import { startTestCloud, type TestCloud } from "../../support/httpFixture.js";
import { TestGateway } from "./occupancyGateway.js";

/*
 * The access-log routes on the real wired cloud (SQLite): the events are published by gateways
 * over MQTT and stored by the ingest, then read back through HTTP.
 */
describe("access-event routes", () => {
  let t: TestCloud;
  let redu: TestGateway;
  let ciney: TestGateway;
  let malloryId: string;
  const t0 = Date.now() - 3_600_000;
  /** Events published, in all. */
  let total = 0;

  const fields = (body: { errors?: { field: string }[] }) => body.errors?.map((e) => e.field) ?? [];

  async function storedCount(): Promise<number> {
    const row = await t.deps.store.db
      .selectFrom("access_events")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async function waitStored(count: number) {
    const deadline = Date.now() + 10_000;
    while ((await storedCount()) < count) {
      if (Date.now() > deadline) throw new Error("events not stored in time");
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  beforeAll(async () => {
    t = await startTestCloud({ logLevel: "warn" });
    redu = await TestGateway.start(t.deps, t.cloud.brokerPort, "redu");
    ciney = await TestGateway.start(t.deps, t.cloud.brokerPort, "ciney");
    const mallory = await createMember(t.deps, admin, {
      name: '=HYPERLINK("http://evil.example","click")',
      email: "mallory@example.org",
    });
    malloryId = mallory.id;

    const ann = t.ids.workerMemberId;
    const bob = t.ids.otherWorkerMemberId;
    await redu.publishEvents([
      redu.badge(ann, {}, t0),
      redu.badge(bob, { decision: "denied", reason: "door-not-allowed" }, t0 + 1000),
      redu.badge(malloryId, { decision: "denied", reason: "unknown-badge" }, t0 + 2000),
      redu.event({ type: "door.held-open" }, t0 + 3000),
      redu.badge(ann, { direction: "out" }, t0 + 4000),
    ]);
    await ciney.publishEvents([ciney.badge(bob, {}, t0 + 500), ciney.badge(ann, {}, t0 + 1500)]);
    total = 7;
    await waitStored(total);
  });
  afterAll(async () => {
    await redu?.stop();
    await ciney?.stop();
    await t?.stop();
  });

  const list = (query: string, token: string) => t.call("GET", `/access-events${query}`, { token });

  it("lists every event to the coordinator, newest first, with the member's and door's names", async () => {
    const response = await list("", t.tokens.coordinator);
    expect(response.status).toBe(200);
    expect(response.body.items).toHaveLength(total);
    expect(response.body.nextCursor).toBeNull();
    const [newest] = response.body.items;
    expect(newest).toMatchObject({
      centreId: "redu",
      gatewayId: "gw-redu",
      type: "access",
      direction: "out",
      memberId: t.ids.workerMemberId,
      memberName: "Ann",
      outcome: "granted",
      reason: "pass",
      doorId: "redu-front",
      doorName: "Front door",
    });
    expect(newest.occurredAt).toBe(new Date(t0 + 4000).toISOString());
  });

  it("keeps a manager to their centres: 404 for another, never its rows", async () => {
    const mine = await list("", t.tokens.manager);
    expect(mine.body.items.map((e: { centreId: string }) => e.centreId)).toEqual(
      Array(5).fill("redu"),
    );
    const other = await list("?centreId=ciney", t.tokens.manager);
    expect(other.status).toBe(404);
    expect(other.headers.get("content-type")).toContain("application/problem+json");
    const csv = await t.call("GET", "/access-events.csv?centreId=ciney", {
      token: t.tokens.manager,
    });
    expect(csv.status).toBe(404);
    const bobHere = await list(`?memberId=${t.ids.otherWorkerMemberId}`, t.tokens.manager);
    expect(bobHere.body.items).toHaveLength(1);
    expect(bobHere.body.items[0]).toMatchObject({ centreId: "redu", outcome: "denied" });
    expect((await list("", t.tokens.worker)).status).toBe(403);
    expect((await t.call("GET", "/access-events")).status).toBe(401);
  });

  it("filters by door, outcome, reason, type and a time range with zones", async () => {
    const count = async (query: string) =>
      (await list(query, t.tokens.coordinator)).body.items.length;
    expect(await count("?outcome=denied")).toBe(2);
    expect(await count("?reason=unknown-badge")).toBe(1);
    expect(await count("?type=door.held-open")).toBe(1);
    expect(await count("?doorId=ciney-front")).toBe(2);
    const from = encodeURIComponent(new Date(t0 + 1000).toISOString());
    const to = encodeURIComponent(new Date(t0 + 3000).toISOString().replace("Z", "+00:00"));
    expect(await count(`?from=${from}&to=${to}`)).toBe(3);
    expect(await count(`?centreId=redu&from=${from}&to=${to}`)).toBe(2);
  });

  it("refuses bad queries with a 400 naming the field", async () => {
    const bad = async (query: string) => {
      const response = await list(query, t.tokens.coordinator);
      expect(response.status).toBe(400);
      expect(response.headers.get("content-type")).toContain("application/problem+json");
      return fields(response.body);
    };
    expect(await bad("?from=2026-03-02T08:00:00")).toContain("querystring/from");
    // Shaped like an instant but not a date: refused, not read as 2 March.
    expect(await bad("?from=2026-02-30T08:00:00Z")).toEqual(["querystring/from"]);
    expect(await bad("?from=2026-03-02T09:00:00Z&to=2026-03-02T08:00:00Z")).toEqual([
      "querystring/to",
    ]);
    expect(await bad("?cursor=bm90LWEtY3Vyc29y")).toEqual(["querystring/cursor"]);
    expect(await bad("?limit=501")).toContain("querystring/limit");
    expect(await bad("?outcome=maybe")).toContain("querystring/outcome");
    expect(await bad("?reason=because")).toContain("querystring/reason");
    expect(await bad("?colour=blue")).toContain("querystring/colour");
  });

  it("pages through the log with the cursor it gives", async () => {
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `?limit=3${cursor ? `&cursor=${cursor}` : ""}`;
      const response = await list(query, t.tokens.coordinator);
      expect(response.status).toBe(200);
      ids.push(...response.body.items.map((e: { id: string }) => e.id));
      cursor = response.body.nextCursor;
      pages += 1;
    } while (cursor !== null);
    expect(pages).toBe(3);
    const all = (await list("", t.tokens.coordinator)).body.items.map((e: { id: string }) => e.id);
    expect(ids).toEqual(all);
  });

  it("shows a worker their own history only, at every centre", async () => {
    const mine = await t.call("GET", "/me/access-events", { token: t.tokens.worker });
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((e: { centreId: string }) => e.centreId)).toEqual([
      "redu",
      "ciney",
      "redu",
    ]);
    expect(
      mine.body.items.every((e: { memberId: string }) => e.memberId === t.ids.workerMemberId),
    ).toBe(true);
    const atCiney = await t.call("GET", "/me/access-events?centreId=ciney", {
      token: t.tokens.worker,
    });
    expect(atCiney.body.items).toHaveLength(1);
    // memberId is not a filter a worker may set: no peeking at someone else.
    const peek = await t.call("GET", `/me/access-events?memberId=${t.ids.otherWorkerMemberId}`, {
      token: t.tokens.worker,
    });
    expect(peek.status).toBe(400);
    const staff = await t.call("GET", "/me/access-events", { token: t.tokens.manager });
    expect(staff.status).toBe(403);
  });

  it("exports CSV streamed with the same filters, quoted, formulas defused", async () => {
    const response = await fetch(`${t.cloud.httpUrl}/api/v1/access-events.csv?centreId=redu`, {
      headers: { authorization: `Bearer ${t.tokens.manager}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toContain("access-events.csv");
    const text = await response.text();
    const lines = text.split("\r\n");
    expect(lines.at(-1)).toBe("");
    expect(lines[0]).toBe(
      "occurred_at,received_at,centre_id,gateway_id,seq,type,door_id,direction,member_id,member_name,outcome,reason,credential,bundle_version,event_id,detail",
    );
    expect(lines).toHaveLength(1 + 5 + 1);
    const mallory = lines.find((line) => line.includes(malloryId));
    expect(mallory).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    const denied = await fetch(`${t.cloud.httpUrl}/api/v1/access-events.csv?outcome=denied`, {
      headers: { authorization: `Bearer ${t.tokens.coordinator}` },
    });
    expect((await denied.text()).trim().split("\r\n")).toHaveLength(3);
  });

  it("exports a log larger than one page, every row once", async () => {
    const batch = Array.from({ length: 1_100 }, (_, i) =>
      ciney.badge(t.ids.otherWorkerMemberId, {}, t0 - 10_000 - i),
    );
    for (let start = 0; start < batch.length; start += 500) {
      await ciney.publishEvents(batch.slice(start, start + 500));
    }
    total += batch.length;
    await waitStored(total);
    const response = await fetch(`${t.cloud.httpUrl}/api/v1/access-events.csv`, {
      headers: { authorization: `Bearer ${t.tokens.coordinator}` },
    });
    const rows = (await response.text()).trim().split("\r\n").slice(1);
    expect(rows).toHaveLength(total);
    const ids = rows.map((row) => row.split(",")[14]);
    expect(new Set(ids).size).toBe(total);
  });
});
