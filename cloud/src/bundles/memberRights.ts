import type { PassRule } from "@passerelle/protocol";
import { type Interval, mergeIntervals } from "../domain/intervals.js";
import { openIntervals } from "../domain/openingHours.js";
import type { BundlePassInput, CentreAccessInput } from "../ports/compilerInput.js";

/** Everything one member may do at the centre, before it is copied onto each of their badges. */
export interface MemberRights {
  /** Bookings widened by the grace period, merged. */
  readonly bookingWindows: Interval[];
  /** Day passes: the centre's opening hours within the pass's validity, merged. */
  readonly passWindows: Interval[];
  readonly passRules: PassRule[];
  /** Resources booked within the horizon: they open the room doors that lead there. */
  readonly bookedResources: Set<string>;
  staff: boolean;
  offlineStaff: boolean;
}

const MINUTE = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

function rightsOf(byMember: Map<string, MemberRights>, memberId: string): MemberRights {
  let rights = byMember.get(memberId);
  if (!rights) {
    rights = {
      bookingWindows: [],
      passWindows: [],
      passRules: [],
      bookedResources: new Set(),
      staff: false,
      offlineStaff: false,
    };
    byMember.set(memberId, rights);
  }
  return rights;
}

/** Inside the bundle's life [now, validUntil): what ended already or starts after is left out. */
function inHorizon(interval: Interval, horizon: Interval): boolean {
  return interval.to > horizon.from && interval.from < horizon.to;
}

function passOpensHere(pass: BundlePassInput, centreId: string): boolean {
  if (pass.revokedAt !== undefined && pass.revokedAt !== null) return false;
  return pass.validCentreId === null || pass.validCentreId === centreId;
}

/**
 * Per member: windows from bookings (start − grace, end + grace), windows from day passes (the
 * opening hours of the day they cover), weekly pass rules from network passes, centre
 * memberships and hour credits with minutes left, and staff rights for the centre's managers.
 */
export function collectMemberRights(
  input: CentreAccessInput,
  horizon: Interval,
): Map<string, MemberRights> {
  const byMember = new Map<string, MemberRights>();
  const grace = input.centre.bookingGraceMinutes * MINUTE;
  for (const booking of input.bookings) {
    const window = { from: booking.startsAt - grace, to: booking.endsAt + grace };
    if (booking.endsAt <= booking.startsAt || !inHorizon(window, horizon)) continue;
    const rights = rightsOf(byMember, booking.memberId);
    rights.bookingWindows.push(window);
    rights.bookedResources.add(booking.resourceId);
  }
  const calendar = {
    timeZone: input.centre.timeZone,
    openingHours: input.centre.openingHours,
    closedDates: new Set(input.centre.closedDates),
  };
  for (const pass of input.passes) {
    const validity = { from: pass.validFrom, to: pass.validTo };
    if (!passOpensHere(pass, input.centre.id) || !inHorizon(validity, horizon)) continue;
    if (pass.kind === "day") {
      const open = openIntervals(calendar, validity).filter((w) => inHorizon(w, horizon));
      if (open.length > 0) rightsOf(byMember, pass.memberId).passWindows.push(...open);
      continue;
    }
    if (pass.kind === "hour-credits" && !((pass.remainingMinutes ?? 0) > 0)) continue;
    rightsOf(byMember, pass.memberId).passRules.push({
      from: iso(pass.validFrom),
      to: iso(pass.validTo),
      hours: "opening-hours",
    });
  }
  for (const member of input.staff) {
    const rights = rightsOf(byMember, member.memberId);
    rights.staff = true;
    rights.offlineStaff ||= member.offlineAccess;
  }
  for (const rights of byMember.values()) {
    rights.bookingWindows.splice(0, Infinity, ...mergeIntervals(rights.bookingWindows));
    rights.passWindows.splice(0, Infinity, ...mergeIntervals(rights.passWindows));
  }
  return byMember;
}
