import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { issueBadge } from "../../../cloud/src/domain/badges.js";
import { createCentre } from "../../../cloud/src/domain/centres.js";
import { createDoor } from "../../../cloud/src/domain/doors.js";
import { provisionGateway } from "../../../cloud/src/domain/gateways.js";
import { createMember, type Member } from "../../../cloud/src/domain/members.js";
import { createPass } from "../../../cloud/src/domain/passes.js";
import { createResource } from "../../../cloud/src/domain/resources.js";
import type { ServiceDeps } from "../../../cloud/src/domain/serviceDeps.js";
import { grantStaffRole } from "../../../cloud/src/domain/staff.js";
import { createUser } from "../../../cloud/src/domain/users.js";
import { type RunningCloud, startCloud } from "../../../cloud/src/server.js";

const admin = "user:admin";
export const password = "un mot de passe assez long";

export const emails = {
  worker: "ann.lambert@example.org",
  manager: "gestion.redu@example.org",
  otherManager: "gestion.ciney@example.org",
  coordinator: "coordination@example.org",
} as const;

/** The UID printed on Ann's card (the simulated reader reads these bytes). */
export const annBadgeUid = "04A1B2C3D4E5F6";

export interface ConsoleNetwork {
  cloud: RunningCloud;
  deps: ServiceDeps;
  ann: Member;
  badgeId: string;
  gateway: { id: string; secret: string; centreId: string; doorId: string };
  stop(): Promise<void>;
}

/**
 * A running cloud (SQLite in a temporary directory, embedded broker, HTTP on a random port)
 * seeded through the domain services: two centres open every day all day (so the tests do
 * not depend on the hour they run at), a desk and a room in each, a gateway and its door at
 * Redu, a worker with a network pass valid around today and a badge, a manager per centre and
 * a coordinator.
 */
export async function startConsoleNetwork(): Promise<ConsoleNetwork> {
  const dataDir = await mkdtemp(join(tmpdir(), "passerelle-console-"));
  const cloud = await startCloud({
    dataDir,
    http: { host: "127.0.0.1", port: 0 },
    broker: { kind: "embedded", config: { host: "127.0.0.1", port: 0 } },
    logLevel: "silent",
  });
  const deps = cloud.services.deps;
  const allDay = [{ days: [1, 2, 3, 4, 5, 6, 7], open: "00:00", close: "24:00" }];
  for (const [id, name] of [
    ["redu", "Redu – Smart Work Center"],
    ["ciney", "Ciney – Tiers-lieu du Condroz"],
  ] as const) {
    await createCentre(deps, admin, {
      id,
      name,
      timeZone: "Europe/Brussels",
      openingHours: allDay,
      capacity: 24,
      hourlyRateCents: 450,
    });
    await createResource(deps, admin, {
      id: `${id}-desk-1`,
      centreId: id,
      kind: "desk",
      name: "Poste 1",
    });
    await createResource(deps, admin, {
      id: `${id}-desk-2`,
      centreId: id,
      kind: "desk",
      name: "Poste 2",
    });
    await createResource(deps, admin, {
      id: `${id}-room-a`,
      centreId: id,
      kind: "room",
      name: "Salle Semois",
      capacity: 8,
    });
  }
  const gateway = await provisionGateway(deps, admin, { id: "redu-gw-1", centreId: "redu" });
  // The simulated gateway's door is "door-1" (the gateway's `{ "adapter": "sim" }` hardware).
  await createDoor(deps, admin, {
    id: "door-1",
    centreId: "redu",
    gatewayId: gateway.gateway.id,
    name: "Entrée principale",
    direction: "both",
  });

  const ann = await createMember(deps, admin, {
    name: "Ann Lambert",
    email: emails.worker,
    homeCentreId: "redu",
  });
  const day = 86_400_000;
  await createPass(deps, admin, {
    memberId: ann.id,
    kind: "network",
    validFrom: Date.now() - 30 * day,
    validTo: Date.now() + 335 * day,
  });
  const badge = await issueBadge(deps, admin, {
    memberId: ann.id,
    uid: annBadgeUid,
    label: "Carte 1",
  });

  const user = (email: string, memberId: string | null = null) =>
    createUser(deps, admin, { email, password, memberId });
  await user(emails.worker, ann.id);
  const manager = await user(emails.manager);
  await grantStaffRole(deps, admin, { userId: manager.id, role: "manager", centreId: "redu" });
  const otherManager = await user(emails.otherManager);
  await grantStaffRole(deps, admin, {
    userId: otherManager.id,
    role: "manager",
    centreId: "ciney",
  });
  const coordinator = await user(emails.coordinator);
  await grantStaffRole(deps, admin, { userId: coordinator.id, role: "coordinator" });

  return {
    cloud,
    deps,
    ann,
    badgeId: badge.id,
    gateway: { id: gateway.gateway.id, secret: gateway.secret, centreId: "redu", doorId: "door-1" },
    async stop() {
      await cloud.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
