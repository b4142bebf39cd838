import { describe, expect, it } from "vitest";
import { DeviceHub } from "../../src/devices/deviceHub.js";
import { defaultDoorHabits, type PassagePlan } from "../../src/doors/doorHabits.js";
import {
  DoorQueue,
  enterWithBadge,
  leaveByExitButton,
  leaveThrough,
} from "../../src/doors/doorPassage.js";
import { addEntrance, type SimulatedEntrance } from "../../src/doors/simulatedEntrance.js";

const habits = { ...defaultDoorHabits, unlockPatienceMs: 50 };
const plan: PassagePlan = { reactionMs: 1, openMs: 1, held: false, forced: false };
const uid = Uint8Array.from([0x04, 1, 2, 3, 4, 5, 6]);
const noWait = async () => {};

/** Plays a gateway that grants (or not) every badge and every exit request. */
function entrance(grant: boolean): { entrance: SimulatedEntrance; contact: boolean[] } {
  const hub = new DeviceHub();
  const door = addEntrance(hub, "redu");
  const contact: boolean[] = [];
  door.door.contact.on("change", (active) => contact.push(active));
  const release = () => {
    if (grant) setImmediate(() => door.door.lock.apply(true));
  };
  door.reader.on("badge", release);
  door.door.exitButton.on("change", (active) => active && release());
  return { entrance: door, contact };
}

describe("a person at a door", () => {
  it("opens after the click, walks through and lets the door close", async () => {
    const { entrance: door, contact } = entrance(true);
    expect(await enterWithBadge(door, uid, plan, { habits, wait: noWait })).toBe("passed");
    expect(contact).toEqual([true, false]);
  });

  it("gives up when the lock never clicks, and forces it when that is the plan", async () => {
    const refused = entrance(false);
    expect(await enterWithBadge(refused.entrance, uid, plan, { habits, wait: noWait })).toBe(
      "refused",
    );
    expect(refused.contact).toEqual([]);
    const forced = entrance(false);
    const outcome = await enterWithBadge(
      forced.entrance,
      uid,
      { ...plan, forced: true },
      { habits, wait: noWait },
    );
    expect(outcome).toBe("forced");
    expect(forced.contact).toEqual([true, false]);
  });

  it("is not read by an unplugged reader", async () => {
    const { entrance: door } = entrance(true);
    door.reader.setState("disconnected");
    expect(await enterWithBadge(door, uid, plan, { habits, wait: noWait })).toBe("unread");
  });

  it("leaves with the exit button, and still gets out when nothing answers", async () => {
    const granted = entrance(true);
    expect(await leaveByExitButton(granted.entrance, plan, { habits, wait: noWait })).toBe(
      "passed",
    );
    const dead = entrance(false);
    expect(await leaveByExitButton(dead.entrance, plan, { habits, wait: noWait })).toBe("forced");
    expect(dead.contact).toEqual([true, false]);
  });
});

describe("DoorQueue", () => {
  it("lets one person through at a time, in arrival order", async () => {
    const queue = new DoorQueue();
    const order: string[] = [];
    const passage = (name: string) => async () => {
      order.push(`${name} in`);
      await new Promise((resolve) => setImmediate(resolve));
      order.push(`${name} out`);
      return name;
    };
    const done = await Promise.all([queue.run(passage("a")), queue.run(passage("b"))]);
    expect(done).toEqual(["a", "b"]);
    expect(order).toEqual(["a in", "a out", "b in", "b out"]);
    expect(queue.length).toBe(0);
  });
});

describe("leaving the way the door lets people out", () => {
  /** A door whose gateway grants badges at both readers and the exit button, recording how. */
  function door(exitKind: "exit-reader" | "exit-button" | "free-egress") {
    const hub = new DeviceHub();
    const entrance = addEntrance(hub, "arlon", exitKind);
    const seen: string[] = [];
    const release = (what: string) => () => {
      seen.push(what);
      setImmediate(() => entrance.door.lock.apply(true));
    };
    entrance.reader.on("badge", release("reader-1"));
    entrance.exitReader?.on("badge", release("reader-2"));
    entrance.door.exitButton.on("change", (active) => active && release("button")());
    entrance.door.contact.on("change", (open) => {
      seen.push(open ? "open" : "closed");
      if (!open) entrance.door.lock.apply(false);
    });
    return { entrance, seen };
  }
  const deps = { habits, wait: noWait };

  it("badges at the reader inside an exit-reader door", async () => {
    const { entrance, seen } = door("exit-reader");
    expect(await leaveThrough(entrance, uid, plan, deps)).toBe("passed");
    expect(seen).toEqual(["reader-2", "open", "closed"]);
  });

  it("presses the button of an exit-button door, then opens and closes it", async () => {
    const { entrance, seen } = door("exit-button");
    expect(entrance.exitReader).toBeUndefined();
    expect(await leaveThrough(entrance, uid, plan, deps)).toBe("passed");
    expect(seen).toEqual(["button", "open", "closed"]);
  });

  it("just opens and closes a free-egress door: no button, no badge", async () => {
    const { entrance, seen } = door("free-egress");
    expect(await leaveThrough(entrance, uid, plan, deps)).toBe("passed");
    expect(seen).toEqual(["open", "closed"]);
  });

  it("falls back on the button when the exit reader gets no answer", async () => {
    const hub = new DeviceHub();
    const entrance = addEntrance(hub, "arlon", "exit-reader");
    const seen: string[] = [];
    entrance.door.exitButton.on("change", (active) => {
      if (!active) return;
      seen.push("button");
      setImmediate(() => entrance.door.lock.apply(true));
    });
    expect(await leaveThrough(entrance, uid, plan, deps)).toBe("passed");
    expect(seen).toEqual(["button"]);
  });
});
