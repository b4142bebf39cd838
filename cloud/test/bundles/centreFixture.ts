import { credentialHash } from "@passerelle/protocol";
import type { CentreAccessInput } from "../../src/ports/compilerInput.js";

export const salt = "c2FsdHNhbHRzYWx0c2FsdHNhbHRzYWx0c2FsdHNhbHQ";
export const hashOf = (uid: string) => credentialHash(uid, salt);
export const t = (iso: string) => Date.parse(iso);

/**
 * Redu, Europe/Brussels (UTC+1 in early March 2026): open Monday–Friday 08:00–18:00 and Saturday
 * 09:00–13:00, closed on Wednesday 4 March. Compiled "now" is Monday 2 March, 08:00 local.
 */
export const now = t("2026-03-02T07:00:00Z");

export function reduInput(overrides: Partial<CentreAccessInput> = {}): CentreAccessInput {
  return {
    centre: {
      id: "redu",
      name: "Redu — tiers-lieu",
      timeZone: "Europe/Brussels",
      openingHours: [
        { days: [1, 2, 3, 4, 5], open: "08:00", close: "18:00" },
        { days: [6], open: "09:00", close: "13:00" },
      ],
      closedDates: ["2025-12-25", "2026-03-04"],
      bookingGraceMinutes: 15,
    },
    credentialSalt: salt,
    doors: [
      {
        id: "door-room-a",
        name: "Room A",
        direction: "both",
        resources: [{ id: "room-a", kind: "room" }],
      },
      { id: "door-main", name: "Main entrance", direction: "both", resources: [] },
      {
        id: "door-open",
        name: "Open space",
        direction: "in",
        resources: [
          { id: "open-space", kind: "zone" },
          { id: "desk-1", kind: "desk" },
        ],
      },
    ],
    badges: [
      { credentialHash: hashOf("0401"), memberId: "m-booker", revokedAt: null },
      {
        credentialHash: hashOf("0401"),
        memberId: "m-booker",
        revokedAt: t("2026-02-01T00:00:00Z"),
      },
      { credentialHash: hashOf("0402"), memberId: "m-network", revokedAt: null },
      { credentialHash: hashOf("0403"), memberId: "m-day", revokedAt: null },
      { credentialHash: hashOf("0404"), memberId: "m-credits", revokedAt: null },
      { credentialHash: hashOf("0405"), memberId: "m-no-credits", revokedAt: null },
      { credentialHash: hashOf("0406"), memberId: "m-namur", revokedAt: null },
      { credentialHash: hashOf("0407"), memberId: "m-revoked-pass", revokedAt: null },
      { credentialHash: hashOf("0408"), memberId: "m-manager", revokedAt: null },
      {
        credentialHash: hashOf("0409"),
        memberId: "m-network",
        revokedAt: t("2026-02-20T10:00:00Z"),
      },
      {
        credentialHash: hashOf("040A"),
        memberId: "m-network",
        revokedAt: t("2026-01-01T10:00:00Z"),
      },
      { credentialHash: hashOf("040B"), memberId: "m-nothing", revokedAt: null },
    ],
    bookings: [
      {
        memberId: "m-booker",
        resourceId: "room-a",
        startsAt: t("2026-03-03T09:00:00Z"),
        endsAt: t("2026-03-03T10:00:00Z"),
      },
      {
        memberId: "m-booker",
        resourceId: "desk-1",
        startsAt: t("2026-03-03T10:00:00Z"),
        endsAt: t("2026-03-03T12:00:00Z"),
      },
      {
        memberId: "m-booker",
        resourceId: "desk-1",
        startsAt: t("2026-03-06T13:00:00Z"),
        endsAt: t("2026-03-06T14:00:00Z"),
      },
      // ended yesterday, and beyond valid-until: both left out
      {
        memberId: "m-booker",
        resourceId: "desk-1",
        startsAt: t("2026-03-01T10:00:00Z"),
        endsAt: t("2026-03-01T11:00:00Z"),
      },
      {
        memberId: "m-booker",
        resourceId: "room-a",
        startsAt: t("2026-03-20T10:00:00Z"),
        endsAt: t("2026-03-20T11:00:00Z"),
      },
    ],
    passes: [
      {
        memberId: "m-network",
        kind: "network",
        validCentreId: null,
        validFrom: t("2026-01-01T00:00:00Z"),
        validTo: t("2027-01-01T00:00:00Z"),
      },
      // Thursday 5 March, local midnight to midnight; and closed Wednesday 4 March
      {
        memberId: "m-day",
        kind: "day",
        validCentreId: null,
        validFrom: t("2026-03-04T23:00:00Z"),
        validTo: t("2026-03-05T23:00:00Z"),
      },
      {
        memberId: "m-day",
        kind: "day",
        validCentreId: "redu",
        validFrom: t("2026-03-03T23:00:00Z"),
        validTo: t("2026-03-04T23:00:00Z"),
      },
      {
        memberId: "m-credits",
        kind: "hour-credits",
        validCentreId: "redu",
        validFrom: t("2026-02-01T00:00:00Z"),
        validTo: t("2026-08-01T00:00:00Z"),
        remainingMinutes: 120,
      },
      {
        memberId: "m-no-credits",
        kind: "hour-credits",
        validCentreId: null,
        validFrom: t("2026-02-01T00:00:00Z"),
        validTo: t("2026-08-01T00:00:00Z"),
        remainingMinutes: 0,
      },
      {
        memberId: "m-namur",
        kind: "centre-membership",
        validCentreId: "namur",
        validFrom: t("2026-01-01T00:00:00Z"),
        validTo: t("2027-01-01T00:00:00Z"),
      },
      {
        memberId: "m-revoked-pass",
        kind: "network",
        validCentreId: null,
        validFrom: t("2026-01-01T00:00:00Z"),
        validTo: t("2027-01-01T00:00:00Z"),
        revokedAt: t("2026-02-15T00:00:00Z"),
      },
    ],
    staff: [{ memberId: "m-manager", offlineAccess: true }],
    ...overrides,
  };
}
