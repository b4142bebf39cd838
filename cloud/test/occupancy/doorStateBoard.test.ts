import type { GatewayEvent } from "@passerelle/protocol";
import { describe, expect, it } from "vitest";
import {
  type DoorState,
  DoorStateBoard,
  doorStateWord,
} from "../../src/occupancy/doorStateBoard.js";
import { GatewayStatusBoard } from "../../src/occupancy/gatewayStatusBoard.js";
import { onlineStatus } from "../mocks/gatewayMessages.js";

const identity = { gatewayId: "gw-redu", centreId: "redu" };

function doorEvent(type: GatewayEvent["type"], time: string, seq = 1): GatewayEvent {
  return { id: `e-${seq}`, seq, time, type, centre: "redu", door: "door-main" };
}

function boards() {
  const statuses = new GatewayStatusBoard();
  const doors = new DoorStateBoard();
  statuses.on("change", (state) => doors.recordStatus(state));
  const changes: DoorState[] = [];
  doors.on("change", (door) => changes.push(door));
  return { statuses, doors, changes };
}

describe("DoorStateBoard", () => {
  it("takes a gateway's doors from its status, and marks them not reporting when it goes", () => {
    const { statuses, doors } = boards();
    statuses.record(identity, onlineStatus("redu"), 0);
    expect(doors.centre("redu")).toEqual([
      expect.objectContaining({ doorId: "door-main", lock: "locked", reporting: true }),
    ]);
    statuses.record(identity, { state: "offline" }, 1);
    expect(doors.centre("redu")[0]).toMatchObject({ lock: "locked", reporting: false });
    expect(doors.centre("ciney")).toEqual([]);
  });

  it("follows door events: unlock, open, forced, cleared", () => {
    const { doors, changes } = boards();
    const batch = (events: GatewayEvent[]) => doors.recordEvents({ ...identity, events });
    batch([
      doorEvent("door.unlocked", "2026-03-02T08:00:00Z", 1),
      doorEvent("door.opened", "2026-03-02T08:00:01Z", 2),
    ]);
    const [door] = doors.centre("redu");
    expect(door).toMatchObject({ lock: "unlocked", contact: "open", alarm: null });
    expect(doorStateWord(door as DoorState)).toBe("open");
    batch([
      doorEvent("door.closed", "2026-03-02T08:00:05Z", 3),
      doorEvent("door.locked", "2026-03-02T08:00:06Z", 4),
      doorEvent("door.forced-open", "2026-03-02T09:00:00Z", 5),
    ]);
    expect(doors.centre("redu")[0]).toMatchObject({ contact: "open", alarm: "forced-open" });
    batch([doorEvent("door.alarm-cleared", "2026-03-02T09:05:00Z", 6)]);
    expect(doors.centre("redu")[0]).toMatchObject({ alarm: null, lock: "locked" });
    expect(changes).toHaveLength(6);
    // Access events say nothing about the door's state.
    batch([{ ...doorEvent("access", "2026-03-02T09:06:00Z", 7), decision: "granted" }]);
    expect(changes).toHaveLength(6);
  });

  it("ignores facts older than what it shows (an outbox replayed after an outage)", () => {
    const { statuses, doors } = boards();
    statuses.record(
      identity,
      onlineStatus("redu", {
        time: "2026-03-02T10:00:00.000Z",
        doors: [{ id: "door-main", lock: "locked", contact: "closed", alarm: null }],
      }),
      0,
    );
    doors.recordEvents({
      ...identity,
      events: [doorEvent("door.held-open", "2026-03-02T09:00:00Z")],
    });
    expect(doors.centre("redu")[0]).toMatchObject({ alarm: null, contact: "closed" });
  });

  it("tells nobody when a periodic status repeats the same facts", () => {
    const { statuses, changes } = boards();
    statuses.record(identity, onlineStatus("redu", { time: "2026-03-02T08:00:00.000Z" }), 0);
    statuses.record(identity, onlineStatus("redu", { time: "2026-03-02T08:01:00.000Z" }), 1);
    expect(changes).toHaveLength(1);
  });
});
