import type { Decision, DenyReason, GrantReason } from "@passerelle/protocol";
import type { AccessIndex, IndexedPass } from "./accessIndex.js";
import { isWithin } from "./weeklyHours.js";

export interface AccessRequest {
  credentialHash: string;
  doorId: string;
  now: number;
  /** From the clock guard: false when the clock is behind what the gateway has already seen. */
  clockTrusted: boolean;
}

export type AccessDecision =
  | { decision: "granted"; reason: GrantReason; member: string }
  | { decision: "denied"; reason: DenyReason; member?: string };

const deny = (reason: DenyReason, member?: string): AccessDecision =>
  member === undefined ? { decision: "denied", reason } : { decision: "denied", reason, member };
const grant = (reason: GrantReason, member: string): AccessDecision => ({
  decision: "granted",
  reason,
  member,
});

/**
 * The door's decision, pure and synchronous: from the credential, the door, the time and the
 * bundle index to granted or denied with a reason from the protocol's fixed lists
 * (protocol/README.md, "Access decisions"). Fail closed: anything not positively allowed is
 * denied.
 *
 * Order matters and is the contract: who the badge is (unknown, revoked) before where (door)
 * before when; an expired bundle or an untrusted clock leaves only offline staff; staff open at
 * any hour; then bookings and passes, and a pass outside opening hours says "centre-closed".
 */
export function decide(request: AccessRequest, index: AccessIndex | null): AccessDecision {
  if (index === null) return deny("no-bundle");
  const credentials = index.credentials;
  const row = credentials.find(request.credentialHash);
  if (row < 0) return deny("unknown-badge");
  const member = credentials.member(row);
  if (credentials.isRevoked(row)) return deny("revoked", member);
  if (!credentials.doors(row).has(request.doorId)) return deny("door-not-allowed", member);
  if (request.now >= index.validUntil) {
    return credentials.isOfflineStaff(row)
      ? grant("offline-staff", member)
      : deny("bundle-expired", member);
  }
  if (!request.clockTrusted) {
    return credentials.isOfflineStaff(row)
      ? grant("offline-staff", member)
      : deny("clock-untrusted", member);
  }
  if (credentials.isStaff(row)) return grant("staff", member);
  const window = credentials.windowAt(row, request.now);
  if (window !== null) return grant(window, member);
  return passDecision(credentials.passes(row), member, index, request.now);
}

function passDecision(
  passes: readonly IndexedPass[],
  member: string,
  index: AccessIndex,
  now: number,
): AccessDecision {
  let closed = false;
  for (const pass of passes) {
    if (now < pass.from || now >= pass.to) continue;
    const local = index.localClock.at(now);
    if (index.closedDates.has(local.date)) {
      closed = true;
      continue;
    }
    if (pass.hours === null) {
      if (isWithin(index.openingHours, local)) return grant("pass", member);
      closed = true;
    } else if (isWithin(pass.hours, local)) {
      return grant("pass", member);
    }
  }
  return deny(closed ? "centre-closed" : "outside-window", member);
}

export type { Decision };
