import { chainHash, type GatewayEvent, genesisHash, uuidv7 } from "@passerelle/protocol";
import { sql } from "kysely";
import { beforeEach, expect, it } from "vitest";
import { AccessEventStore } from "../../src/adapters/accessEventStore.js";
import { AuditLog } from "../../src/audit/auditLog.js";
import { type AuditRecord, hashedEntry } from "../../src/audit/auditRecord.js";
import { verifyAuditChain } from "../../src/audit/verifyAuditChain.js";
import { issueBadge, revokeBadge } from "../../src/domain/badges.js";
import { createDoor } from "../../src/domain/doors.js";
import { updateMember } from "../../src/domain/members.js";
import { type ServiceDeps, serviceDeps } from "../../src/domain/serviceDeps.js";
import { createBooking } from "../../src/reservations/createBooking.js";
import type { Store } from "../../src/store/openStore.js";
import { admin, at, memberWithPass, smallCentre, TestClock } from "../support/fixtures.js";
import { describeOnEngines, provideEngines } from "../support/storeEngines.js";

const engines = await provideEngines();

function event(seq: number, overrides: Partial<GatewayEvent>): GatewayEvent {
  return {
    id: uuidv7(Date.parse("2026-03-03T09:00:00Z") + seq),
    seq,
    time: "2026-03-03T09:00:00.000Z",
    type: "door.opened",
    centre: "redu",
    door: "redu-main",
    ...overrides,
  };
}

function record(n: number): AuditRecord {
  return {
    at: 1_772_000_000_000 + n,
    actor: "system:test",
    action: "test.append",
    subject: `thing:${n}`,
    centreId: "redu",
    memberId: null,
    doorId: null,
    outcome: null,
    detail: { n },
  };
}

describeOnEngines(engines, "audit log", (harness) => {
  let store: Store;
  let clock: TestClock;
  let log: AuditLog;
  let deps: ServiceDeps;

  beforeEach(async () => {
    store = await harness.freshStore();
    clock = new TestClock(Date.parse("2026-03-02T07:00:00Z"));
    log = new AuditLog(store, clock);
    deps = serviceDeps(store, {
      clock,
      hooks: { onAccessRulesChanged: () => {}, audit: log.recordChange },
    });
  });

  const rows = () => store.db.selectFrom("audit_log").selectAll().orderBy("id").execute();

  it("records every admin change once, with who did what to whom, chained from genesis", async () => {
    await smallCentre(deps, "redu");
    const ann = await memberWithPass(deps, "Ann");
    const before = (await rows()).length;
    const badge = await issueBadge(deps, "user:marc", { memberId: ann.id, uid: "04A1B2C3D4E5F6" });
    await revokeBadge(deps, "user:marc", badge.id, "lost");
    await updateMember(deps, "user:claire", ann.id, { name: "Ann B." });
    await createDoor(deps, admin, {
      id: "redu-main",
      centreId: "redu",
      name: "Main",
      direction: "both",
    });
    await createBooking(deps, "user:marc", {
      resourceId: "redu-desk-1",
      memberId: ann.id,
      start: at("2026-03-03T09:00+01:00"),
      end: at("2026-03-03T12:00+01:00"),
    });

    const all = await rows();
    expect(all.slice(before).map((r) => [r.actor, r.action, r.subject, r.member_id])).toEqual([
      ["user:marc", "badge.issue", `badge:${badge.id}`, ann.id],
      ["user:marc", "badge.revoke", `badge:${badge.id}`, ann.id],
      ["user:claire", "member.update", `member:${ann.id}`, ann.id],
      ["user:admin", "door.create", "door:redu-main", null],
      ["user:marc", "booking.create", expect.stringMatching(/^booking:/), ann.id],
    ]);
    expect(all.at(-2)).toMatchObject({ door_id: "redu-main", centre_id: "redu", outcome: null });
    expect(JSON.parse(all[before + 1]?.detail ?? "{}")).toEqual({ member: ann.id, reason: "lost" });
    // Creating the centre, its resources, Ann and her pass came before: one row each.
    expect(all.map((r) => r.action).slice(0, before)).toEqual([
      "centre.create",
      "resource.create",
      "resource.create",
      "resource.create",
      "member.create",
      "pass.create",
    ]);
    expect(all.map((r) => Number(r.id))).toEqual(all.map((_, i) => i + 1));
    expect(all[0]?.prev_hash).toBe(genesisHash);
    for (let i = 1; i < all.length; i += 1) expect(all[i]?.prev_hash).toBe(all[i - 1]?.hash);
    // No raw badge UID anywhere in the log.
    expect(JSON.stringify(all)).not.toContain("04A1B2C3D4E5F6");
    expect(await verifyAuditChain(store.db)).toEqual({
      ok: true,
      checked: all.length,
      lastHash: all.at(-1)?.hash,
    });
  });

  it("writes nothing when the change fails: the entry shares its transaction", async () => {
    await smallCentre(deps, "redu");
    const count = (await rows()).length;
    await expect(
      issueBadge(deps, "user:marc", { memberId: "no-such-member", uid: "04A1B2C3D4E5F6" }),
    ).rejects.toThrow();
    await expect(
      store.write(async (trx) => {
        await log.append(trx, [record(1)]);
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect((await rows()).length).toBe(count);
    expect((await verifyAuditChain(store.db)).ok).toBe(true);
  });

  it("appends the access decisions and door alarms of an ingest batch exactly once", async () => {
    const sink = new AccessEventStore(store, clock, log);
    const batch = {
      gatewayId: "redu-gw",
      centreId: "redu",
      events: [
        event(1, {
          type: "access",
          decision: "granted",
          reason: "pass",
          member: "ann",
          direction: "in",
        }),
        event(2, { type: "door.opened" }),
        event(3, {
          type: "access",
          decision: "denied",
          reason: "unknown-badge",
          credential: "a".repeat(43),
        }),
        event(4, { type: "door.held-open" }),
        event(5, { type: "door.forced-open" }),
        event(6, { type: "door.alarm-cleared" }),
        event(7, { type: "reader.error" }),
      ],
    };
    await sink.storeBatch([batch]);
    // Re-delivered (no ack reached the gateway), and a later batch overlapping it.
    await sink.storeBatch([batch]);
    await sink.storeBatch([
      {
        ...batch,
        events: [
          ...batch.events.slice(5),
          event(8, { type: "access", decision: "granted", reason: "booking", member: "ann" }),
        ],
      },
    ]);

    const audit = await rows();
    expect(audit.map((r) => [r.action, r.outcome, r.member_id])).toEqual([
      ["access", "granted", "ann"],
      ["access", "denied", null],
      ["door.held-open", "alarm", null],
      ["door.forced-open", "alarm", null],
      ["door.alarm-cleared", "alarm-cleared", null],
      ["access", "granted", "ann"],
    ]);
    expect(audit[0]).toMatchObject({
      actor: "gateway:redu-gw",
      subject: `event:${batch.events[0]?.id}`,
      centre_id: "redu",
      door_id: "redu-main",
      at: Date.parse("2026-03-03T09:00:00.000Z"),
    });
    expect(JSON.parse(audit[1]?.detail ?? "{}")).toMatchObject({
      seq: 3,
      reason: "unknown-badge",
      credential: "a".repeat(43),
    });
    expect((await verifyAuditChain(store.db)).ok).toBe(true);
  });

  it("audits once an event delivered twice within one group commit", async () => {
    const sink = new AccessEventStore(store, clock, log);
    const granted = event(1, { type: "access", decision: "granted", reason: "pass" });
    const denied = event(2, { type: "access", decision: "denied", reason: "unknown-badge" });
    const first = { gatewayId: "redu-gw", centreId: "redu", events: [granted] };
    // A re-delivery of the same message joins the same commit, then a batch overlapping both.
    const stored = await sink.storeBatch([first, first, { ...first, events: [granted, denied] }]);
    expect(stored.map((s) => s.inserted)).toEqual([1, 0, 1]);
    const audit = await rows();
    expect(audit.map((r) => [r.subject, r.outcome])).toEqual([
      [`event:${granted.id}`, "granted"],
      [`event:${denied.id}`, "denied"],
    ]);
    expect((await verifyAuditChain(store.db)).ok).toBe(true);
  });

  it("names the row whose content was altered in the database", async () => {
    await store.write((trx) => log.append(trx, [1, 2, 3, 4, 5].map(record)));
    await sql`update audit_log set actor = 'user:someone-else' where id = 3`.execute(store.db);
    expect(await verifyAuditChain(store.db)).toMatchObject({
      ok: false,
      checked: 2,
      firstBroken: { id: 3, reason: "hash-mismatch" },
    });
  });

  it("names the next row when an edited row's hash was recomputed to match", async () => {
    await store.write((trx) => log.append(trx, [1, 2, 3, 4].map(record)));
    const second = await store.db
      .selectFrom("audit_log")
      .selectAll()
      .where("id", "=", 2)
      .executeTakeFirstOrThrow();
    // A forger who knows the scheme edits row 2 and rehashes it: row 3 no longer points at it.
    const forged = { ...second, actor: "user:someone-else" };
    const hash = chainHash(forged.prev_hash, hashedEntry(forged));
    await sql`update audit_log set actor = ${forged.actor}, hash = ${hash} where id = 2`.execute(
      store.db,
    );
    expect(await verifyAuditChain(store.db)).toEqual({
      ok: false,
      checked: 2,
      lastHash: hash,
      firstBroken: { id: 3, reason: "broken-prev-link" },
    });
  });

  it("detects a deleted row, in the middle or at the end", async () => {
    await store.write((trx) => log.append(trx, [1, 2, 3, 4, 5].map(record)));
    const fifth = await store.db
      .selectFrom("audit_log")
      .select("hash")
      .where("id", "=", 5)
      .executeTakeFirstOrThrow();
    await sql`delete from audit_log where id = 5`.execute(store.db);
    expect(await verifyAuditChain(store.db)).toMatchObject({
      ok: false,
      checked: 4,
      firstBroken: { id: 5, reason: "head-mismatch" },
    });
    await sql`delete from audit_log where id = 2`.execute(store.db);
    expect(await verifyAuditChain(store.db)).toMatchObject({
      ok: false,
      checked: 1,
      firstBroken: { id: 3, reason: "broken-prev-link" },
    });
    expect(fifth.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("detects a row slipped in past the head", async () => {
    await store.write((trx) => log.append(trx, [1, 2].map(record)));
    await sql`insert into audit_log (id, at, actor, action, subject, detail, prev_hash, hash)
      select 3, at, actor, action, subject, detail, hash, hash from audit_log where id = 2`.execute(
      store.db,
    );
    expect((await verifyAuditChain(store.db)).firstBroken).toEqual({
      id: 3,
      reason: "head-mismatch",
    });
  });

  it("reports a deleted chain head instead of failing", async () => {
    await store.write((trx) => log.append(trx, [1, 2].map(record)));
    await sql`delete from audit_chain_head`.execute(store.db);
    expect(await verifyAuditChain(store.db)).toEqual({
      ok: false,
      checked: 0,
      lastHash: genesisHash,
      firstBroken: { id: 1, reason: "head-mismatch" },
    });
  });

  it("verifies an empty chain and one longer than a page", async () => {
    expect(await verifyAuditChain(store.db)).toEqual({
      ok: true,
      checked: 0,
      lastHash: genesisHash,
    });
    const records = Array.from({ length: 4_321 }, (_, i) => record(i));
    await store.write((trx) => log.append(trx, records));
    const result = await verifyAuditChain(store.db);
    expect(result).toMatchObject({ ok: true, checked: 4_321 });
    await sql`update audit_log set detail = '{"n":-1}' where id = 4001`.execute(store.db);
    expect((await verifyAuditChain(store.db)).firstBroken).toEqual({
      id: 4001,
      reason: "hash-mismatch",
    });
  });

  it("keeps one valid chain under concurrent appends from admin changes and ingest", async () => {
    await smallCentre(deps, "redu");
    const sink = new AccessEventStore(store, clock, log);
    const writers = Array.from({ length: 12 }, (_, w) =>
      w % 3 === 0
        ? sink.storeBatch([
            {
              gatewayId: `gw-${w}`,
              centreId: "redu",
              events: Array.from({ length: 20 }, (_, i) =>
                event(i + 1, {
                  id: uuidv7(Date.parse("2026-03-03T09:00:00Z") + w * 100 + i),
                  type: "access",
                  decision: "denied",
                  reason: "unknown-badge",
                }),
              ),
            },
          ])
        : store.write((trx) =>
            log.append(
              trx,
              Array.from({ length: 7 }, (_, i) => record(w * 100 + i)),
            ),
          ),
    );
    await Promise.all(writers);
    const all = await rows();
    // The centre and its three resources, four gateways × 20 decisions, eight writers × 7.
    expect(all.length).toBe(4 + 4 * 20 + 8 * 7);
    expect(all.map((r) => Number(r.id))).toEqual(all.map((_, i) => i + 1));
    expect(await verifyAuditChain(store.db)).toMatchObject({ ok: true, checked: all.length });
  });
});
