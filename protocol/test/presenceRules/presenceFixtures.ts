import type { CentreHours, PresenceEvent } from "../../src/index.js";

export const hour = 3_600_000;
export const minute = 60_000;
export const at = (iso: string) => Date.parse(iso);

// Monday 23 November 2026 in Brussels is UTC+1: 09:00Z is 10:00 local, 17:00Z is 18:00 closing.
export const weekdays = [{ days: [1, 2, 3, 4, 5], open: "08:00", close: "18:00" }];
export const redu: CentreHours = {
  id: "redu",
  timeZone: "Europe/Brussels",
  openingHours: weekdays,
  closedDates: [],
};
export const libin: CentreHours = { ...redu, id: "libin" };
/** Open around the clock: no closing time, only the inactivity limit decides. */
export const aroundTheClock: CentreHours = {
  ...redu,
  id: "tellin",
  openingHours: [{ days: [1, 2, 3, 4, 5, 6, 7], open: "00:00", close: "00:00" }],
};

/** A granted entry badge at Redu's main door unless `over` says otherwise. */
export const badge = (
  time: string,
  member: string,
  over: Partial<PresenceEvent> = {},
): PresenceEvent => ({
  id: `ev-${time}-${member}`,
  time,
  type: "access",
  centre: "redu",
  door: "redu-main",
  direction: "in",
  member,
  decision: "granted",
  ...over,
});

/** An exit badge (exit reader). */
export const exitBadge = (time: string, member: string, over: Partial<PresenceEvent> = {}) =>
  badge(time, member, { direction: "out", ...over });

/** One anonymous exit counted by the gateway (exit-button cycle or free-egress door cycle). */
export const doorExit = (time: string, centre = "redu"): PresenceEvent => ({
  id: `exit-${time}`,
  time,
  type: "door.exit",
  centre,
  door: `${centre}-main`,
  direction: "out",
});
