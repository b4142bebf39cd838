import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  listBadges,
  listCentres,
  listDoors,
  listGateways,
  listResources,
  openStore,
  type ServiceDeps,
  type Store,
  serviceDeps,
  verifyGatewayCredentials,
} from "@passerelle/cloud";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DemoManifest } from "../../src/demo/demoManifest.js";
import { demoCentres } from "../../src/demo/demoNetwork.js";
import { busiestCentre, seedDemoNetwork } from "../../src/demo/seedDemoNetwork.js";

describe("seeding the demo network through the cloud's domain", () => {
  let dataDir: string;
  let store: Store;
  let deps: ServiceDeps;
  let manifest: DemoManifest;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "demo-seed-"));
    store = await openStore({ dataDir });
    deps = serviceDeps(store);
    manifest = await seedDemoNetwork(deps, {
      centres: demoCentres,
      people: 40,
      seed: "test",
      openingHours: "declared",
    });
  }, 60_000);
  afterAll(async () => {
    await store?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("creates all sixteen centres with their declared hours, gateways, people and logins", async () => {
    const centres = await listCentres(deps);
    expect(centres.map((c) => c.id).sort()).toEqual(demoCentres.map((c) => c.id).sort());
    const lille = centres.find((c) => c.id === "coffee-lille");
    expect(lille?.timeZone).toBe("Europe/Paris");
    expect(lille?.openingHours).toEqual(
      demoCentres.find((c) => c.id === "coffee-lille")?.openingHours,
    );
    expect((await listGateways(deps)).map((g) => g.id)).toHaveLength(16);
    // The secret in the manifest is the one the broker will accept.
    const redu = manifest.centres.find((c) => c.id === "redu");
    if (redu === undefined) throw new Error("no redu");
    expect(await verifyGatewayCredentials(deps, redu.gatewayId, redu.gatewaySecret)).toBeTruthy();
    expect(await verifyGatewayCredentials(deps, redu.gatewayId, "not-the-secret")).toBeFalsy();
    expect(manifest.people).toHaveLength(40);
    expect(new Set(manifest.people.map((p) => p.memberId)).size).toBe(40);
    expect(manifest.logins.map((l) => l.role)).toEqual(["coordinator", "manager", "worker"]);
    expect(new Set(manifest.logins.map((l) => l.password)).size).toBe(3);
  });

  it("prints a manager login for the centre most people call home, not a quiet one", () => {
    const residents = (id: string) => manifest.people.filter((p) => p.homeCentre === id).length;
    const busiest = busiestCentre(manifest.centres, manifest.people);
    expect(residents(busiest?.id ?? "")).toBe(
      Math.max(...manifest.centres.map((c) => residents(c.id))),
    );
    expect(residents(busiest?.id ?? "")).toBeGreaterThan(residents("redu"));
    expect(manifest.logins[1]?.email).toBe(`gestion.${busiest?.id}@demo.passerelle.example`);
  });

  it("gives every centre bookable desks, and the network a mix of exit kinds", async () => {
    for (const centre of demoCentres) {
      const desks = await listResources(deps, { centreId: centre.id, kind: "desk" });
      expect(desks.length, centre.id).toBeGreaterThanOrEqual(4);
    }
    const doors = await listDoors(deps);
    const kinds = new Set(doors.map((door) => door.exitKind));
    expect(manifest.centres.map((c) => c.exitKind).sort()).toEqual(
      doors.map((door) => door.exitKind).sort(),
    );
    expect([...kinds].sort()).toEqual(["exit-button", "exit-reader", "free-egress"]);
    // The demo's exit readers are seeded as such (the gateway reads badges inside the door).
    expect(doors.filter((door) => door.exitKind === "exit-reader").length).toBe(
      demoCentres.filter((centre) => centre.exitKind === "exit-reader").length,
    );
  });

  it("gives a few people a card every door refuses: a pass run out, a badge revoked", async () => {
    const troubled = manifest.people.filter((p) => p.badgeTrouble !== undefined);
    expect(troubled.map((p) => p.badgeTrouble).sort()).toEqual(["expired-pass", "revoked-badge"]);
    expect(manifest.people[0]?.badgeTrouble).toBeUndefined();
    const revoked = troubled.find((p) => p.badgeTrouble === "revoked-badge");
    const badges = await listBadges(deps, { memberId: revoked?.memberId ?? "" });
    expect(badges.map((b) => b.revokedAt !== null)).toEqual([true]);
  });
});
