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

export interface CentreOccupancyView {
  centreId: string;
  name: string;
  capacity: number;
  inside: number;
  zones: { zone: string; inside: number }[];
  time: string | null;
  doors: DoorLiveView[];
  people: { memberId: string; name: string | null; since: string }[];
}

export interface CentreCountView {
  centreId: string;
  name: string;
  capacity: number;
  inside: number;
  alarms: number;
  time: string | null;
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
