import { type GatewayEvent, uuidv7 } from "@passerelle/protocol";
import { beforeEach, expect, it } from "vitest";
import { AccessEventStore } from "../../src/adapters/accessEventStore.js";
import { createMember } from "../../src/domain/members.js";
import { membersInside } from "../../src/occupancy/membersInside.js";
import {
  admin,
  centre,
  everyDay8to18,
  type RecordingDeps,
  recordingDeps,
} from "../support/fixtures.js";
import { describeOnEngines, provideEngines } from "../support/storeEngines.js";

/* Who is inside, by the presence rules over the stored access log, on both engines. */

const engines = await provideEngines();
// Monday 2 March 2026, 09:00 in Brussels (08:00 UTC); the centres open 08:00–18:00 every day.
const nine = Date.parse("2026-03-02T08:00:00Z");
const minute = 60_000;

describeOnEngines(engines, "membersInside", (harness) => {
  let deps: RecordingDeps;
  let events: AccessEventStore;
  let seq = 0;
  const ids: Record<string, string> = {};

  beforeEach(async () => {
    deps = recordingDeps(await harness.freshStore(), "2026-03-02T08:00:00Z");
    await centre(deps, "redu", everyDay8to18);
    await centre(deps, "ciney", everyDay8to18);
    for (const name of ["Ann", "Bob", "Cleo"]) {
      ids[name] = (await createMember(deps, admin, { name, email: `${name}@x.org` })).id;
    }
    events = new AccessEventStore(deps.store, deps.clock);
  });

  async function badge(
    name: string,
    centreId: string,
    at: number,
    fields: Partial<GatewayEvent> = {},
  ) {
    seq += 1;
    const event: GatewayEvent = {
      id: uuidv7(at),
      seq,
      time: new Date(at).toISOString(),
      type: "access",
      centre: centreId,
      direction: "in",
      member: ids[name] as string,
      decision: "granted",
      reason: "pass",
      ...fields,
    };
    await events.storeBatch([{ gatewayId: `gw-${centreId}`, centreId, events: [event] }]);
  }

  const names = async (centreId: string) =>
    (await membersInside(deps, centreId)).map((m) => m.name);

  it("names who entered and has not left, oldest first", async () => {
    await badge("Bob", "redu", nine + 5 * minute);
    await badge("Ann", "redu", nine);
    await badge("Cleo", "redu", nine + 10 * minute, { decision: "denied", reason: "revoked" });
    deps.clock.set(nine + 30 * minute);
    expect(await membersInside(deps, "redu")).toEqual([
      { memberId: ids.Ann, name: "Ann", since: nine, lastSeenAt: nine },
      { memberId: ids.Bob, name: "Bob", since: nine + 5 * minute, lastSeenAt: nine + 5 * minute },
    ]);
    expect(await names("ciney")).toEqual([]);
  });

  it("lets an exit badge, an entry elsewhere and the closing time end a presence", async () => {
    await badge("Ann", "redu", nine);
    await badge("Ann", "redu", nine + 60 * minute, { direction: "out" });
    await badge("Bob", "redu", nine);
    await badge("Bob", "ciney", nine + 120 * minute);
    await badge("Cleo", "redu", nine + 30 * minute);
    deps.clock.set(nine + 180 * minute);
    expect(await names("redu")).toEqual(["Cleo"]);
    expect(await names("ciney")).toEqual(["Bob"]);
    // 18:00 in Brussels: closing time.
    deps.clock.set(Date.parse("2026-03-02T17:00:00Z"));
    expect(await names("redu")).toEqual([]);
    expect(await names("ciney")).toEqual([]);
  });

  it("forgets an entry older than the inactivity window", async () => {
    // Outside opening hours (a staff visit at 06:00): only the 12 h limit closes it.
    const six = nine - 3 * 60 * minute;
    await badge("Ann", "redu", six);
    deps.clock.set(six + 11 * 60 * minute);
    expect(await names("redu")).toEqual(["Ann"]);
    deps.clock.set(six + 12 * 60 * minute + 1);
    expect(await names("redu")).toEqual([]);
  });
});
