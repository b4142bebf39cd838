import { type GatewayEvent, uuidv7 } from "@passerelle/protocol";
import { beforeEach, expect, it } from "vitest";
import { AccessEventStore } from "../../src/adapters/accessEventStore.js";
import { StoreBundleVersions } from "../../src/adapters/storeBundleVersions.js";
import { createBooking } from "../../src/reservations/createBooking.js";
import type { Store } from "../../src/store/openStore.js";
import {
  at,
  memberWithPass,
  type RecordingDeps,
  recordingDeps,
  smallCentre,
} from "../support/fixtures.js";
import { describeOnEngines, provideEngines } from "../support/storeEngines.js";

const engines = await provideEngines();

function event(seq: number, overrides: Partial<GatewayEvent> = {}): GatewayEvent {
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

describeOnEngines(engines, "access event store", (harness) => {
  let store: Store;
  let deps: RecordingDeps;
  let sink: AccessEventStore;

  beforeEach(async () => {
    store = await harness.freshStore();
    deps = recordingDeps(store, "2026-03-03T08:00:00Z");
    sink = new AccessEventStore(store, deps.clock);
  });

  const count = async () =>
    Number(
      (
        await store.db
          .selectFrom("access_events")
          .select((eb) => eb.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it("stores a batch and reports the highest committed seq", async () => {
    const result = await sink.storeBatch([
      { gatewayId: "redu-1", centreId: "redu", events: [event(1), event(2), event(3)] },
    ]);
    expect(result).toEqual([{ gatewayId: "redu-1", upToSeq: 3, inserted: 3 }]);
    expect(await count()).toBe(3);
    const row = await store.db
      .selectFrom("access_events")
      .selectAll()
      .where("seq", "=", 2)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      gateway_id: "redu-1",
      centre_id: "redu",
      type: "door.opened",
      door_id: "redu-main",
    });
    expect(Number(row.time)).toBe(Date.parse("2026-03-03T09:00:00Z"));
  });

  it("stores a re-sent batch once, and still acks it", async () => {
    const batch = { gatewayId: "redu-1", centreId: "redu", events: [event(1), event(2)] };
    await sink.storeBatch([batch]);
    const again = await sink.storeBatch([{ ...batch, events: [...batch.events, event(3)] }]);
    expect(again).toEqual([{ gatewayId: "redu-1", upToSeq: 3, inserted: 1 }]);
    expect(await count()).toBe(3);
  });

  it("keeps the same seq of two gateways apart, in one transaction", async () => {
    const result = await sink.storeBatch([
      { gatewayId: "redu-1", centreId: "redu", events: [event(1)] },
      {
        gatewayId: "arlon-1",
        centreId: "arlon",
        events: [event(1, { id: uuidv7(), centre: "arlon" })],
      },
    ]);
    expect(result.map((r) => [r.gatewayId, r.inserted])).toEqual([
      ["redu-1", 1],
      ["arlon-1", 1],
    ]);
    expect(await count()).toBe(2);
  });

  it("checks in the member's booking on a granted entry", async () => {
    const { desk } = await smallCentre(deps, "redu");
    const ann = await memberWithPass(deps, "Ann");
    const booking = await createBooking(deps, `user:${ann.id}`, {
      resourceId: desk.id,
      memberId: ann.id,
      start: at("2026-03-03T10:00+01:00"),
      end: at("2026-03-03T12:00+01:00"),
    });
    await sink.storeBatch([
      {
        gatewayId: "redu-1",
        centreId: "redu",
        events: [
          event(1, {
            type: "access",
            decision: "granted",
            reason: "booking",
            member: ann.id,
            direction: "in",
          }),
        ],
      },
    ]);
    const row = await store.db
      .selectFrom("bookings")
      .select("checked_in_at")
      .where("id", "=", booking.id)
      .executeTakeFirstOrThrow();
    expect(Number(row.checked_in_at)).toBe(Date.parse("2026-03-03T09:00:00Z"));
  });

  it("in a batch of many entries, checks in only the booking an entry falls in, at that entry's time", async () => {
    const { desk } = await smallCentre(deps, "ciney");
    const cleo = await memberWithPass(deps, "Cleo");
    const dan = await memberWithPass(deps, "Dan");
    // 10:00-12:00 Brussels = 09:00-11:00Z; the centre's grace is 15 min.
    const booking = await createBooking(deps, `user:${cleo.id}`, {
      resourceId: desk.id,
      memberId: cleo.id,
      start: at("2026-03-03T10:00+01:00"),
      end: at("2026-03-03T12:00+01:00"),
    });
    const entry = (seq: number, member: string, time: string): GatewayEvent =>
      event(seq, {
        type: "access",
        decision: "granted",
        reason: "pass",
        member,
        direction: "in",
        centre: "ciney",
        door: "ciney-main",
        time,
      });
    await sink.storeBatch([
      {
        gatewayId: "ciney-1",
        centreId: "ciney",
        events: [
          entry(1, cleo.id, "2026-03-03T08:00:00.000Z"), // an hour before: outside the grace
          entry(2, dan.id, "2026-03-03T08:50:00.000Z"), // no booking at all
          entry(3, cleo.id, "2026-03-03T08:50:00.000Z"), // within the grace: checks in
          entry(4, cleo.id, "2026-03-03T09:30:00.000Z"), // already checked in by then
        ],
      },
    ]);
    const row = await store.db
      .selectFrom("bookings")
      .select("checked_in_at")
      .where("id", "=", booking.id)
      .executeTakeFirstOrThrow();
    expect(Number(row.checked_in_at)).toBe(Date.parse("2026-03-03T08:50:00Z"));
  });

  it("keeps bundle versions strictly increasing", async () => {
    const versions = new StoreBundleVersions(store, deps.clock);
    expect(await versions.current("redu")).toBeNull();
    await versions.commit("redu", 1);
    await versions.commit("redu", 2);
    await expect(versions.commit("redu", 2)).rejects.toThrow(/not above/);
    expect(await versions.current("redu")).toBe(2);
    expect(await versions.current("arlon")).toBeNull();
  });

  it("issues a version once when two instances commit it at the same moment", async () => {
    // Two instances' adapters on one store: on PostgreSQL the row lock makes the second wait
    // and then see the first's version; on SQLite the write lock does the same.
    const first = new StoreBundleVersions(store, deps.clock);
    const second = new StoreBundleVersions(store, deps.clock);
    await first.commit("redu", 1);
    const outcomes = await Promise.allSettled([first.commit("redu", 2), second.commit("redu", 2)]);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(await first.current("redu")).toBe(2);
  });
});
