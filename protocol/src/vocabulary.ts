/**
 * The fixed word lists of the contract, as plain constants: the schemas (schemas/access.ts,
 * schemas/events.ts) build their unions from them, and the web console reads them through the
 * browser entry (browser.ts) without loading TypeBox or node:crypto.
 */

/** Why a door opened. */
export const grantReasons = ["booking", "pass", "staff", "offline-staff", "remote"] as const;

/**
 * Why a door stayed shut: the fixed list of the access engine. The console translates these;
 * never add free text here.
 */
export const denyReasons = [
  "unknown-badge",
  "revoked",
  "outside-window",
  "door-not-allowed",
  "centre-closed",
  "bundle-expired",
  "clock-untrusted",
  "no-bundle",
  /** A SUN card's message is a copy: its read counter is not above the last one seen. */
  "credential.replayed",
  /** A SUN card's MAC does not verify: a clone, a foreign card or a tampered message. */
  "credential.invalid-mac",
  /** Only a UID was presented where a SUN card is required (card, pass or centre setting). */
  "credential.uid-only",
  /** The card left the reader mid-read, or its NDEF file is truncated or oversized. */
  "credential.unreadable",
  /** The centre is in lockdown: only staff open until a manager lifts it. */
  "lockdown",
  /** A card + PIN door, and no PIN was typed on the keypad (or the card has no PIN set). */
  "credential.pin-missing",
  /** A card + PIN door, and the PIN typed is not the card's. */
  "credential.pin-wrong",
] as const;

/** Every decision reason, grants first. */
export const accessReasons = [...grantReasons, ...denyReasons] as const;

/**
 * Every kind of event a gateway reports. `access` carries a decision; the `door.*` kinds are the
 * door state machine's transitions, except `door.exit`: one anonymous exit the gateway counted
 * (an exit-button cycle or a free-egress door cycle; direction "out", no member, no credential);
 * the rest report the gateway's own health.
 */
export const eventTypes = [
  "access",
  "exit.requested",
  "door.unlocked",
  "door.locked",
  "door.opened",
  "door.closed",
  "door.held-open",
  "door.forced-open",
  "door.alarm-cleared",
  "door.exit",
  "remote.unlock",
  "command.rejected",
  "reader.connected",
  "reader.disconnected",
  "reader.error",
  "bundle.applied",
  "bundle.rejected",
  "clock.untrusted",
  "clock.trusted",
  "presence.closed",
] as const;

/**
 * How a presence session ended: seen ("exit" badge, "last-out" when the centre's headcount
 * reached 0, a badge-in at an "other-centre"), or given by a no-exit policy ("closing-time",
 * "inactivity", "cap"). The console words each one (console/test/unit/codeWords.test.ts).
 */
export const closeReasons = [
  "exit",
  "last-out",
  "other-centre",
  "closing-time",
  "inactivity",
  "cap",
] as const;
