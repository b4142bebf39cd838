import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { until } from "../../mocks/waitFor.js";
import { centre } from "../../support/fixtures.js";
import { startTestCloud, type TestCloud } from "../../support/httpFixture.js";
import { SseReader, TestGateway } from "./occupancyGateway.js";

/*
 * The live routes on the real wired cloud: a gateway (mqtt.js with its provisioned credentials)
 * publishes status, occupancy samples and events through the embedded broker; the routes read
 * what the ingest made of them.
 */
describe("occupancy routes", () => {
  let t: TestCloud;
  let redu: TestGateway;
  let ciney: TestGateway;
  /** Listeners of the live bus events: one set per open stream, none left when it closes. */
  let baseline = 0;
  const listeners = () => {
    const { bus } = t.cloud.services;
    return (
      bus.listenerCount("occupancy.changed") +
      bus.listenerCount("door.changed") +
      bus.listenerCount("events.committed")
    );
  };

  beforeAll(async () => {
    t = await startTestCloud({ logLevel: "warn" });
    redu = await TestGateway.start(t.deps, t.cloud.brokerPort, "redu");
    ciney = await TestGateway.start(t.deps, t.cloud.brokerPort, "ciney");
    await redu.publishStatus();
    await redu.publishOccupancy(1, [{ zone: "redu-open-space", inside: 1 }]);
    await redu.publishEvents([redu.badge(t.ids.workerMemberId)]);
    await ciney.publishOccupancy(3);
    await until(() => t.cloud.services.mqtt.occupancy.snapshot().length === 2);
    await until(() => t.cloud.services.mqtt.doors.centre("redu").length === 1);
    baseline = listeners();
  });
  afterAll(async () => {
    await redu?.stop();
    await ciney?.stop();
    await t?.stop();
  });

  const stream = (path: string, token: string, signal?: AbortSignal) =>
    fetch(`${t.cloud.httpUrl}/api/v1${path}`, {
      headers: { authorization: `Bearer ${token}` },
      ...(signal ? { signal } : {}),
    });

  it("shows a centre's count, zones, doors and who is inside to its manager", async () => {
    const response = await t.call("GET", "/centres/redu/occupancy", { token: t.tokens.manager });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      centreId: "redu",
      name: "REDU",
      capacity: 40,
      inside: 1,
      zones: [{ zone: "redu-open-space", inside: 1 }],
      doors: [
        {
          doorId: "redu-front",
          name: "Front door",
          state: "locked",
          alarm: null,
          reporting: true,
        },
      ],
      people: [{ memberId: t.ids.workerMemberId, name: "Ann" }],
    });
    expect(Date.parse(response.body.time)).not.toBeNaN();
    const coordinator = await t.call("GET", "/centres/ciney/occupancy", {
      token: t.tokens.coordinator,
    });
    expect(coordinator.body).toMatchObject({ centreId: "ciney", inside: 3, people: [] });
  });

  it("hides another centre from a manager (404) and every centre from a worker (403)", async () => {
    const other = await t.call("GET", "/centres/redu/occupancy", { token: t.tokens.otherManager });
    expect(other.status).toBe(404);
    expect(other.headers.get("content-type")).toContain("application/problem+json");
    const worker = await t.call("GET", "/centres/redu/occupancy", { token: t.tokens.worker });
    expect(worker.status).toBe(403);
    expect((await t.call("GET", "/occupancy", { token: t.tokens.worker })).status).toBe(403);
    expect((await t.call("GET", "/centres/redu/occupancy")).status).toBe(401);
    const unknown = await t.call("GET", "/centres/nowhere/occupancy", {
      token: t.tokens.coordinator,
    });
    expect(unknown.status).toBe(404);
    const streamed = await stream("/centres/redu/occupancy/stream", t.tokens.otherManager);
    expect(streamed.status).toBe(404);
    expect(streamed.headers.get("content-type")).toContain("application/problem+json");
  });

  it("gives the network in counts only: every centre to the coordinator, theirs to a manager", async () => {
    const all = await t.call("GET", "/occupancy", { token: t.tokens.coordinator });
    expect(all.status).toBe(200);
    expect(all.body.centres).toEqual([
      expect.objectContaining({ centreId: "ciney", inside: 3, alarms: 0 }),
      expect.objectContaining({ centreId: "redu", inside: 1, capacity: 40, alarms: 0 }),
    ]);
    expect(all.body.centres[1]).not.toHaveProperty("people");
    const mine = await t.call("GET", "/occupancy", { token: t.tokens.manager });
    expect(mine.body.centres.map((c: { centreId: string }) => c.centreId)).toEqual(["redu"]);
  });

  it("streams a new snapshot when a badge event is ingested, and a door alarm", async () => {
    const controller = new AbortController();
    const response = await stream(
      "/centres/redu/occupancy/stream",
      t.tokens.manager,
      controller.signal,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const sse = new SseReader(response);
    try {
      const first = await sse.next((e) => e.event === "snapshot");
      expect(first.data.people.map((p: { memberId: string }) => p.memberId)).toEqual([
        t.ids.workerMemberId,
      ]);
      // Bob (a ciney member) badges in at redu: the stream names him without being asked.
      await redu.publishEvents([redu.badge(t.ids.otherWorkerMemberId)]);
      const withBob = await sse.next((e) => e.event === "snapshot" && e.data.people.length === 2);
      expect(withBob.data.people.map((p: { name: string }) => p.name)).toEqual(["Ann", "Bob"]);
      // Ann badges out; the door is then forced open.
      await redu.publishEvents([
        redu.badge(t.ids.workerMemberId, { direction: "out" }),
        redu.event({ type: "door.forced-open" }),
      ]);
      const forced = await sse.next(
        (e) =>
          e.event === "snapshot" &&
          e.data.doors[0]?.alarm === "forced-open" &&
          e.data.people.length === 1,
      );
      expect(forced.data.doors[0]).toMatchObject({ state: "open", alarm: "forced-open" });
      expect(forced.data.people[0].name).toBe("Bob");
      await redu.publishOccupancy(2);
      await sse.next((e) => e.event === "snapshot" && e.data.inside === 2);
    } finally {
      controller.abort();
      await until(() => listeners() === baseline);
    }
  });

  it("streams the network as one snapshot, then one event per centre that changed", async () => {
    const controller = new AbortController();
    const response = await stream("/occupancy/stream", t.tokens.manager, controller.signal);
    const sse = new SseReader(response);
    try {
      const first = await sse.next((e) => e.event === "snapshot");
      expect(first.data.centres.map((c: { centreId: string }) => c.centreId)).toEqual(["redu"]);
      // The door forced open in the test before is still in alarm: counted, not detailed.
      expect(first.data.centres[0]).toMatchObject({ alarms: 1 });
      expect(first.data.centres[0]).not.toHaveProperty("doors");
      // ciney is not this manager's: its change must not reach them.
      await ciney.publishOccupancy(7);
      await redu.publishOccupancy(5);
      const changed = await sse.next((e) => e.event === "centre" && e.data.inside === 5);
      expect(changed.data.centreId).toBe("redu");
      expect(sse.events.filter((e) => e.event === "centre").map((e) => e.data.centreId)).toEqual([
        "redu",
      ]);
    } finally {
      controller.abort();
      await until(() => listeners() === baseline);
    }
  });

  it("follows on the coordinator's network stream a centre created after it opened", async () => {
    const controller = new AbortController();
    const response = await stream("/occupancy/stream", t.tokens.coordinator, controller.signal);
    const sse = new SseReader(response);
    let wavre: TestGateway | undefined;
    try {
      const first = await sse.next((e) => e.event === "snapshot");
      expect(first.data.centres.map((c: { centreId: string }) => c.centreId)).not.toContain(
        "wavre",
      );
      await centre(t.deps, "wavre");
      wavre = await TestGateway.start(t.deps, t.cloud.brokerPort, "wavre");
      await wavre.publishOccupancy(2);
      const joined = await sse.next((e) => e.event === "centre" && e.data.centreId === "wavre");
      expect(joined.data).toMatchObject({ name: "WAVRE", capacity: 40, inside: 2 });
      await wavre.publishOccupancy(4);
      await sse.next(
        (e) => e.event === "centre" && e.data.centreId === "wavre" && e.data.inside === 4,
      );
    } finally {
      await wavre?.stop();
      controller.abort();
      await until(() => listeners() === baseline);
    }
  });

  it("marks a centre stale while its gateway is offline, with its last count and time", async () => {
    await centre(t.deps, "libin");
    const libin = await TestGateway.start(t.deps, t.cloud.brokerPort, "libin");
    const controller = new AbortController();
    try {
      await libin.publishStatus();
      await libin.publishOccupancy(4, [], { headcount: 4, attributed: 2 });
      await until(() => t.cloud.services.mqtt.occupancy.centre("libin")?.inside === 4);
      const sse = new SseReader(
        await stream("/occupancy/stream", t.tokens.coordinator, controller.signal),
      );
      const first = await sse.next((e) => e.event === "snapshot");
      const live = first.data.centres.find((c: { centreId: string }) => c.centreId === "libin");
      expect(live).toMatchObject({ inside: 4, attributed: 2, stale: false, offlineSince: null });
      expect(first.data.staleCentres).toBe(0);

      await libin.publishOffline();
      const stale = await sse.next(
        (e) => e.event === "centre" && e.data.centreId === "libin" && e.data.stale === true,
      );
      // The last known figures, as of their time, and since when the gateway is offline.
      expect(stale.data).toMatchObject({ inside: 4, attributed: 2, time: live.time });
      expect(Date.parse(stale.data.offlineSince)).not.toBeNaN();
      const network = await t.call("GET", "/occupancy", { token: t.tokens.coordinator });
      expect(network.body.staleCentres).toBe(1);
      expect(network.body.inside).toBe(
        network.body.centres.reduce((sum: number, c: { inside: number }) => sum + c.inside, 0),
      );
      const one = await t.call("GET", "/centres/libin/occupancy", { token: t.tokens.coordinator });
      expect(one.body).toMatchObject({ inside: 4, stale: true });

      await libin.publishStatus();
      await sse.next(
        (e) => e.event === "centre" && e.data.centreId === "libin" && e.data.stale === false,
      );
    } finally {
      controller.abort();
      await libin.stop();
    }
  });

  it("shares one watch per centre between streams, and lets go when the clients leave", async () => {
    const [one, two] = [new AbortController(), new AbortController()];
    const path = "/centres/redu/occupancy/stream";
    const first = new SseReader(await stream(path, t.tokens.coordinator, one.signal));
    const second = new SseReader(await stream(path, t.tokens.manager, two.signal));
    await first.next((e) => e.event === "snapshot");
    await second.next((e) => e.event === "snapshot");
    expect(listeners()).toBe(baseline + 3);
    await redu.publishOccupancy(9);
    await first.next((e) => e.data.inside === 9);
    await second.next((e) => e.data.inside === 9);
    one.abort();
    await until(() => first.ended);
    await redu.publishOccupancy(10);
    await second.next((e) => e.data.inside === 10);
    expect(listeners()).toBe(baseline + 3);
    two.abort();
    await until(() => listeners() === baseline);
  });
});

describe("occupancy streams when the cloud stops", () => {
  it("ends open streams cleanly instead of holding the server open", async () => {
    const t = await startTestCloud({ logLevel: "warn" });
    const open = await fetch(`${t.cloud.httpUrl}/api/v1/occupancy/stream`, {
      headers: { authorization: `Bearer ${t.tokens.coordinator}` },
    });
    const sse = new SseReader(open);
    await sse.next((e) => e.event === "snapshot");
    await t.stop();
    await sse.end();
    expect(sse.ended).toBe(true);
  });
});
