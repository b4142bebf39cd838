/*
 * One day of the network, Monday 30 November 2026 (UTC), written in the shape the cloud writes
 * (docs/dashboards.md, "Measurements"). Small enough that every figure the tests check can be
 * computed by hand; the comments give the arithmetic.
 */

export const DAY_START = Date.parse("2026-11-30T00:00:00Z");
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
export const DAY_END = DAY_START + 24 * HOUR;
/** c1 is in Paris: its local midnight is 23:00 UTC the day before. */
export const C1_MIDNIGHT = DAY_START - HOUR;
/** The range the dashboards are queried with: c1's whole local day plus c2's UTC day. */
export const RANGE = { fromMs: C1_MIDNIGHT, toMs: DAY_END - 1 };

function occupancyLines(): string[] {
  const lines: string[] = [];
  // A point every 10 minutes (144 a day) per centre; c1 holds 5 people 08:00-18:00 (60
  // points), c2 holds 10 people 09:00-12:00 (18 points).
  for (let t = DAY_START; t < DAY_END; t += 10 * MINUTE) {
    const hour = (t - DAY_START) / HOUR;
    const c1 = hour >= 8 && hour < 18 ? 5 : 0;
    const c2 = hour >= 9 && hour < 12 ? 10 : 0;
    lines.push(`occupancy,centre=c1,zone=all headcount=${c1}i,attributed=${c1}i,capacity=10i ${t}`);
    lines.push(`occupancy,centre=c2,zone=all headcount=${c2}i,attributed=${c2}i,capacity=20i ${t}`);
  }
  // A zone of c1: must never be counted in the centre's totals.
  lines.push(
    `occupancy,centre=c1,zone=open-space headcount=50i,attributed=50i,capacity=1i ${DAY_START + 10 * HOUR}`,
  );
  // The same weekday one week earlier: c1 held 4 people 09:00-10:00.
  for (
    let t = DAY_START - 7 * 24 * HOUR + 9 * HOUR;
    t < DAY_START - 7 * 24 * HOUR + 10 * HOUR;
    t += 10 * MINUTE
  ) {
    lines.push(`occupancy,centre=c1,zone=all headcount=4i,attributed=4i,capacity=10i ${t}`);
  }
  return lines;
}

function doorEventLines(): string[] {
  const lines: string[] = [];
  const at = (hour: number, second: number) => DAY_START + hour * HOUR + second * 1000;
  // Ten granted badges at c1's d1 with card-to-relay latencies 100, 200 ... 1000 ms.
  for (let i = 1; i <= 10; i += 1) {
    lines.push(
      `door_event,centre=c1,door=d1,type=access,decision=granted,reason=none count=1i,latency_ms=${i * 100} ${at(9, i)}`,
    );
  }
  // Three denied badges: two unknown credentials, one outside opening hours.
  lines.push(
    `door_event,centre=c1,door=d1,type=access,decision=denied,reason=unknown-credential count=1i ${at(9, 30)}`,
  );
  lines.push(
    `door_event,centre=c2,door=d3,type=access,decision=denied,reason=unknown-credential count=1i ${at(10, 0)}`,
  );
  lines.push(
    `door_event,centre=c1,door=d1,type=access,decision=denied,reason=outside-hours count=1i ${at(20, 0)}`,
  );
  lines.push(
    `door_event,centre=c1,door=d1,type=door.exit,decision=none,reason=none count=1i ${at(17, 0)}`,
  );
  lines.push(
    `door_event,centre=c1,door=d1,type=door.held-open,decision=none,reason=none count=1i ${at(10, 0)}`,
  );
  lines.push(
    `door_event,centre=c2,door=d3,type=door.forced-open,decision=none,reason=none count=1i ${at(11, 0)}`,
  );
  return lines;
}

function gatewayHealthLines(): string[] {
  const lines: string[] = [];
  // g1 (c1) healthy all day; g2 (c2) goes offline at 12:00 with 7 events left in its outbox,
  // and its clock stops being trusted at the same time.
  for (let t = DAY_START; t < DAY_END; t += 10 * MINUTE) {
    const afternoon = t >= DAY_START + 12 * HOUR;
    lines.push(
      `gateway_health,gateway=g1,centre=c1 online=1i,outbox_depth=0i,quarantined=0i,bundle_version=42i,bundle_age_s=60,clock_trusted=1i,uptime_s=${(t - DAY_START) / 1000},reconnects=0i ${t}`,
    );
    lines.push(
      `gateway_health,gateway=g2,centre=c2 online=${afternoon ? 0 : 1}i,outbox_depth=${afternoon ? 7 : 0}i,quarantined=0i,bundle_version=41i,bundle_age_s=120,clock_trusted=${afternoon ? 0 : 1}i,uptime_s=1,reconnects=2i ${t}`,
    );
  }
  return lines;
}

function otherLines(): string[] {
  return [
    // Bookings of c1: 09:00 four booked, three used, one no-show; 14:00 two booked, both used.
    `bookings,centre=c1 booked=4i,checked_in=3i,no_shows=1i ${DAY_START + 9 * HOUR}`,
    `bookings,centre=c1 booked=2i,checked_in=2i,no_shows=0i ${DAY_START + 14 * HOUR}`,
    `bookings,centre=c2 booked=1i,checked_in=0i,no_shows=1i ${DAY_START + 10 * HOUR}`,
    // Presence per local day: c1 7 members, 1800 minutes (30 h); c2 4 members, 720 minutes.
    `presence_day,centre=c1 users=7i,sessions=9i,minutes=1800 ${C1_MIDNIGHT}`,
    `presence_day,centre=c2 users=4i,sessions=4i,minutes=720 ${DAY_START}`,
    // c1's d1 held open 10:00-10:05; c2's d3 forced open at 11:00 and never cleared.
    `alarm,centre=c1,door=d1,kind=held-open active=1i ${DAY_START + 10 * HOUR}`,
    `alarm,centre=c1,door=d1,kind=held-open active=0i ${DAY_START + 10 * HOUR + 5 * MINUTE}`,
    `alarm,centre=c2,door=d3,kind=forced-open active=1i ${DAY_START + 11 * HOUR}`,
  ];
}

/**
 * occupancy_weekday as the cloud writes it for c1 at 12:30 that day (the console's week view):
 * today's hourly peak up to 12 h (5 from 08:00), nothing after; the typical Monday is the mean
 * of the four Mondays before, of which only the last had anyone (4 people 09:00-10:00) → 1 at 9 h.
 */
function weekdayLines(): string[] {
  return Array.from({ length: 24 }, (_, hour) => {
    const today = hour > 12 ? "" : `today=${hour >= 8 ? 5 : 0}i,`;
    return `occupancy_weekday,centre=c1 ${today}typical=${hour === 9 ? 1 : 0} ${DAY_START + hour * HOUR}`;
  });
}

export function simulatedDay(): string[] {
  return [
    ...occupancyLines(),
    ...doorEventLines(),
    ...gatewayHealthLines(),
    ...otherLines(),
    ...weekdayLines(),
  ];
}
