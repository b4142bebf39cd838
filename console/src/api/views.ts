/** The API's views the console reads (the subset of fields it uses). */

export interface CentreView {
  id: string;
  name: string;
  timeZone: string;
  capacity: number;
  openingHours: { days: number[]; open: string; close: string }[];
  hourlyRateCents?: number;
  archivedAt: string | null;
}

export type ResourceKind = "desk" | "zone" | "room";
export const resourceKinds: readonly ResourceKind[] = ["desk", "room", "zone"];

export interface ResourceView {
  id: string;
  centreId: string;
  kind: ResourceKind;
  name: string;
  capacity: number;
  archivedAt: string | null;
}

export interface Slot {
  start: string;
  end: string;
  free: number;
}

export interface AvailabilityItem {
  resourceId: string;
  centreId: string;
  kind: ResourceKind;
  name: string;
  capacity: number;
  slots: Slot[];
}

export interface BookingView {
  id: string;
  resourceId: string;
  centreId: string;
  memberId: string;
  seriesId: string | null;
  start: string;
  end: string;
  status: "confirmed" | "cancelled" | "released";
  checkedInAt: string | null;
}

export interface DoorLiveView {
  doorId: string;
  name: string | null;
  state: "locked" | "unlocked" | "open" | "unknown";
  alarm: "held-open" | "forced-open" | null;
  reporting: boolean;
  since: string | null;
}

/** The count fields a centre's snapshot and the network's entries share (docs/api.md). */
interface CountFields {
  /** Headcount: entries − exits, anonymous exits included. */
  inside: number;
  /** Of those, the members known by name (open sessions). */
  attributed: number;
  time: string | null;
  /** A gateway that sent these counts is offline: they are the last known ones, as of `time`. */
  stale: boolean;
  offlineSince: string | null;
}

export interface CentreOccupancyView extends CountFields {
  centreId: string;
  name: string;
  capacity: number;
  zones: { zone: string; inside: number }[];
  doors: DoorLiveView[];
  people: { memberId: string; name: string | null; since: string }[];
}

export interface CentreCountView extends CountFields {
  centreId: string;
  name: string;
  capacity: number;
  alarms: number;
}

export interface NetworkOccupancyView {
  centres: CentreCountView[];
  inside: number;
  /** How many of the listed centres are stale (their share of `inside` is old). */
  staleCentres: number;
}

/** How a presence session ended (docs/api.md "Session fields"). */
export type CloseReason =
  | "exit"
  | "last-out"
  | "other-centre"
  | "inactivity"
  | "closing-time"
  | "cap"
  | "correction";

export interface SessionView {
  id: string;
  memberId: string;
  centreId: string;
  start: string;
  end: string;
  closeReason: CloseReason;
  ruleCloseReason: CloseReason;
  /** False for a session closed by a no-exit rule, until confirmed or corrected. */
  confirmed: boolean;
  editableUntil: string;
  computedMinutes: number;
  billableMinutes: number;
  adjustmentId: string | null;
}

export interface GatewayView {
  id: string;
  centreId: string;
  name: string;
  disabled: boolean;
  status: {
    online: boolean;
    lastSeen: string | null;
    software: string | null;
    bundleVersion: number | null;
    clockTrusted: boolean | null;
    outboxDepth: number | null;
    outboxFull: boolean | null;
  };
}

export interface AccessEventView {
  id: string;
  occurredAt: string;
  centreId: string;
  gatewayId: string;
  type: string;
  doorId: string | null;
  direction: "in" | "out" | null;
  memberId: string | null;
  memberName: string | null;
  outcome: "granted" | "denied" | null;
  reason: string | null;
}

export interface MemberView {
  id: string;
  name: string;
  email: string;
  homeCentreId: string | null;
  archivedAt: string | null;
}

export interface BadgeView {
  id: string;
  memberId: string;
  label: string;
  issuedAt: string;
  revokedAt: string | null;
  revokeReason: string | null;
}
