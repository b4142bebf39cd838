import { setTimeout as sleep } from "node:timers/promises";
import { findExecutable, isCi } from "@passerelle/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DemoPersonEntry } from "../../src/demo/demoManifest.js";
import { type BrokerKind, E2eNetwork } from "./support/e2eNetwork.js";
import {
  type AccessLogEntry,
  accessLog,
  book,
  channelsUsed,
  createMemberWithBadge,
  createNetworkPass,
  insideCount,
  revokeBadge,
  until,
} from "./support/networkActions.js";

/*
 * The whole network as separate processes over real MQTT on loopback (issue 5, "Done when"):
 * the demo cloud, one gateway process per centre, the simulated entrances, and the cloud's
 * embedded broker or a real Mosquitto with the project's ACL.
 */
const mosquittoMissing = findExecutable("mosquitto", process.env, ["/usr/sbin"]) === undefined;
if (mosquittoMissing && isCi(process.env))
  throw new Error("mosquitto is missing; CI: a missing service fails");
if (mosquittoMissing) console.warn("PASSERELLE: mosquitto missing, e2e over Mosquitto SKIPPED");

const brokers: BrokerKind[] = ["embedded", "mosquitto"];
const accessOnly = (log: AccessLogEntry[]) => log.filter((e) => e.type === "access");

/** Every event once: no (gateway, seq) and no id twice. */
function expectOnce(log: AccessLogEntry[]) {
  expect(new Set(log.map((e) => `${e.gatewayId}#${e.seq}`)).size).toBe(log.length);
  expect(new Set(log.map((e) => e.id)).size).toBe(log.length);
}

describe.each(brokers)("the network over %s MQTT", (broker) => {
  const skip = broker === "mosquitto" && mosquittoMissing;
  let network: E2eNetwork;
  const people = new Map<string, DemoPersonEntry[]>();
  /** A person of that centre with a network pass, not used by another test yet. */
  const take = (centreId: string): DemoPersonEntry => {
    const list = people.get(centreId) ?? [];
    const person = list.shift();
    if (person === undefined) throw new Error(`no person left at ${centreId}`);
    return person;
  };
  let centreA: string;
  let centreB: string;

  beforeAll(async () => {
    if (skip) return;
    network = await E2eNetwork.start(broker, 2, 60);
    [centreA, centreB] = network.manifest.centres.map((c) => c.id) as [string, string];
    for (const centre of network.manifest.centres) {
      people.set(
        centre.id,
        // Not the few the demo gives a card every door refuses (a pass run out, a badge revoked).
        network.manifest.people.filter(
          (p) => p.pass === "network" && p.homeCentre === centre.id && p.badgeTrouble === undefined,
        ),
      );
    }
  }, 180_000);
  afterAll(async () => {
    await network?.stop();
    console.log(`e2e ${broker}: channels used`, Object.fromEntries(channelsUsed));
  }, 60_000);

  it.skipIf(skip)(
    "badge → unlock → event in the access log → live occupancy up, within 1 s",
    async () => {
      const person = take(centreA);
      const before = await insideCount(network, centreA);
      const tapped = Date.now();
      expect(await network.badge(centreA, person.uid)).toBe(true);
      const unlockedAfter = Date.now() - tapped;
      const logged = await until(
        "the granted event in the cloud's access log",
        async () =>
          accessOnly(await accessLog(network, centreA, tapped - 1000)).find(
            (e) => e.memberId === person.memberId && e.outcome === "granted",
          ),
        1000,
        20,
      );
      const loggedAfter = Date.now() - tapped;
      await until(
        "occupancy up by one",
        async () => ((await insideCount(network, centreA)) === before + 1 ? true : undefined),
        Math.max(0, 1000 - (Date.now() - tapped)),
        20,
      );
      const occupancyAfter = Date.now() - tapped;
      expect(logged.reason).toBe("pass");
      expect(occupancyAfter).toBeLessThanOrEqual(1000);
      console.log(
        `e2e ${broker}: unlocked ${unlockedAfter} ms, logged ${loggedAfter} ms, occupancy ${occupancyAfter} ms`,
      );
    },
  );

  it.skipIf(skip)("a revoked badge is denied at the door within 2 s", async () => {
    const person = take(centreB);
    expect(await network.badge(centreB, person.uid)).toBe(true);
    const revoked = Date.now();
    await revokeBadge(network, person.badgeId);
    await sleep(Math.max(0, revoked + 2000 - Date.now()));
    const tapped = Date.now();
    expect(await network.badge(centreB, person.uid, 1000)).toBe(false);
    const denial = await until(
      "the denial in the access log",
      async () =>
        accessOnly(await accessLog(network, centreB, tapped - 100)).find(
          (e) => e.memberId === person.memberId || e.outcome === "denied",
        ),
      5000,
    );
    expect(denial.outcome).toBe("denied");
    expect(denial.reason).toBe("revoked");
  });

  it.skipIf(skip)(
    "a booking opens the door from its grace period on, not before",
    async () => {
      // The seed sets every centre's booking grace to 1 minute; the member's only right is a
      // pass that starts with the slot, so before the slot only the booking can open the door.
      const now = Date.now();
      const start = now + 75_000;
      const uid = `04E2E0${String(now % 1e8).padStart(8, "0")}`;
      const member = await createMemberWithBadge(network, {
        name: "Booking Tester",
        email: `booking.${now}@e2e.passerelle.example`,
        homeCentreId: centreA,
        uid,
      });
      await createNetworkPass(network, member.memberId, start, start + 3_600_000);
      await book(network, {
        memberId: member.memberId,
        resourceId: `${centreA}-room-1`,
        start,
        end: start + 30 * 60_000,
      });
      await sleep(1000); // the bundle delta reaches the gateway (well under 2 s, as revocations)
      const early = Date.now();
      expect(await network.badge(centreA, uid, 1000)).toBe(false);
      const refusal = await until(
        "the early refusal in the access log",
        async () =>
          accessOnly(await accessLog(network, centreA, early - 100)).find(
            (e) => e.memberId === member.memberId,
          ),
        5000,
      );
      expect(refusal.reason).toBe("outside-window");

      await sleep(Math.max(0, start - 60_000 + 2000 - Date.now()));
      expect(await network.badge(centreA, uid)).toBe(true); // in the grace period
      await sleep(Math.max(0, start + 2000 - Date.now()));
      expect(await network.badge(centreA, uid)).toBe(true); // in the slot
      const granted = accessOnly(await accessLog(network, centreA, early)).filter(
        (e) => e.memberId === member.memberId && e.outcome === "granted",
      );
      expect(granted.map((e) => e.reason)).toContain("booking");
    },
    120_000,
  );

  it.skipIf(skip)(
    "the broker stops for 30 s: doors decide offline, and every event arrives once",
    async () => {
      const from = Date.now();
      const visitors = [take(centreA), take(centreB), take(centreA), take(centreB)];
      await network.stopBroker();
      const stopped = Date.now();
      const decisions: boolean[] = [];
      let taps = 0;
      while (Date.now() - stopped < 30_000) {
        const person = visitors[taps % visitors.length] as DemoPersonEntry;
        decisions.push(await network.badge(person.homeCentre, person.uid));
        taps += 1;
        if (taps % 3 === 0) decisions.push(!(await network.badge(centreA, "04DEAD00BEEF01", 800)));
        await sleep(2500);
      }
      expect(decisions.every(Boolean)).toBe(true);
      const unknownTaps = Math.floor(taps / 3);
      await network.startBroker();
      await network.gatewaysReady();
      const expected = taps + unknownTaps;
      const log = await until(
        `all ${expected} offline access events in the cloud`,
        async () => {
          const all = [
            ...accessOnly(await accessLog(network, centreA, from)),
            ...accessOnly(await accessLog(network, centreB, from)),
          ];
          return all.length >= expected ? all : undefined;
        },
        30_000,
        250,
      );
      await sleep(3000); // gateways re-send unacked batches every 2 s: duplicates would show
      const settled = [
        ...accessOnly(await accessLog(network, centreA, from)),
        ...accessOnly(await accessLog(network, centreB, from)),
      ];
      expect(settled).toHaveLength(log.length);
      expect(settled).toHaveLength(expected);
      expectOnce(settled);
      expect(settled.filter((e) => e.reason === "unknown-badge")).toHaveLength(unknownTaps);
    },
    120_000,
  );

  it.skipIf(skip)(
    "the cloud is killed and restarted: nothing lost, gateways resync",
    async () => {
      const from = Date.now();
      const visitors = [take(centreA), take(centreB)];
      await network.cloud.kill();
      for (const person of visitors)
        expect(await network.badge(person.homeCentre, person.uid)).toBe(true);
      await network.restartCloud();
      await network.gatewaysReady();
      const log = await until(
        "both events after the restart",
        async () => {
          const all = [
            ...accessOnly(await accessLog(network, centreA, from)),
            ...accessOnly(await accessLog(network, centreB, from)),
          ];
          return all.length >= 2 ? all : undefined;
        },
        30_000,
        250,
      );
      expect(log.map((e) => e.memberId).sort()).toEqual(visitors.map((p) => p.memberId).sort());
      expectOnce(log);
      // Resync: a rule change made by the restarted cloud reaches the door.
      const person = visitors[0] as DemoPersonEntry;
      await revokeBadge(network, person.badgeId);
      await sleep(2000);
      expect(await network.badge(person.homeCentre, person.uid, 1000)).toBe(false);
    },
    120_000,
  );
});
