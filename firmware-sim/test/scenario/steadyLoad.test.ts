import { describe, expect, it } from "vitest";
import { DeviceHub } from "../../src/devices/deviceHub.js";
import { addEntrance } from "../../src/doors/simulatedEntrance.js";
import { type LoadTarget, SteadyLoad } from "../../src/scenario/steadyLoad.js";

/** A door that releases on every badge and exit request and relocks when it closes. */
function grantingTarget(hub: DeviceHub, centre: string, uid: string) {
  const entrance = addEntrance(hub, centre);
  const release = () => setImmediate(() => entrance.door.lock.apply(true));
  entrance.reader.on("badge", release);
  const presses: number[] = [];
  entrance.door.exitButton.on("change", (active) => {
    if (!active) return;
    presses.push(Date.now());
    release();
  });
  entrance.door.contact.on("change", (open) => !open && entrance.door.lock.apply(false));
  const target: LoadTarget = { entrance, uids: [uid] };
  return { target, presses };
}

const run = async (load: SteadyLoad, ms: number) => {
  load.start();
  await new Promise((resolve) => setTimeout(resolve, ms));
  load.stop();
  await new Promise((resolve) => setTimeout(resolve, 50));
};

describe("SteadyLoad.drain", () => {
  it("lets out everyone this load let in", async () => {
    const hub = new DeviceHub();
    const a = grantingTarget(hub, "load-a", "04000001000001");
    const load = new SteadyLoad([a.target], 40, "drain", 500, 5);
    await run(load, 300);
    const letIn = load.insideCount();
    expect(letIn).toBeGreaterThan(2);
    expect(await load.drain(undefined, { grantWindowMs: 0, gapMs: 0 })).toBe(letIn);
    expect(a.presses).toHaveLength(letIn);
    expect(load.insideCount()).toBe(0);
  });

  it("lets out as many as the board still counts, round after round, door by door", async () => {
    const hub = new DeviceHub();
    const a = grantingTarget(hub, "load-a", "04000001000001");
    const b = grantingTarget(hub, "load-b", "04000002000001");
    const load = new SteadyLoad([a.target, b.target], 40, "board", 500, 5);
    // The board: load-a 3 then 1 (a count arrives late), load-b 2; then 0.
    const board = new Map([
      [a.target, [3, 1]],
      [b.target, [2]],
    ]);
    const left = await load.drain(async (target) => board.get(target)?.shift() ?? 0, {
      grantWindowMs: 0,
      gapMs: 0,
    });
    expect(left).toBe(6);
    expect(a.presses).toHaveLength(4);
    expect(b.presses).toHaveLength(2);
  });
});
