import { randomBytes } from "node:crypto";
import {
  type Actor,
  createBooking,
  createCentre,
  createDoor,
  createMember,
  createPass,
  createResource,
  createUser,
  grantStaffRole,
  issueBadge,
  provisionGateway,
  revokeBadge,
  type ServiceDeps,
} from "@passerelle/cloud";
import { generatePopulation } from "../people/population.js";
import { SeededRandom } from "../scenario/seededRandom.js";
import type {
  BadgeTrouble,
  DemoCentreEntry,
  DemoLogin,
  DemoManifest,
  DemoPersonEntry,
} from "./demoManifest.js";
import { bookableDesks, type DemoCentre, roundTheClock } from "./demoNetwork.js";

const actor: Actor = "cli:demo-seed";
const DAY = 86_400_000;
const HOUR = 3_600_000;

export interface SeedOptions {
  readonly centres: readonly DemoCentre[];
  readonly people: number;
  readonly seed: string;
  readonly openingHours: DemoManifest["openingHours"];
  readonly bookingGraceMinutes?: number;
  readonly now?: number;
}

/** A demo password: random per data directory, never a constant anyone could try elsewhere. */
function demoPassword(): string {
  return `demo-${randomBytes(9).toString("base64url")}`;
}

async function seedCentre(
  deps: ServiceDeps,
  centre: DemoCentre,
  options: SeedOptions,
): Promise<DemoCentreEntry> {
  await createCentre(deps, actor, {
    id: centre.id,
    name: centre.name,
    timeZone: centre.timeZone,
    openingHours: options.openingHours === "declared" ? centre.openingHours : roundTheClock,
    capacity: centre.capacity,
    hourlyRateCents: centre.hourlyRateCents,
    ...(options.bookingGraceMinutes === undefined
      ? {}
      : { settings: { bookingGraceMinutes: options.bookingGraceMinutes } }),
  });
  const openSpace = await createResource(deps, actor, {
    id: `${centre.id}-open-space`,
    centreId: centre.id,
    kind: "zone",
    name: `Open space (${centre.desks} postes)`,
    capacity: centre.desks,
  });
  const desks: string[] = [];
  for (const [index, id] of bookableDesks(centre).entries()) {
    await createResource(deps, actor, {
      id,
      centreId: centre.id,
      kind: "desk",
      name: `Poste ${index + 1}`,
    });
    desks.push(id);
  }
  for (const [index, room] of centre.rooms.entries()) {
    await createResource(deps, actor, {
      id: `${centre.id}-room-${index + 1}`,
      centreId: centre.id,
      kind: "room",
      name: room.name,
      capacity: room.capacity,
    });
  }
  const gatewayId = `${centre.id}-gw-1`;
  const credentials = await provisionGateway(deps, actor, {
    id: gatewayId,
    centreId: centre.id,
    name: `${centre.name}, entrée`,
  });
  const doorId = `${centre.id}-entrance`;
  const exitKind = centre.exitKind;
  await createDoor(deps, actor, {
    id: doorId,
    centreId: centre.id,
    gatewayId,
    name: "Entrée",
    direction: "both",
    exitKind,
    // The entrance is a shared door (to the open space): everyone with a right at the centre,
    // a desk or room booking included, opens it; a room door would count its own zone.
    resourceIds: [openSpace.id, ...desks],
  });
  return {
    id: centre.id,
    name: centre.name,
    timeZone: centre.timeZone,
    doorId,
    gatewayId,
    gatewaySecret: credentials.secret,
    exitKind,
  };
}

/**
 * A few people whose card every door refuses, so the access log shows refusals: one in 40 with
 * a pass that ran out yesterday, one in 40 whose badge was revoked (reported lost). Never the
 * first person (the demo's worker login).
 */
export function badgeTroubleOf(index: number): BadgeTrouble | undefined {
  if (index % 40 === 7) return "expired-pass";
  if (index % 40 === 23) return "revoked-badge";
  return undefined;
}

/**
 * Books rooms for some people at their home centre: a slot later today and one tomorrow. A slot
 * the centre refuses (closed, taken) is skipped: the demo wants plausible bookings, not all.
 */
async function seedBookings(
  deps: ServiceDeps,
  centres: readonly DemoCentre[],
  people: readonly DemoPersonEntry[],
  random: SeededRandom,
  now: number,
): Promise<number> {
  let made = 0;
  const hour = Math.ceil(now / HOUR) * HOUR;
  for (const person of people) {
    if (!random.chance(0.15)) continue;
    const centre = centres.find((c) => c.id === person.homeCentre);
    if (centre === undefined || centre.rooms.length === 0) continue;
    const roomIndex = random.int(1, centre.rooms.length);
    const start = hour + random.int(0, 30) * HOUR;
    try {
      await createBooking(deps, actor, {
        resourceId: `${centre.id}-room-${roomIndex}`,
        memberId: person.memberId,
        start,
        end: start + random.int(1, 3) * HOUR,
      });
      made += 1;
    } catch {
      // Taken or outside opening hours: this person simply has no booking.
    }
  }
  return made;
}

/**
 * Creates the demo network through the cloud's own domain services, as an operator would with
 * the CLI: centres, resources, one gateway and one entrance per centre, people with passes and
 * badges, logins for the three roles, and some room bookings. Run once per data directory.
 */
export async function seedDemoNetwork(
  deps: ServiceDeps,
  options: SeedOptions,
): Promise<DemoManifest & { bookings: number }> {
  const now = options.now ?? deps.clock.now();
  const centres: DemoCentreEntry[] = [];
  for (const centre of options.centres) {
    centres.push(await seedCentre(deps, centre, options));
  }
  const population = generatePopulation(options.centres, options.people, options.seed);
  const people: DemoPersonEntry[] = [];
  for (const [index, person] of population.entries()) {
    const trouble = badgeTroubleOf(index);
    const member = await createMember(deps, actor, {
      name: person.name,
      email: person.email,
      homeCentreId: person.homeCentre,
      language: "fr",
    });
    await createPass(deps, actor, {
      memberId: member.id,
      kind: person.pass,
      ownerCentreId: person.pass === "network" ? null : person.homeCentre,
      validCentreId: person.pass === "network" ? null : person.homeCentre,
      validFrom: trouble === "expired-pass" ? now - 90 * DAY : now - DAY,
      validTo: trouble === "expired-pass" ? now - DAY : now + 365 * DAY,
    });
    const badge = await issueBadge(deps, actor, { memberId: member.id, uid: person.uid });
    if (trouble === "revoked-badge") {
      await revokeBadge(deps, actor, badge.id, "reported lost (demo)");
    }
    people.push({
      ...person,
      memberId: member.id,
      badgeId: badge.id,
      ...(trouble ? { badgeTrouble: trouble } : {}),
    });
  }
  const logins = await seedLogins(deps, centres, people);
  const bookings = await seedBookings(
    deps,
    options.centres,
    people,
    new SeededRandom(`bookings:${options.seed}`),
    now,
  );
  return {
    version: 1,
    seed: options.seed,
    createdAt: new Date(now).toISOString(),
    openingHours: options.openingHours,
    centres,
    people,
    logins,
    bookings,
  };
}

/** The centre most people call home: the printed manager sees a board that moves. */
export function busiestCentre<T extends { id: string }>(
  centres: readonly T[],
  people: readonly { homeCentre: string }[],
): T | undefined {
  const residents = (id: string) => people.filter((p) => p.homeCentre === id).length;
  return [...centres].sort((a, b) => residents(b.id) - residents(a.id))[0];
}

async function seedLogins(
  deps: ServiceDeps,
  centres: readonly DemoCentreEntry[],
  people: readonly DemoPersonEntry[],
): Promise<DemoLogin[]> {
  const logins: DemoLogin[] = [];
  const coordinator = { email: "coordination@demo.passerelle.example", password: demoPassword() };
  const coordinatorUser = await createUser(deps, actor, coordinator);
  await grantStaffRole(deps, actor, { userId: coordinatorUser.id, role: "coordinator" });
  logins.push({ role: "coordinator", ...coordinator, note: "the cooperative: every centre" });

  const managed = busiestCentre(centres, people);
  if (managed !== undefined) {
    const manager = {
      email: `gestion.${managed.id}@demo.passerelle.example`,
      password: demoPassword(),
    };
    const managerUser = await createUser(deps, actor, manager);
    await grantStaffRole(deps, actor, {
      userId: managerUser.id,
      role: "manager",
      centreId: managed.id,
      offlineAccess: true,
    });
    logins.push({ role: "manager", ...manager, note: `manages ${managed.name}` });
  }
  const worker = people[0];
  if (worker !== undefined) {
    const login = { email: worker.email, password: demoPassword() };
    await createUser(deps, actor, { ...login, memberId: worker.memberId });
    logins.push({
      role: "worker",
      ...login,
      note: `${worker.name}, home centre ${worker.homeCentre}`,
    });
  }
  return logins;
}
