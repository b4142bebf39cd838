import type { WeeklySchedule } from "@passerelle/protocol";
import { type Centre, createCentre } from "../../src/domain/centres.js";
import { createMember, type Member } from "../../src/domain/members.js";
import { createPass } from "../../src/domain/passes.js";
import { createResource, type Resource } from "../../src/domain/resources.js";
import {
  type Actor,
  type AuditEntry,
  type Clock,
  type ServiceDeps,
  serviceDeps,
} from "../../src/domain/serviceDeps.js";
import type { Store } from "../../src/store/openStore.js";

export const admin: Actor = "user:admin";

/** A clock the test moves by hand. */
export class TestClock implements Clock {
  constructor(private ms: number) {}
  now(): number {
    return this.ms;
  }
  set(at: string | number): void {
    this.ms = typeof at === "string" ? Date.parse(at) : at;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

/** Services with a test clock and hooks that record what they were told. */
export interface RecordingDeps extends ServiceDeps {
  readonly clock: TestClock;
  readonly accessChanges: string[][];
  readonly audits: AuditEntry[];
}

export function recordingDeps(store: Store, now = "2026-03-02T07:00:00Z"): RecordingDeps {
  const clock = new TestClock(Date.parse(now));
  const accessChanges: string[][] = [];
  const audits: AuditEntry[] = [];
  const deps = serviceDeps(store, {
    clock,
    hooks: {
      onAccessRulesChanged: (centres) => {
        accessChanges.push([...centres]);
      },
      audit: (entry) => {
        audits.push(entry);
      },
    },
  });
  return { ...deps, clock, accessChanges, audits };
}

export const weekdays8to18: WeeklySchedule = [
  { days: [1, 2, 3, 4, 5], open: "08:00", close: "18:00" },
];
export const everyDay8to18: WeeklySchedule = [
  { days: [1, 2, 3, 4, 5, 6, 7], open: "08:00", close: "18:00" },
];
export const allDayEveryDay: WeeklySchedule = [
  { days: [1, 2, 3, 4, 5, 6, 7], open: "00:00", close: "24:00" },
];

export function centre(
  deps: ServiceDeps,
  id: string,
  openingHours: WeeklySchedule = weekdays8to18,
  extra: Partial<Parameters<typeof createCentre>[2]> = {},
): Promise<Centre> {
  return createCentre(deps, admin, {
    id,
    name: id.toUpperCase(),
    timeZone: "Europe/Brussels",
    openingHours,
    capacity: 40,
    hourlyRateCents: 450,
    ...extra,
  });
}

/** A member holding a network pass for all of 2026. */
export async function memberWithPass(deps: ServiceDeps, name: string): Promise<Member> {
  const member = await createMember(deps, admin, {
    name,
    email: `${name.toLowerCase().replace(/\W+/g, ".")}@example.org`,
  });
  await createPass(deps, admin, {
    memberId: member.id,
    kind: "network",
    validFrom: Date.parse("2026-01-01T00:00:00Z"),
    validTo: Date.parse("2027-01-01T00:00:00Z"),
  });
  return member;
}

export interface SmallCentre {
  readonly centre: Centre;
  readonly desk: Resource;
  readonly zone: Resource;
  readonly room: Resource;
}

/** A centre with a desk, a 3-seat zone and a meeting room. */
export async function smallCentre(
  deps: ServiceDeps,
  id = "redu",
  openingHours: WeeklySchedule = weekdays8to18,
): Promise<SmallCentre> {
  const created = await centre(deps, id, openingHours);
  const desk = await createResource(deps, admin, {
    id: `${id}-desk-1`,
    centreId: id,
    kind: "desk",
    name: "Desk 1",
  });
  const zone = await createResource(deps, admin, {
    id: `${id}-open-space`,
    centreId: id,
    kind: "zone",
    name: "Open space",
    capacity: 3,
  });
  const room = await createResource(deps, admin, {
    id: `${id}-room-a`,
    centreId: id,
    kind: "room",
    name: "Room A",
    capacity: 8,
  });
  return { centre: created, desk, zone, room };
}

/** An ISO instant with an explicit offset ("2026-03-03T09:00+01:00") as epoch ms. */
export function at(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`bad test time ${iso}`);
  return ms;
}
