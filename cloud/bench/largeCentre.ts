import { credentialHash } from "@passerelle/protocol";
import type { BundlePassInput, CentreAccessInput } from "../src/ports/compilerInput.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const salt = "YmVuY2gtc2FsdC1iZW5jaC1zYWx0LWJlbmNoLXNhbHQ";

/**
 * A large centre's access input: `members` members with one badge each; 60 % hold a network pass,
 * 15 % a centre membership, 10 % a day pass this week, 5 % hour credits; 30 % have two bookings
 * this week; 1 % of badges were revoked last week; 5 managers. Deterministic.
 */
export function largeCentreInput(members: number, now: number): CentreAccessInput {
  const badges: Array<CentreAccessInput["badges"][number]> = [];
  const passes: BundlePassInput[] = [];
  const bookings: Array<CentreAccessInput["bookings"][number]> = [];
  for (let i = 0; i < members; i += 1) {
    const memberId = `m-${i}`;
    badges.push({
      credentialHash: credentialHash(i.toString(16).padStart(8, "0"), salt),
      memberId,
      revokedAt: i % 100 === 0 ? now - 3 * DAY : null,
    });
    const roll = i % 20;
    if (roll < 12) {
      passes.push({
        memberId,
        kind: "network",
        validCentreId: null,
        validFrom: now - 30 * DAY,
        validTo: now + 335 * DAY,
      });
    } else if (roll < 15) {
      passes.push({
        memberId,
        kind: "centre-membership",
        validCentreId: "big",
        validFrom: now - 30 * DAY,
        validTo: now + 60 * DAY,
      });
    } else if (roll < 17) {
      const day = now + (i % 5) * DAY;
      passes.push({
        memberId,
        kind: "day",
        validCentreId: null,
        validFrom: day - (day % DAY) - HOUR,
        validTo: day - (day % DAY) + 23 * HOUR,
      });
    } else if (roll < 18) {
      passes.push({
        memberId,
        kind: "hour-credits",
        validCentreId: "big",
        validFrom: now - 30 * DAY,
        validTo: now + 90 * DAY,
        remainingMinutes: 600,
      });
    }
    if (i % 10 < 3) {
      for (const d of [1, 3]) {
        const start = now + d * DAY + (i % 8) * HOUR;
        bookings.push({
          memberId,
          resourceId: i % 7 === 0 ? "room-1" : `desk-${i % 200}`,
          startsAt: start,
          endsAt: start + 2 * HOUR,
        });
      }
    }
  }
  return {
    centre: {
      id: "big",
      name: "A large centre",
      timeZone: "Europe/Brussels",
      openingHours: [{ days: [1, 2, 3, 4, 5, 6], open: "07:00", close: "22:00" }],
      closedDates: [],
      bookingGraceMinutes: 15,
    },
    credentialSalt: salt,
    doors: [
      { id: "door-main", name: "Main", direction: "both", resources: [] },
      {
        id: "door-open",
        name: "Open space",
        direction: "in",
        resources: [{ id: "open", kind: "zone" }],
      },
      {
        id: "door-room-1",
        name: "Room 1",
        direction: "both",
        resources: [{ id: "room-1", kind: "room" }],
      },
    ],
    badges,
    bookings,
    passes,
    staff: Array.from({ length: 5 }, (_, k) => ({
      memberId: `m-${k * 7 + 1}`,
      offlineAccess: k === 0,
    })),
  };
}
