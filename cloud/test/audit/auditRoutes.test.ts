import { type GatewayEvent, uuidv7 } from "@passerelle/protocol";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AccessEventStore } from "../../src/adapters/accessEventStore.js";
import { AuditLog } from "../../src/audit/auditLog.js";
import { issueBadge, revokeBadge } from "../../src/domain/badges.js";
import { startTestCloud, type TestCloud } from "../support/httpFixture.js";

function event(gateway: number, seq: number, overrides: Partial<GatewayEvent>): GatewayEvent {
  return {
    id: uuidv7(Date.parse("2026-03-03T09:00:00Z") + gateway * 1000 + seq),
    seq,
    time: `2026-03-03T09:0${seq}:00.000Z`,
    type: "access",
    centre: "redu",
    ...overrides,
  };
}

interface Entry {
  id: number;
  actor: string;
  action: string;
  centreId: string | null;
  memberId: string | null;
  doorId: string | null;
  outcome: string | null;
  detail: Record<string, unknown>;
}

describe("audit routes (the wired cloud, over HTTP)", () => {
  let t: TestCloud;
  let badgeId: string;

  beforeAll(async () => {
    t = await startTestCloud({ logLevel: "warn" });
    const { deps, ids } = t;
    // A badge revoked with a reason that needs quoting in CSV, by the redu manager.
    const badge = await issueBadge(deps, `user:${ids.userIds.manager}`, {
      memberId: ids.workerMemberId,
      uid: "04A1B2C3D4E5F6",
    });
    badgeId = badge.id;
    await revokeBadge(
      deps,
      `user:${ids.userIds.manager}`,
      badge.id,
      'lost, "on the train"\nline 2',
    );
    // Door events at both centres, stored as the ingest stores them.
    const events = new AccessEventStore(
      deps.store,
      deps.clock,
      new AuditLog(deps.store, deps.clock),
    );
    await events.storeBatch([
      {
        gatewayId: "redu-gw",
        centreId: "redu",
        events: [
          event(1, 1, {
            decision: "granted",
            reason: "pass",
            member: ids.workerMemberId,
            door: "redu-main",
          }),
          event(1, 2, { decision: "denied", reason: "unknown-badge", door: "redu-main" }),
          event(1, 3, { type: "door.forced-open", door: "redu-back" }),
        ],
      },
      {
        gatewayId: "ciney-gw",
        centreId: "ciney",
        events: [
          event(2, 1, {
            centre: "ciney",
            decision: "granted",
            reason: "pass",
            member: ids.otherWorkerMemberId,
            door: "ciney-main",
          }),
        ],
      },
    ]);
  });
  afterAll(() => t?.stop());

  const get = (path: string, role: keyof TestCloud["tokens"] = "coordinator") =>
    t.call("GET", path, { token: t.tokens[role] });

  async function everything(path: string, role: keyof TestCloud["tokens"]): Promise<Entry[]> {
    const all: Entry[] = [];
    let cursor: string | null = null;
    do {
      const separator = path.includes("?") ? "&" : "?";
      const response = await get(
        `${path}${separator}limit=3${cursor ? `&cursor=${cursor}` : ""}`,
        role,
      );
      expect(response.status).toBe(200);
      all.push(...response.body.items);
      cursor = response.body.nextCursor;
    } while (cursor !== null);
    return all;
  }

  it("gives a coordinator every entry, newest first, page by page without gaps", async () => {
    const all = await everything("/audit", "coordinator");
    const total = Number(
      (
        await t.deps.store.db
          .selectFrom("audit_log")
          .select((eb) => eb.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );
    expect(all.map((e) => e.id)).toEqual(Array.from({ length: total }, (_, i) => total - i));
    expect(all[0]).toMatchObject({ action: "access", centreId: "ciney", outcome: "granted" });
    const revoke = all.find((e) => e.action === "badge.revoke");
    expect(revoke).toMatchObject({
      actor: `user:${t.ids.userIds.manager}`,
      memberId: t.ids.workerMemberId,
      detail: { member: t.ids.workerMemberId, reason: 'lost, "on the train"\nline 2' },
    });
    // The fixture's own setup was audited too: logins created, roles granted.
    expect(all.filter((e) => e.action === "staff.grant")).toHaveLength(3);
  });

  it("gives a manager only their centre's entries, and 404 for another centre", async () => {
    const mine = await everything("/audit", "manager");
    expect(mine.length).toBeGreaterThan(3);
    expect(new Set(mine.map((e) => e.centreId))).toEqual(new Set(["redu"]));
    expect(mine.map((e) => e.outcome).filter(Boolean)).toEqual(["alarm", "denied", "granted"]);
    expect((await get("/audit?centreId=ciney", "manager")).status).toBe(404);
    expect((await get("/audit?centreId=redu", "manager")).status).toBe(200);
    expect((await get("/audit", "worker")).status).toBe(403);
    expect((await t.call("GET", "/audit")).status).toBe(401);
  });

  it("filters by member, door, outcome, actor, action and time", async () => {
    const byMember = await everything(`/audit?memberId=${t.ids.workerMemberId}`, "coordinator");
    expect(byMember.every((e) => e.memberId === t.ids.workerMemberId)).toBe(true);
    expect(byMember.map((e) => e.action)).toEqual(
      expect.arrayContaining(["access", "badge.revoke", "badge.issue", "member.create"]),
    );
    expect(
      (await everything("/audit?doorId=redu-back", "coordinator")).map((e) => e.action),
    ).toEqual(["door.forced-open"]);
    expect(
      (await everything("/audit?outcome=granted", "coordinator")).map((e) => e.centreId),
    ).toEqual(["ciney", "redu"]);
    expect(
      (await everything("/audit?actor=gateway:redu-gw", "coordinator")).map((e) => e.outcome),
    ).toEqual(["alarm", "denied", "granted"]);
    const revocations = await everything("/audit?action=badge.revoke", "coordinator");
    expect(revocations.length).toBeGreaterThan(0);
    expect(revocations.every((e) => e.action === "badge.revoke")).toBe(true);
    expect(
      (await everything("/audit?action=door.forced-open", "coordinator")).map((e) => e.doorId),
    ).toEqual(["redu-back"]);
    const window = await everything(
      `/audit?from=${encodeURIComponent("2026-03-03T10:02:00+01:00")}&to=2026-03-03T09:03:00Z`,
      "coordinator",
    );
    expect(window.map((e) => e.outcome)).toEqual(["denied"]);
  });

  it("refuses bad filters with a 400 naming the field", async () => {
    const cases: [string, string][] = [
      ["/audit?from=2026-03-03T09:00:00", "querystring/from"],
      ["/audit?to=yesterday", "querystring/to"],
      ["/audit?to=2026-04-31T09:00:00Z", "querystring/to"],
      ["/audit?from=2026-03-03T10:00:00Z&to=2026-03-03T09:00:00Z", "querystring/to"],
      ["/audit?outcome=maybe", "querystring/outcome"],
      ["/audit?action=Badge%20Revoke", "querystring/action"],
      ["/audit?limit=501", "querystring/limit"],
      ["/audit?cursor=not-a-cursor", "querystring/cursor"],
      [
        `/audit?cursor=${Buffer.from('{"after":"x1"}').toString("base64url")}`,
        "querystring/cursor",
      ],
      ["/audit?colour=blue", "querystring/colour"],
      ["/audit.csv?from=2026-03-03", "querystring/from"],
    ];
    for (const [path, field] of cases) {
      const response = await get(path);
      expect(response.status, path).toBe(400);
      expect(response.headers.get("content-type")).toContain("application/problem+json");
      expect(
        response.body.errors.map((e: { field: string }) => e.field),
        path,
      ).toContain(field);
    }
  });

  it("exports CSV in chain order with RFC 4180 quoting and both hashes", async () => {
    const response = await get("/audit.csv");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const [header, ...rest] = response.text.split("\r\n");
    expect(header).toBe(
      "id,at,actor,action,subject,centre_id,member_id,door_id,outcome,detail,prev_hash,hash",
    );
    expect(rest.at(-1)).toBe("");
    const revokeLine = rest.find((line) => line.includes("badge.revoke"));
    const rows = await t.deps.store.db.selectFrom("audit_log").selectAll().orderBy("id").execute();
    const revoke = rows.find((row) => row.action === "badge.revoke");
    expect(revoke).toBeDefined();
    // The detail is JSON text: its quotes doubled, the field quoted for its commas.
    expect(revokeLine).toBe(
      [
        revoke?.id,
        new Date(Number(revoke?.at)).toISOString(),
        `user:${t.ids.userIds.manager}`,
        "badge.revoke",
        `badge:${badgeId}`,
        "",
        t.ids.workerMemberId,
        "",
        "",
        `"{""member"":""${t.ids.workerMemberId}"",""reason"":""lost, \\""on the train\\""\\nline 2""}"`,
        revoke?.prev_hash,
        revoke?.hash,
      ].join(","),
    );
    // One line per entry, oldest first (the revoke reason's \n is JSON-escaped: one line).
    expect(rest.slice(0, -1).map((line) => Number(line.split(",")[0]))).toEqual(
      rows.map((row) => Number(row.id)),
    );
    const manager = await get("/audit.csv?outcome=granted", "manager");
    expect(manager.text.split("\r\n").filter(Boolean)).toHaveLength(2);
    expect(manager.text).not.toContain("ciney");
  });

  it("verifies the chain for a coordinator and names a row altered in the database", async () => {
    expect((await t.call("POST", "/audit/verify", { token: t.tokens.manager })).status).toBe(403);
    const sound = await t.call("POST", "/audit/verify", { token: t.tokens.coordinator });
    expect(sound.status).toBe(200);
    expect(sound.body).toMatchObject({ ok: true });
    expect(sound.body.firstBroken).toBeUndefined();
    await sql`update audit_log set outcome = 'granted' where id = ${sound.body.checked - 1}`.execute(
      t.deps.store.db,
    );
    const broken = await t.call("POST", "/audit/verify", { token: t.tokens.coordinator });
    expect(broken.body).toMatchObject({
      ok: false,
      checked: sound.body.checked - 2,
      firstBroken: { id: sound.body.checked - 1, reason: "hash-mismatch" },
    });
  });
});
