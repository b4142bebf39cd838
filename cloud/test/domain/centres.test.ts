import { beforeEach, expect, it } from "vitest";
import {
  archiveCentre,
  createCentre,
  getCentre,
  listCentres,
  updateCentre,
} from "../../src/domain/centres.js";
import { createDoor, listDoors, removeDoor, updateDoor } from "../../src/domain/doors.js";
import {
  getGateway,
  provisionGateway,
  rotateGatewaySecret,
  setGatewayDisabled,
  verifyGatewayCredentials,
} from "../../src/domain/gateways.js";
import {
  archiveResource,
  createResource,
  listResources,
  updateResource,
} from "../../src/domain/resources.js";
import { hashGeneratedSecret, hashSecret } from "../../src/security/secrets.js";
import { expectDomainError } from "../support/expectDomainError.js";
import {
  admin,
  centre,
  type RecordingDeps,
  recordingDeps,
  weekdays8to18,
} from "../support/fixtures.js";
import { describeOnEngines, provideEngines } from "../support/storeEngines.js";

const engines = await provideEngines();

describeOnEngines(engines, "centres, resources, doors and gateways", (harness) => {
  let deps: RecordingDeps;

  beforeEach(async () => {
    deps = recordingDeps(await harness.freshStore());
  });

  it("creates a centre with defaults, reads it back and audits it", async () => {
    const created = await centre(deps, "redu", weekdays8to18, { closedDates: ["2026-12-25"] });
    expect(created).toMatchObject({
      id: "redu",
      timeZone: "Europe/Brussels",
      currency: "EUR",
      hourlyRateCents: 450,
      closedDates: ["2026-12-25"],
      settings: { bookingGraceMinutes: 15, noShowReleaseMinutes: 30, roomBufferMinutes: 10 },
    });
    expect(await getCentre(deps, "redu")).toEqual(created);
    expect(deps.audits.map((a) => a.action)).toEqual(["centre.create"]);
    expect(deps.accessChanges).toEqual([["redu"]]);
  });

  it("refuses bad centre input naming the field, and duplicate ids", async () => {
    const base = {
      id: "ok",
      name: "Ok",
      timeZone: "Europe/Brussels",
      openingHours: weekdays8to18,
      capacity: 10,
      hourlyRateCents: 400,
    };
    await expectDomainError(
      createCentre(deps, admin, { ...base, id: "Not A Slug" }),
      "invalid",
      "id",
    );
    await expectDomainError(
      createCentre(deps, admin, { ...base, timeZone: "Mars/Olympus" }),
      "invalid",
      "timeZone",
    );
    await expectDomainError(
      createCentre(deps, admin, { ...base, capacity: -1 }),
      "invalid",
      "capacity",
    );
    await expectDomainError(
      createCentre(deps, admin, { ...base, settings: { roomBufferMinutes: 1.5 } }),
      "invalid",
      "settings.roomBufferMinutes",
    );
    await createCentre(deps, admin, base);
    await expectDomainError(createCentre(deps, admin, base), "conflict", "id");
  });

  it("edits hours and settings, and tells the bundle compiler", async () => {
    await centre(deps, "redu");
    deps.accessChanges.length = 0;
    const updated = await updateCentre(deps, admin, "redu", {
      openingHours: [{ days: [6], open: "09:00", close: "13:00" }],
      settings: { noShowReleaseMinutes: 45 },
    });
    expect(updated.openingHours).toEqual([{ days: [6], open: "09:00", close: "13:00" }]);
    expect(updated.settings).toEqual({
      bookingGraceMinutes: 15,
      noShowReleaseMinutes: 45,
      roomBufferMinutes: 10,
      roundingStepMinutes: 15,
      roundingMode: "session-up",
      noExitPolicy: { kind: "last-seen", graceMinutes: 30 },
      inactivityLimitMinutes: 720,
      editWindowMinutes: 1440,
    });
    expect(deps.accessChanges).toEqual([["redu"]]);
    await expectDomainError(updateCentre(deps, admin, "nowhere", { name: "X" }), "not-found");
  });

  it("stores each centre's no-exit policy and rounding mode, and refuses bad ones", async () => {
    await centre(deps, "redu");
    const capped = await updateCentre(deps, admin, "redu", {
      settings: { noExitPolicy: { kind: "cap", maxMinutes: 240 }, roundingMode: "month-total" },
    });
    expect(capped.settings).toMatchObject({
      noExitPolicy: { kind: "cap", maxMinutes: 240 },
      roundingMode: "month-total",
    });
    const closing = await updateCentre(deps, admin, "redu", {
      settings: { noExitPolicy: { kind: "closing-time" } },
    });
    // Merged: the rounding mode set before stays.
    expect(closing.settings).toMatchObject({
      noExitPolicy: { kind: "closing-time" },
      roundingMode: "month-total",
    });
    const bad = (settings: object) =>
      updateCentre(deps, admin, "redu", { settings: settings as never });
    await expectDomainError(bad({ roundingMode: "down" }), "invalid", "settings.roundingMode");
    await expectDomainError(
      bad({ noExitPolicy: { kind: "last-seen", graceMinutes: 0 } }),
      "invalid",
      "settings.noExitPolicy.graceMinutes",
    );
    await expectDomainError(
      bad({ noExitPolicy: { kind: "cap" } }),
      "invalid",
      "settings.noExitPolicy.maxMinutes",
    );
    await expectDomainError(
      bad({ noExitPolicy: { kind: "whenever" } }),
      "invalid",
      "settings.noExitPolicy.kind",
    );
  });

  it("lists active centres and hides archived ones unless asked", async () => {
    await centre(deps, "a");
    await centre(deps, "b");
    await archiveCentre(deps, admin, "b");
    expect((await listCentres(deps)).map((c) => c.id)).toEqual(["a"]);
    expect((await listCentres(deps, { includeArchived: true })).map((c) => c.id)).toEqual([
      "a",
      "b",
    ]);
  });

  it("creates desks, zones and rooms with the right capacities", async () => {
    await centre(deps, "redu");
    const desk = await createResource(deps, admin, { centreId: "redu", kind: "desk", name: "D1" });
    expect(desk.capacity).toBe(1);
    expect(desk.id).toMatch(/^[0-9a-f-]{36}$/);
    await expectDomainError(
      createResource(deps, admin, { centreId: "redu", kind: "zone", name: "Z" }),
      "invalid",
      "capacity",
    );
    await expectDomainError(
      createResource(deps, admin, { centreId: "redu", kind: "desk", name: "D", capacity: 2 }),
      "invalid",
      "capacity",
    );
    await expectDomainError(
      createResource(deps, admin, { centreId: "redu", kind: "sofa" as "desk", name: "S" }),
      "invalid",
      "kind",
    );
    await expectDomainError(
      createResource(deps, admin, { centreId: "nowhere", kind: "desk", name: "D" }),
      "not-found",
      "centreId",
    );
    const zone = await createResource(deps, admin, {
      id: "redu-zone",
      centreId: "redu",
      kind: "zone",
      name: "Open space",
      capacity: 12,
    });
    expect((await updateResource(deps, admin, zone.id, { capacity: 14 })).capacity).toBe(14);
    await archiveResource(deps, admin, desk.id);
    expect((await listResources(deps, { centreId: "redu" })).map((r) => r.id)).toEqual([
      "redu-zone",
    ]);
  });

  it("provisions a gateway, shows the secret once and stores only its hash", async () => {
    await centre(deps, "redu");
    const { gateway, username, secret } = await provisionGateway(deps, admin, {
      id: "gw-redu",
      centreId: "redu",
    });
    expect(username).toBe("gw-redu");
    expect(secret.length).toBeGreaterThanOrEqual(43);
    const row = await deps.store.db
      .selectFrom("gateways")
      .select("secret_hash")
      .where("id", "=", "gw-redu")
      .executeTakeFirstOrThrow();
    // SHA-256 of the 256-bit generated secret (security/secrets.ts hashGeneratedSecret).
    expect(row.secret_hash).toMatch(/^sha256\$[A-Za-z0-9_-]{43}$/);
    expect(row.secret_hash).not.toContain(secret);
    expect(await getGateway(deps, "gw-redu")).toEqual(gateway);
    expect(gateway).not.toHaveProperty("secret");

    expect((await verifyGatewayCredentials(deps, "gw-redu", secret))?.id).toBe("gw-redu");
    expect(await verifyGatewayCredentials(deps, "gw-redu", `${secret}x`)).toBeUndefined();
    expect(await verifyGatewayCredentials(deps, "gw-other", secret)).toBeUndefined();
    await expectDomainError(
      provisionGateway(deps, admin, { id: "gw-redu", centreId: "redu" }),
      "conflict",
      "id",
    );
    await expectDomainError(
      provisionGateway(deps, admin, { id: "GW_bad", centreId: "redu" }),
      "invalid",
      "id",
    );
  });

  it("accepts a secret an earlier version stored as scrypt, and re-hashes it the fast way once", async () => {
    await centre(deps, "redu");
    const { secret } = await provisionGateway(deps, admin, { id: "gw-old", centreId: "redu" });
    const hashOf = async () =>
      (
        await deps.store.db
          .selectFrom("gateways")
          .select("secret_hash")
          .where("id", "=", "gw-old")
          .executeTakeFirstOrThrow()
      ).secret_hash;
    const scryptHash = await hashSecret(secret);
    await deps.store.db
      .updateTable("gateways")
      .set({ secret_hash: scryptHash })
      .where("id", "=", "gw-old")
      .execute();
    // A wrong secret leaves the old row as it is.
    expect(await verifyGatewayCredentials(deps, "gw-old", `${secret}x`)).toBeUndefined();
    expect(await hashOf()).toBe(scryptHash);
    expect((await verifyGatewayCredentials(deps, "gw-old", secret))?.id).toBe("gw-old");
    expect(await hashOf()).toBe(hashGeneratedSecret(secret));
    expect((await verifyGatewayCredentials(deps, "gw-old", secret))?.id).toBe("gw-old");
  });

  it("rotates and disables gateway credentials", async () => {
    await centre(deps, "redu");
    const first = await provisionGateway(deps, admin, { id: "gw-1", centreId: "redu" });
    const second = await rotateGatewaySecret(deps, admin, "gw-1");
    expect(await verifyGatewayCredentials(deps, "gw-1", first.secret)).toBeUndefined();
    expect(await verifyGatewayCredentials(deps, "gw-1", second.secret)).toBeDefined();
    await setGatewayDisabled(deps, admin, "gw-1", true);
    expect(await verifyGatewayCredentials(deps, "gw-1", second.secret)).toBeUndefined();
    await setGatewayDisabled(deps, admin, "gw-1", false);
    expect(await verifyGatewayCredentials(deps, "gw-1", second.secret)).toBeDefined();
  });

  it("creates doors within one centre and rebuilds that centre's rules on every change", async () => {
    await centre(deps, "redu");
    await centre(deps, "liege");
    await provisionGateway(deps, admin, { id: "gw-redu", centreId: "redu" });
    await provisionGateway(deps, admin, { id: "gw-liege", centreId: "liege" });
    const zone = await createResource(deps, admin, {
      id: "redu-zone",
      centreId: "redu",
      kind: "zone",
      name: "Z",
      capacity: 5,
    });
    const foreign = await createResource(deps, admin, {
      id: "liege-room",
      centreId: "liege",
      kind: "room",
      name: "R",
      capacity: 5,
    });
    deps.accessChanges.length = 0;
    const door = await createDoor(deps, admin, {
      id: "redu-main",
      centreId: "redu",
      gatewayId: "gw-redu",
      name: "Main door",
      direction: "both",
      resourceIds: [zone.id],
    });
    expect(door).toMatchObject({ gatewayId: "gw-redu", direction: "both", resourceIds: [zone.id] });
    await expectDomainError(
      createDoor(deps, admin, {
        centreId: "redu",
        gatewayId: "gw-liege",
        name: "X",
        direction: "in",
      }),
      "invalid",
      "gatewayId",
    );
    await expectDomainError(
      createDoor(deps, admin, {
        centreId: "redu",
        name: "X",
        direction: "in",
        resourceIds: [foreign.id],
      }),
      "invalid",
      "resourceIds",
    );
    await expectDomainError(
      createDoor(deps, admin, { centreId: "redu", name: "X", direction: "sideways" as "in" }),
      "invalid",
      "direction",
    );
    const updated = await updateDoor(deps, admin, "redu-main", {
      direction: "in",
      resourceIds: [],
    });
    expect(updated).toMatchObject({ direction: "in", resourceIds: [] });
    await removeDoor(deps, admin, "redu-main");
    expect(await listDoors(deps, { centreId: "redu" })).toEqual([]);
    expect(deps.accessChanges).toEqual([["redu"], ["redu"], ["redu"]]);
    expect(deps.audits.slice(-3).map((a) => a.action)).toEqual([
      "door.create",
      "door.update",
      "door.remove",
    ]);
  });
});
