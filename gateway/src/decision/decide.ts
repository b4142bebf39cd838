import { type Decision, type DenyReason, type GrantReason, pinMatches } from "@passerelle/protocol";
import type { AccessIndex, IndexedPass } from "./accessIndex.js";
import { isWithin } from "./weeklyHours.js";

export interface AccessRequest {
  credentialHash: string;
  doorId: string;
  now: number;
  /** From the clock guard: false when the clock is behind what the gateway has already seen. */
  clockTrusted: boolean;
  /**
   * How the card proved itself: "sun" once its SUN message verified (MAC and fresh counter,
   * credentials/sunCredential.ts), "uid" for a bare UID. Absent means "uid".
   */
  proof?: "uid" | "sun";
  /** Digits typed on the reader's keypad with the card (OSDP keypads); checked at PIN doors. */
  pin?: string;
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
 * and the door's PIN before when (a PIN door wants the PIN at every hour, offline staff too); an expired bundle or an untrusted clock leaves only offline staff; staff open at
 * any hour; then bookings and passes, and a pass outside opening hours says "centre-closed".
 * A centre in lockdown refuses everyone but staff right after the door check.
 */
export function decide(request: AccessRequest, index: AccessIndex | null): AccessDecision {
  if (index === null) return deny("no-bundle");
  const credentials = index.credentials;
  const row = credentials.find(request.credentialHash);
  if (row < 0) return deny("unknown-badge");
  const member = credentials.member(row);
  if (credentials.isRevoked(row)) return deny("revoked", member);
  const sun = request.proof === "sun";
  // A secure card, or a centre that refuses UID-only cards, wants the SUN proof: a bare UID
  // is what a card emulator replays.
  if (!sun && (credentials.isSecureCard(row) || index.rules.uidOnlyCardsRefused === true)) {
    return deny("credential.uid-only", member);
  }
  if (!credentials.doors(row).has(request.doorId)) return deny("door-not-allowed", member);
  // Lockdown: only staff (offline staff too) get past this line, whatever their bookings.
  if (
    index.rules.lockdown === true &&
    !credentials.isStaff(row) &&
    !credentials.isOfflineStaff(row)
  ) {
    return deny("lockdown", member);
  }
  const pinRefusal = checkPin(request, index);
  if (pinRefusal !== null) return deny(pinRefusal, member);
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
  return passDecision(credentials.passes(row), member, index, request.now, sun);
}

/** At a card + PIN door: the PIN typed must be the card's; elsewhere a typed PIN is ignored. */
function checkPin(request: AccessRequest, index: AccessIndex): DenyReason | null {
  if (index.doors.get(request.doorId)?.pinRequired !== true) return null;
  const expected = index.pinHashes.get(request.credentialHash);
  // A card without a PIN cannot pass a PIN door: fail closed, and say what is missing.
  if (request.pin === undefined || expected === undefined) return "credential.pin-missing";
  return pinMatches(request.pin, expected, request.credentialHash, index.credentialSalt)
    ? null
    : "credential.pin-wrong";
}

function passDecision(
  passes: readonly IndexedPass[],
  member: string,
  index: AccessIndex,
  now: number,
  sun: boolean,
): AccessDecision {
  let closed = false;
  let uidOnly = false;
  for (const pass of passes) {
    if (now < pass.from || now >= pass.to) continue;
    if (pass.secureCardOnly && !sun) {
      uidOnly = true;
      continue;
    }
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
  if (uidOnly && !closed) return deny("credential.uid-only", member);
  return deny(closed ? "centre-closed" : "outside-window", member);
}

export type { Decision };
