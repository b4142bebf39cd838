import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  listCentres,
  listGateways,
  openStore,
  type Store,
  serviceDeps,
  verifyGatewayCredentials,
} from "@passerelle/cloud";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoCentres } from "../../src/demo/demoNetwork.js";
import { seedDemoNetwork } from "../../src/demo/seedDemoNetwork.js";

describe("seeding the demo network through the cloud's domain", () => {
  let dataDir: string;
  let store: Store;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "demo-seed-"));
    store = await openStore({ dataDir });
  });
  afterAll(async () => {
    await store?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("creates all sixteen centres with their declared hours, gateways, people and logins", async () => {
    const deps = serviceDeps(store);
    const manifest = await seedDemoNetwork(deps, {
      centres: demoCentres,
      people: 40,
      seed: "test",
      openingHours: "declared",
    });
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
    expect(manifest.logins[1]?.email).toBe("gestion.redu@demo.passerelle.example");
    expect(new Set(manifest.logins.map((l) => l.password)).size).toBe(3);
  });
});
