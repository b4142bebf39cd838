import {
  type AccessWindow,
  type BundleCredential,
  type Door,
  type FullBundle,
  limits,
  type PassRule,
} from "@passerelle/protocol";
import { DateTime } from "luxon";
import {
  type BundleBadgeInput,
  type BundleDoorInput,
  type BundlePolicy,
  type CentreAccessInput,
  defaultBundlePolicy,
} from "../ports/compilerInput.js";
import { collectMemberRights, type MemberRights } from "./memberRights.js";

const iso = (ms: number) => new Date(ms).toISOString();
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Compiles who may open which door of one centre, and when, into a full access bundle
 * (docs/cloud-mqtt.md "Compiler"; the bundle format: protocol/README.md). Pure: the same input, version and `now` give the same bundle,
 * sorted, so two compilations can be compared and diffed.
 *
 * - A badge carries its member's rights: booking windows, day-pass windows, pass rules, staff.
 *   An active badge whose member has no right here is left out (the door denies it as unknown).
 * - A revoked badge stays, as status "revoked" with no rights, for `revokedRetentionMs` after
 *   its revocation, so the door and the access log say "revoked".
 * - Doors: staff open every door. Others open the shared doors (leading to no resource or to a
 *   desk or zone) and the room doors (leading only to rooms) of rooms they booked. A bundle entry
 *   has one door list for all its windows, so someone with a pass and a room booking opens that
 *   room's door during the pass's hours too: the centre's entrance is the boundary that matters.
 * - Only what overlaps [now, valid-until) is kept.
 */
export function compileCentreBundle(
  input: CentreAccessInput,
  version: number,
  now: number,
  policy: BundlePolicy = defaultBundlePolicy,
): FullBundle {
  const validUntil = now + policy.validityMs;
  const rightsByMember = collectMemberRights(input, { from: now, to: validUntil });
  const doors = [...input.doors].sort((a, b) => byText(a.id, b.id));
  const allDoorIds = doors.map((door) => door.id);
  const credentials: BundleCredential[] = [];
  for (const badge of chooseBadgePerHash(input.badges)) {
    if (badge.revokedAt !== null) {
      if (now - badge.revokedAt < policy.revokedRetentionMs) credentials.push(revoked(badge));
      continue;
    }
    const rights = rightsByMember.get(badge.memberId);
    if (!rights || !hasAnyRight(rights)) continue;
    credentials.push({
      hash: badge.credentialHash,
      member: badge.memberId,
      status: "active",
      doors: rights.staff ? allDoorIds : doorsFor(doors, rights.bookedResources),
      windows: windowsOf(rights),
      passes: passRulesOf(rights),
      staff: rights.staff,
      offlineStaff: rights.offlineStaff,
      ...cardFacts(badge),
    });
  }
  return {
    type: "bundle.full",
    centre: input.centre.id,
    version,
    issuedAt: iso(now),
    validUntil: iso(validUntil),
    credentialSalt: input.credentialSalt,
    rules: {
      id: input.centre.id,
      name: input.centre.name,
      timeZone: input.centre.timeZone,
      openingHours: input.centre.openingHours,
      closedDates: upcomingClosedDates(input, now),
      // Only when on: bundles of centres never locked down stay as they were.
      ...(input.centre.lockdown === true ? { lockdown: true } : {}),
    },
    doors: doors.map(bundleDoor),
    credentials: credentials.sort((a, b) => byText(a.hash, b.hash)),
  };
}

/** One entry per hash: an active badge wins over revoked ones (a re-issued card). */
function chooseBadgePerHash(badges: readonly BundleBadgeInput[]): BundleBadgeInput[] {
  const chosen = new Map<string, BundleBadgeInput>();
  for (const badge of badges) {
    const current = chosen.get(badge.credentialHash);
    const better =
      !current ||
      (current.revokedAt !== null && badge.revokedAt === null) ||
      (current.revokedAt !== null &&
        badge.revokedAt !== null &&
        badge.revokedAt > current.revokedAt);
    if (better) chosen.set(badge.credentialHash, badge);
  }
  return [...chosen.values()];
}

/** What the door needs to know about the card itself: SUN kind, spent counter, PIN. */
function cardFacts(badge: BundleBadgeInput): Partial<BundleCredential> {
  return {
    ...(badge.secureCard === true ? { secureCard: true } : {}),
    ...(badge.readCounter === undefined || badge.readCounter === null
      ? {}
      : { readCounter: badge.readCounter }),
    ...(badge.pinHash === undefined || badge.pinHash === null ? {} : { pinHash: badge.pinHash }),
  };
}

function revoked(badge: BundleBadgeInput): BundleCredential {
  return {
    hash: badge.credentialHash,
    member: badge.memberId,
    status: "revoked",
    doors: [],
    windows: [],
    passes: [],
    staff: false,
    offlineStaff: false,
  };
}

function hasAnyRight(rights: MemberRights): boolean {
  return (
    rights.staff ||
    rights.bookingWindows.length > 0 ||
    rights.passWindows.length > 0 ||
    rights.passRules.length > 0
  );
}

function isRoomDoor(door: BundleDoorInput): boolean {
  return door.resources.length > 0 && door.resources.every((r) => r.kind === "room");
}

function doorsFor(doors: readonly BundleDoorInput[], booked: ReadonlySet<string>): string[] {
  return doors
    .filter((door) => !isRoomDoor(door) || door.resources.some((r) => booked.has(r.id)))
    .map((door) => door.id);
}

/** Booking and day-pass windows in time order; past the protocol's cap, the latest are cut. */
function windowsOf(rights: MemberRights): AccessWindow[] {
  const windows = [
    ...rights.bookingWindows.map((w) => ({ ...w, source: "booking" as const })),
    ...rights.passWindows.map((w) => ({ ...w, source: "pass" as const })),
  ].sort((a, b) => a.from - b.from || byText(a.source, b.source));
  return windows.slice(0, limits.windowsPerCredential).map((w) => ({
    from: iso(w.from),
    to: iso(w.to),
    source: w.source,
  }));
}

/** Distinct rules in time order, at most the 16 a credential may carry (soonest first). */
function passRulesOf(rights: MemberRights): PassRule[] {
  const distinct = new Map(rights.passRules.map((rule) => [`${rule.from}|${rule.to}`, rule]));
  return [...distinct.values()]
    .sort((a, b) => byText(a.from, b.from) || byText(a.to, b.to))
    .slice(0, 16);
}

function bundleDoor(door: BundleDoorInput): Door {
  return {
    id: door.id,
    name: door.name,
    direction: door.direction,
    // The gateway counts anonymous exits by it; absent is read as exit-button.
    ...(door.exitKind === undefined ? {} : { exitKind: door.exitKind }),
    ...(door.heldOpenSeconds === undefined || door.heldOpenSeconds === null
      ? {}
      : { heldOpenMs: door.heldOpenSeconds * 1000 }),
    ...(door.pinRequired === true ? { pinRequired: true } : {}),
    // Occupancy is counted per zone: open spaces and rooms, not single desks.
    zones: door.resources
      .filter((r) => r.kind !== "desk")
      .map((r) => r.id)
      .sort(byText),
  };
}

/** Closed days from yesterday on (local), at most the 366 a bundle may carry. */
function upcomingClosedDates(input: CentreAccessInput, now: number): string[] {
  const yesterday =
    DateTime.fromMillis(now, { zone: input.centre.timeZone }).minus({ days: 1 }).toISODate() ?? "";
  return [...new Set(input.centre.closedDates)]
    .filter((date) => date >= yesterday)
    .sort(byText)
    .slice(0, 366);
}
