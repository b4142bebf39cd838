import type { GatewayEvent } from "@passerelle/protocol";
import { beforeEach, expect, it } from "vitest";
import { deadAfterMs, heartbeatEveryMs } from "../../src/hours/rebuildMarks.js";
import { SessionUpdater, sessionsWatermarkKey } from "../../src/hours/sessionUpdater.js";
import { openStore, type Store } from "../../src/store/openStore.js";
import { recordingDeps } from "../support/fixtures.js";
import { describeOnEngines, type EngineHarness, provideEngines } from "../support/storeEngines.js";
import { aroundTheClock, HoursWorld } from "./hoursWorld.js";

const engines = await provideEngines();
const out = { direction: "out" } as const;

// Presence sessions when several cloud instances share one store (docs/scale.md "Presence-session
// rebuilds", "Sessions after an instance dies"). Monday 23 November 2026, Brussels (+01:00).
describeOnEngines(engines, "sessions after an instance dies", (harness) => {
  let store: Store;
  let world: HoursWorld;

  beforeEach(async () => {
    store = await harness.freshStore();
    world = await HoursWorld.create(store);
    await world.centre("redu", aroundTheClock);
  });

  const marks = () =>
    store.db
      .selectFrom("session_rebuild_marks")
      .select("instance_id")
      .orderBy("instance_id")
      .execute();

  /** Commits events as an instance that dies before rebuilding does: stored, never rebuilt. */
  const commitAndDie = async (...events: GatewayEvent[]) => {
    await world.sink.storeBatch([{ gatewayId: "redu-gw", centreId: "redu", events }]);
  };

  it("rebuilds what a dead instance committed once its heartbeat has stopped, and only then", async () => {
    const dead = new SessionUpdater(world.deps);
    await dead.start();
    const live = new SessionUpdater(world.deps);
    await live.start();
    await commitAndDie(
      world.badge("ann", "redu", "2026-11-23T09:00+01:00"),
      world.badge("ann", "redu", "2026-11-23T11:00+01:00", out),
    );
    expect(await world.sessions()).toEqual([]);

    // Within the dead-after delay the silent instance may only be slow: nothing is taken.
    world.deps.clock.advance(deadAfterMs - 1000);
    await live.heartbeat();
    expect(await live.repairDeadInstances()).toBe(0);
    expect(await world.sessions()).toEqual([]);

    world.deps.clock.advance(2000);
    expect(await live.repairDeadInstances()).toBe(1);
    expect(await world.summary()).toEqual([["redu", "2026-11-23T08:00:00.000Z", 120, "exit"]]);
    // The dead instance's row is gone; the live one's stays.
    expect(await marks()).toEqual([{ instance_id: live.instanceId }]);
    expect(world.logs.some((line) => line.instance === dead.instanceId)).toBe(true);
    // Repaired once: a second pass finds nothing.
    world.deps.clock.advance(heartbeatEveryMs);
    expect(await live.repairDeadInstances()).toBe(0);
  });

  it("keeps an instance's promise from before its pending batch while a rebuild of it is owed", async () => {
    const live = new SessionUpdater(world.deps);
    await live.start();
    const started = world.deps.clock.now();
    world.deps.clock.advance(10 * 60_000);
    // Idle: the promise moves up to now (less the margin).
    await live.heartbeat();
    const pendingSince = async () =>
      Number(
        (
          await store.db
            .selectFrom("session_rebuild_marks")
            .select("pending_since")
            .where("instance_id", "=", live.instanceId)
            .executeTakeFirstOrThrow()
        ).pending_since,
      );
    const idleMark = await pendingSince();
    expect(idleMark).toBeGreaterThan(started);
    expect(idleMark).toBeLessThanOrEqual(world.deps.clock.now());
    // A stopped instance leaves no row for anyone to repair.
    await live.stop();
    expect(await marks()).toEqual([]);
  });

  it("a rebuild of the whole history after concurrent ones writes the same sessions", async () => {
    // The cross-check of the test below, on both engines: deliver, then rebuild from nothing.
    await world.centre("ciney", aroundTheClock);
    await world.deliver(
      world.badge("ann", "redu", "2026-11-23T09:00+01:00"),
      world.badge("ann", "ciney", "2026-11-23T13:00+01:00"),
      world.badge("bob", "ciney", "2026-11-23T10:00+01:00"),
      world.badge("bob", "ciney", "2026-11-23T12:30+01:00", out),
    );
    const delivered = await world.summary();
    expect(delivered).toEqual([
      ["redu", "2026-11-23T08:00:00.000Z", 240, "other-centre"],
      ["ciney", "2026-11-23T09:00:00.000Z", 150, "exit"],
      ["ciney", "2026-11-23T12:00:00.000Z", expect.any(Number), expect.any(String)],
    ]);
    expect(await rebuiltFromNothing(store, world)).toEqual(await sessionsAndTotals(store));
  });

  if (harness.engine === "postgres") twoInstancesAtOnce(harness);
});

/** Sessions and month totals as rows to compare, ids left out. */
async function sessionsAndTotals(store: Store) {
  const sessions = await store.db
    .selectFrom("sessions")
    .select([
      "member_id",
      "centre_id",
      "started_at",
      "ended_at",
      "billable_minutes",
      "close_reason",
    ])
    .orderBy("member_id")
    .orderBy("started_at")
    .orderBy("centre_id")
    .execute();
  const totals = await store.db
    .selectFrom("session_totals")
    .selectAll()
    .orderBy("member_id")
    .orderBy("month")
    .orderBy("centre_id")
    .execute();
  return {
    sessions: sessions.map((row) => ({
      ...row,
      started_at: Number(row.started_at),
      ended_at: Number(row.ended_at),
    })),
    totals: totals.map((row) =>
      Object.fromEntries(Object.entries(row).map(([k, v]) => [k, String(v)])),
    ),
  };
}

/** Throws away sessions and totals and rebuilds them from every stored event, one instance alone. */
async function rebuiltFromNothing(store: Store, world: HoursWorld) {
  await store.write(async (trx) => {
    await trx.deleteFrom("sessions").execute();
    await trx.deleteFrom("session_totals").execute();
    await trx.deleteFrom("settings").where("key", "=", sessionsWatermarkKey).execute();
  });
  await new SessionUpdater(world.deps).catchUp();
  return sessionsAndTotals(store);
}

// Two instances rebuilding at once, each with its own connection pool: rebuilds of different
// centres run side by side under per-centre and per-member locks; the outcome must be what one
// rebuild of everything gives. SQLite has one writer, so this is PostgreSQL's case alone.
// (The harness's server lives for its describeOnEngines block, so the test is declared there.)
function twoInstancesAtOnce(harness: EngineHarness) {
  it("write the same sessions and totals as one rebuild of everything", {
    timeout: 60_000,
  }, async () => {
    const url = await (harness.freshDatabaseUrl as () => Promise<string>)();
    const first = await openStore({ postgresUrl: url, poolSize: 4 });
    const second = await openStore({ postgresUrl: url, poolSize: 4 });
    try {
      const world = await HoursWorld.create(first);
      const centres = ["redu", "ciney", "namur", "arlon", "mons", "liege"];
      for (const centre of centres) await world.centre(centre, aroundTheClock);
      const a = new SessionUpdater(world.deps);
      const b = new SessionUpdater({
        ...recordingDeps(second),
        clock: world.deps.clock,
        logger: world.deps.logger,
      });
      // 24 members wander between the centres all day: in somewhere, maybe out, in elsewhere
      // (which closes the first), so most batches name members inside at other centres.
      let seed = 7;
      const random = () => {
        seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
        return seed / 2 ** 31;
      };
      const events: GatewayEvent[] = [];
      for (let member = 0; member < 24; member += 1) {
        let minute = 8 * 60 + Math.floor(random() * 60);
        while (minute < 19 * 60) {
          const centre = centres[Math.floor(random() * centres.length)] as string;
          const time = (m: number) =>
            `2026-11-23T${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}+01:00`;
          events.push(world.badge(`m${member}`, centre, time(minute)));
          minute += 20 + Math.floor(random() * 90);
          if (random() < 0.5) {
            events.push(world.badge(`m${member}`, centre, time(minute), out));
            minute += 5 + Math.floor(random() * 30);
          }
        }
      }
      // Batches of a few events from one centre each, in an order that is not the time order;
      // alternate batches go to each instance, committed one after the other and rebuilt at once.
      const shuffled = events
        .map((event) => ({ event, key: random() }))
        .sort((x, y) => x.key - y.key)
        .map(({ event }) => event);
      let turn = 0;
      for (let start = 0; start < shuffled.length; start += 6) {
        const slice = shuffled.slice(start, start + 6);
        for (const centre of new Set(slice.map((event) => event.centre))) {
          const batch = {
            gatewayId: `${centre}-gw`,
            centreId: centre,
            events: slice.filter((event) => event.centre === centre),
          };
          await world.sink.storeBatch([batch]);
          (turn % 2 === 0 ? a : b).onCommitted(batch);
          turn += 1;
        }
      }
      await Promise.all([a.idle(), b.idle()]);
      // No rebuild failed and was repaired by a catch-up (which would hide a clash).
      expect(world.logs.filter((line) => Number(line.level) >= 50)).toEqual([]);
      const concurrent = await sessionsAndTotals(first);
      expect(concurrent.sessions.length).toBeGreaterThan(events.length / 4);
      expect(await rebuiltFromNothing(first, world)).toEqual(concurrent);
    } finally {
      await first.close();
      await second.close();
    }
  });
}
