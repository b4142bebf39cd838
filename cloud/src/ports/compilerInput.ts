import type { WeeklySchedule } from "@passerelle/protocol";

/*
 * What the compiler needs to know about one centre, as plain data (instants are UTC epoch
 * milliseconds, like the store's columns). The store side fills it (AccessRulesSource); the
 * compiler re-checks what it relies on, so a too-wide query can never widen access.
 */

export interface CentreAccessInput {
  readonly centre: {
    readonly id: string;
    readonly name: string;
    readonly timeZone: string;
    readonly openingHours: WeeklySchedule;
    /** Local "YYYY-MM-DD" days the centre is closed. */
    readonly closedDates: readonly string[];
    /** A booking opens the doors this long before its start and after its end. */
    readonly bookingGraceMinutes: number;
    /** The centre is in lockdown: its doors open for staff only. */
    readonly lockdown?: boolean;
  };
  /** The network's credential salt (protocol credentialHash), shipped in every bundle. */
  readonly credentialSalt: string;
  readonly doors: readonly BundleDoorInput[];
  /** Badges of the members who may hold rights here, and badges revoked lately. */
  readonly badges: readonly BundleBadgeInput[];
  /** Confirmed bookings at this centre. */
  readonly bookings: readonly BundleBookingInput[];
  /** Passes of those members (network-wide ones included). */
  readonly passes: readonly BundlePassInput[];
  /** Managers of this centre (a coordinator role alone opens no door: docs/architecture.md "Who sees what"). */
  readonly staff: readonly BundleStaffInput[];
}

export type BundleResourceKind = "desk" | "zone" | "room";

export interface BundleDoorInput {
  readonly id: string;
  readonly name: string;
  readonly direction: "in" | "out" | "both";
  /** How people leave through it (the gateway counts anonymous exits by it); absent: exit-button. */
  readonly exitKind?: "exit-reader" | "exit-button" | "free-egress";
  /** Seconds open before "held open"; absent or null: the gateway's default. */
  readonly heldOpenSeconds?: number | null;
  /** Card + PIN door: absent or false, a card alone opens it. */
  readonly pinRequired?: boolean;
  /** What the door leads to; none means a shared door (entrance, corridor). */
  readonly resources: readonly { readonly id: string; readonly kind: BundleResourceKind }[];
}

export interface BundleBadgeInput {
  readonly credentialHash: string;
  readonly memberId: string;
  readonly revokedAt: number | null;
  /** An NTAG 424 DNA card enrolled for SUN: opens only with a verified SUN. Absent: false. */
  readonly secureCard?: boolean;
  /** Highest SUN read counter the gateways reported; null or absent: none yet. */
  readonly readCounter?: number | null;
  /** The card's PIN hash (protocol pinHash) for card + PIN doors; null or absent: no PIN. */
  readonly pinHash?: string | null;
}

export interface BundleBookingInput {
  readonly memberId: string;
  readonly resourceId: string;
  readonly startsAt: number;
  readonly endsAt: number;
}

export type BundlePassKind = "network" | "centre-membership" | "day" | "hour-credits";

export interface BundlePassInput {
  readonly memberId: string;
  readonly kind: BundlePassKind;
  /** Null: valid in every centre of the network. */
  readonly validCentreId: string | null;
  readonly validFrom: number;
  readonly validTo: number;
  readonly revokedAt?: number | null;
  /**
   * Hour credits only: minutes left (bought minus used, from accounting). Null or 0 opens
   * nothing (fail closed); accounting signals a change when the credits run out or are topped up.
   */
  readonly remainingMinutes?: number | null;
}

export interface BundleStaffInput {
  readonly memberId: string;
  /** Their badges open even past valid-until or with an untrusted gateway clock. */
  readonly offlineAccess: boolean;
}

/** Tunables of compilation (cloud config). */
export interface BundlePolicy {
  /** valid-until = now + this (default 7 days): how long a gateway may run on it offline. */
  readonly validityMs: number;
  /** A revoked badge stays in bundles this long, so the door says "revoked", not "unknown". */
  readonly revokedRetentionMs: number;
}

export const defaultBundlePolicy: BundlePolicy = {
  validityMs: 7 * 24 * 60 * 60 * 1000,
  revokedRetentionMs: 30 * 24 * 60 * 60 * 1000,
};
