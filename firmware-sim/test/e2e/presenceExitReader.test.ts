import { findExecutable, isCi } from "@passerelle/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrokerKind, E2eNetwork } from "./support/e2eNetwork.js";
import { accessLog, insideCount, sessionsSince, until } from "./support/networkActions.js";

/*
 * Exit readers end sessions at the real time (issue 14): people badge into Wemmel, whose
 * entrance has a reader inside (an `exit-reader` door), and leave one by one by badging at it,
 * as separate processes (cloud, gateway) over the embedded broker and over Mosquitto. Each
 * session ends by its own exit badge ("exit", confirmed) at the time of that badge; an exit
 * badge of someone not inside moves no count.
 */
const mosquittoMissing = findExecutable("mosquitto", process.env, ["/usr/sbin"]) === undefined;
if (mosquittoMissing && isCi(process.env))
  throw new Error("mosquitto is missing; CI: a missing service fails");
if (mosquittoMissing) console.warn("PASSERELLE: mosquitto missing, e2e over Mosquitto SKIPPED");

const brokers: BrokerKind[] = ["embedded", "mosquitto"];
const centre = "wemmel";
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(brokers)("exit readers over %s MQTT", (broker) => {
  const skip = broker === "mosquitto" && mosquittoMissing;
  let network: E2eNetwork;

  beforeAll(async () => {
    if (skip) return;
    network = await E2eNetwork.start(broker, [centre], 12);
  }, 180_000);
  afterAll(async () => {
    await network?.stop();
  }, 60_000);

  it.skipIf(skip)(
    "four people in, out one by one by the exit reader: each session ends by its own badge",
    async () => {
      expect(network.manifest.centres[0]?.exitKind).toBe("exit-reader");
      const ok = network.manifest.people.filter((p) => p.badgeTrouble === undefined);
      const people = ok.slice(0, 4);
      const stranger = ok[4];
      expect(people).toHaveLength(4);
      if (stranger === undefined) throw new Error("no fifth person");
      const from = Date.now();
      expect(await insideCount(network, centre)).toBe(0);
      for (const person of people) expect(await network.badge(centre, person.uid)).toBe(true);
      await until(
        "the board at 4",
        async () => ((await insideCount(network, centre)) === 4 ? true : undefined),
        3000,
        20,
      );

      // They leave a second or so apart, each at a time the test notes.
      const leftAt = new Map<string, number>();
      const board: number[] = [];
      for (const person of people) {
        await pause(1000);
        leftAt.set(person.memberId, await network.leaveByExitReader(centre, person.uid));
        const expected = people.length - leftAt.size;
        board.push(
          await until(
            `the board at ${expected}`,
            async () => {
              const inside = await insideCount(network, centre);
              return inside === expected ? inside : undefined;
            },
            3000,
            20,
          ),
        );
        if (person === people[1]) {
          // Someone who never came in badges at the reader inside: nothing moves.
          await network.leaveByExitReader(centre, stranger.uid);
          await pause(500);
          expect(await insideCount(network, centre)).toBe(2);
        }
      }
      expect(board).toEqual([3, 2, 1, 0]);

      const exits = await until(
        "five exit badges in the access log",
        async () => {
          const events = (await accessLog(network, centre, from)).filter(
            (e) => e.type === "access" && e.direction === "out",
          );
          return events.length >= 5 ? events : undefined;
        },
        5000,
        100,
      );
      // No door cycle at an exit-reader door is an anonymous exit.
      expect(
        (await accessLog(network, centre, from)).filter((e) => e.type === "door.exit"),
      ).toEqual([]);

      const sessions = await until(
        "four sessions ended by an exit badge",
        async () => {
          const list = await sessionsSince(network, centre, from - 60_000);
          return list.length >= 4 && list.every((s) => s.closeReason === "exit") ? list : undefined;
        },
        5000,
        100,
      );
      expect(sessions.map((s) => s.memberId).sort()).toEqual(people.map((p) => p.memberId).sort());
      for (const session of sessions) {
        expect(session.confirmed).toBe(true);
        const exit = exits.find((e) => e.id === session.closeEventId);
        expect(exit?.memberId).toBe(session.memberId);
        // Ended at that person's own badge, not at the last out nor by a no-exit rule.
        expect(Date.parse(session.end)).toBe(Date.parse(exit?.occurredAt ?? ""));
        const tapped = leftAt.get(session.memberId) as number;
        expect(Math.abs(Date.parse(session.end) - tapped)).toBeLessThan(1000);
      }
      // The four ends are distinct times, a second apart or more.
      const ends = sessions.map((s) => Date.parse(s.end)).sort((a, b) => a - b);
      for (let i = 1; i < ends.length; i++) {
        expect((ends[i] as number) - (ends[i - 1] as number)).toBeGreaterThanOrEqual(900);
      }
      // The stranger's exit badge was recorded with its member, and ended no session.
      expect(exits.filter((e) => e.memberId === stranger.memberId)).toHaveLength(1);
      expect(sessions.some((s) => s.memberId === stranger.memberId)).toBe(false);
    },
    120_000,
  );
});
