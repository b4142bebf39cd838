import type { Decision, DenyReason, GrantReason } from "@passerelle/protocol";
import type { AccessIndex, IndexedCredential } from "./accessIndex.js";
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
 * bundle index to granted or denied with a reason from the protocol's fixed lists (DESIGN.md
 * "Access bundle"). Fail closed: anything not positively allowed is denied.
 *
 * Order matters and is the contract: who the badge is (unknown, revoked) before where (door)
 * before when; an expired bundle or an untrusted clock leaves only offline staff; staff open at
 * any hour; then bookings and passes, and a pass outside opening hours says "centre-closed".
 */
export function decide(request: AccessRequest, index: AccessIndex | null): AccessDecision {
  if (index === null) return deny("no-bundle");
  const credential = index.credentials.get(request.credentialHash);
  if (credential === undefined) return deny("unknown-badge");
  const member = credential.member;
  if (credential.revoked) return deny("revoked", member);
  if (!credential.doors.has(request.doorId)) return deny("door-not-allowed", member);
  if (request.now >= index.validUntil) {
    return credential.offlineStaff
      ? grant("offline-staff", member)
      : deny("bundle-expired", member);
  }
  if (!request.clockTrusted) {
    return credential.offlineStaff
      ? grant("offline-staff", member)
      : deny("clock-untrusted", member);
  }
  if (credential.staff) return grant("staff", member);
  const window = windowAt(credential, request.now);
  if (window !== null) return grant(window, member);
  return passDecision(credential, index, request.now);
}

/** Which kind of absolute window covers `now`, if any. */
function windowAt(credential: IndexedCredential, now: number): "booking" | "pass" | null {
  const windows = credential.windows;
  for (let i = 0; i < windows.length; i += 3) {
    if ((windows[i] as number) > now) break; // sorted by start: no later window can cover now
    if (now < (windows[i + 1] as number)) return windows[i + 2] === 1 ? "booking" : "pass";
  }
  return null;
}

function passDecision(
  credential: IndexedCredential,
  index: AccessIndex,
  now: number,
): AccessDecision {
  let closed = false;
  for (const pass of credential.passes) {
    if (now < pass.from || now >= pass.to) continue;
    const local = index.localClock.at(now);
    if (index.closedDates.has(local.date)) {
      closed = true;
      continue;
    }
    if (pass.hours === null) {
      if (isWithin(index.openingHours, local)) return grant("pass", credential.member);
      closed = true;
    } else if (isWithin(pass.hours, local)) {
      return grant("pass", credential.member);
    }
  }
  return deny(closed ? "centre-closed" : "outside-window", credential.member);
}

export type { Decision };
