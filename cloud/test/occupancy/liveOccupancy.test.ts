import type { OccupancySample } from "@passerelle/protocol";
import { describe, expect, it } from "vitest";
import { type CentreOccupancy, LiveOccupancy } from "../../src/occupancy/liveOccupancy.js";

const sample = (
  centre: string,
  inside: number,
  time: string,
  zones: OccupancySample["zones"] = [],
): OccupancySample => ({ centre, inside, time, zones });

describe("LiveOccupancy", () => {
  it("adds up the latest sample of each gateway of a centre, zone by zone", () => {
    const live = new LiveOccupancy();
    live.record(
      "gw-front",
      sample("redu", 5, "2026-03-02T09:00:00.000Z", [{ zone: "open", inside: 4 }]),
    );
    live.record(
      "gw-back",
      sample("redu", 2, "2026-03-02T09:01:00.000Z", [
        { zone: "open", inside: 1 },
        { zone: "room-a", inside: 1 },
      ]),
    );
    live.record(
      "gw-front",
      sample("redu", 6, "2026-03-02T09:02:00.000Z", [{ zone: "open", inside: 5 }]),
    );
    expect(live.centre("redu")).toEqual({
      centre: "redu",
      inside: 8,
      // Samples without headcount come from gateways older than exit counting: their `inside`
      // counted open sessions, so it is the attributed figure too.
      attributed: 8,
      zones: [
        { zone: "open", inside: 6 },
        { zone: "room-a", inside: 1 },
      ],
      time: "2026-03-02T09:02:00.000Z",
      gateways: ["gw-back", "gw-front"],
    });
  });

  it("shows the gateways' headcount and their attributed members, added up", () => {
    const live = new LiveOccupancy();
    live.record("gw-front", {
      ...sample("redu", 7, "2026-03-02T09:00:00.000Z"),
      headcount: 7,
      attributed: 4,
    });
    live.record("gw-back", {
      ...sample("redu", 2, "2026-03-02T09:01:00.000Z"),
      headcount: 2,
      attributed: 2,
    });
    expect(live.centre("redu")).toMatchObject({ inside: 9, attributed: 6 });
    // Everyone left by the exit button: the headcount goes down, and the attributed with it.
    live.record("gw-front", {
      ...sample("redu", 0, "2026-03-02T09:05:00.000Z"),
      headcount: 0,
      attributed: 0,
    });
    expect(live.centre("redu")).toMatchObject({ inside: 2, attributed: 2 });
  });

  it("ignores a re-delivered older sample", () => {
    const live = new LiveOccupancy();
    const changes: CentreOccupancy[] = [];
    live.on("change", (c) => changes.push(c));
    live.record("gw-a", sample("redu", 5, "2026-03-02T09:05:00.000Z"));
    live.record("gw-a", sample("redu", 9, "2026-03-02T09:00:00.000Z"));
    expect(live.centre("redu")?.inside).toBe(5);
    expect(changes).toHaveLength(1);
  });

  it("serves a snapshot of all centres, or of the centres a manager may see", () => {
    const live = new LiveOccupancy();
    live.record("gw-n", sample("namur", 1, "2026-03-02T09:00:00.000Z"));
    live.record("gw-r", sample("redu", 2, "2026-03-02T09:00:00.000Z"));
    expect(live.snapshot().map((c) => c.centre)).toEqual(["namur", "redu"]);
    expect(live.snapshot(["redu", "liege"]).map((c) => c.centre)).toEqual(["redu"]);
  });

  it("streams the snapshot, then changes of the wanted centres, until aborted", async () => {
    const live = new LiveOccupancy();
    live.record("gw-r", sample("redu", 2, "2026-03-02T09:00:00.000Z"));
    const abort = new AbortController();
    const seen: string[] = [];
    const reading = (async () => {
      for await (const c of live.stream({ centres: ["redu"], signal: abort.signal })) {
        seen.push(`${c.centre}:${c.inside}`);
        if (seen.length === 3) abort.abort();
      }
    })();
    await new Promise((resolve) => setImmediate(resolve));
    live.record("gw-n", sample("namur", 7, "2026-03-02T09:01:00.000Z")); // not wanted
    live.record("gw-r", sample("redu", 3, "2026-03-02T09:01:00.000Z"));
    await new Promise((resolve) => setImmediate(resolve));
    live.record("gw-r", sample("redu", 4, "2026-03-02T09:02:00.000Z"));
    await reading;
    expect(seen).toEqual(["redu:2", "redu:3", "redu:4"]);
    expect(live.listenerCount("change")).toBe(0);
  });

  it("gives a slow reader the latest state of a centre, not every intermediate one", async () => {
    const live = new LiveOccupancy();
    const abort = new AbortController();
    const stream = live.stream({ signal: abort.signal });
    const first = stream.next(); // starts the generator: subscribed, snapshot empty, waiting
    for (let inside = 1; inside <= 50; inside += 1) {
      live.record(
        "gw-r",
        sample("redu", inside, `2026-03-02T09:00:${String(inside).padStart(2, "0")}.000Z`),
      );
    }
    // 50 changes while the reader was busy: it reads one, the latest.
    expect((await first).value?.inside).toBe(50);
    live.record("gw-r", sample("redu", 51, "2026-03-02T09:01:00.000Z"));
    expect((await stream.next()).value?.inside).toBe(51);
    abort.abort();
    expect((await stream.next()).done).toBe(true);
  });
});
