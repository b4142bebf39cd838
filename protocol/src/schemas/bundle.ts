import { type Static, Type } from "@sinclair/typebox";
import { limits } from "../limits.js";
import { Count, CredentialHash, Id, LocalTime, PinHash, Text, UtcTime, Version } from "./common.js";

/** One opening interval on given ISO weekdays (1 = Monday … 7 = Sunday), in local time. */
export const WeeklyInterval = Type.Object(
  {
    days: Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), { minItems: 1, maxItems: 7 }),
    open: LocalTime,
    close: LocalTime,
  },
  { additionalProperties: false },
);
export const WeeklySchedule = Type.Array(WeeklyInterval, { maxItems: 32 });

export const CentreRules = Type.Object(
  {
    id: Id,
    name: Text,
    /** IANA zone: opening hours and closing time are local to the centre. */
    timeZone: Type.String({ pattern: "^[A-Za-z_]+(/[A-Za-z0-9_+-]+){0,2}$", maxLength: 64 }),
    openingHours: WeeklySchedule,
    /** Whole local days the centre is closed (holidays), "YYYY-MM-DD". */
    closedDates: Type.Array(Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}$" }), { maxItems: 366 }),
    /** "UID-only cards refused here": every door of the centre wants a verified SUN card. */
    uidOnlyCardsRefused: Type.Optional(Type.Boolean()),
    /**
     * Lockdown (a manager's order from the console): every door of the centre refuses everyone
     * but staff until it is lifted. In the signed bundle, so the gateway keeps it offline and
     * across restarts once received.
     */
    lockdown: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

/**
 * How people leave through a door, which decides what the gateway counts as an exit:
 * - "exit-reader": a badge to leave (an `access` event with direction "out"; attributable);
 * - "exit-button": request-to-exit button and door contact: one completed exit cycle (button,
 *   door opened, door closed, no entry grant in the cycle) is one anonymous `door.exit`;
 * - "free-egress": lever handle, contact only: a door cycle (opened, closed) with no grant is
 *   one anonymous `door.exit`.
 * A door without `exitKind` is read as "exit-button" (the doors installed so far have one).
 */
export const exitKinds = ["exit-reader", "exit-button", "free-egress"] as const;
export const ExitKind = Type.Union(exitKinds.map((kind) => Type.Literal(kind)));
export const defaultExitKind = "exit-button" satisfies (typeof exitKinds)[number];

export const Door = Type.Object(
  {
    id: Id,
    name: Text,
    direction: Type.Union([Type.Literal("in"), Type.Literal("out"), Type.Literal("both")]),
    /** Zones (open spaces, rooms) this door leads to, for occupancy per zone. */
    zones: Type.Array(Id, { maxItems: limits.zonesPerCentre }),
    /** How people leave through this door; absent means "exit-button". */
    exitKind: Type.Optional(ExitKind),
    /** How long the door may stay open before "held open" is raised; absent: the gateway's default. */
    heldOpenMs: Type.Optional(Type.Integer({ minimum: 1000, maximum: 3_600_000 })),
    /**
     * Card + PIN (staff-only doors with a keypad reader): a card opens only with its PIN typed
     * on the reader's keypad, checked against the credential's `pinHash`.
     */
    pinRequired: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

/** An absolute interval during which a credential opens its doors (a booking plus its grace). */
export const AccessWindow = Type.Object(
  {
    from: UtcTime,
    to: UtcTime,
    source: Type.Union([Type.Literal("booking"), Type.Literal("pass")]),
  },
  { additionalProperties: false },
);

/** A pass valid between two dates, at the centre's opening hours or at its own weekly hours. */
export const PassRule = Type.Object(
  {
    from: UtcTime,
    to: UtcTime,
    hours: Type.Union([Type.Literal("opening-hours"), WeeklySchedule]),
    /** The pass opens only for a verified SUN card (NTAG 424 DNA), never for a bare UID. */
    secureCardOnly: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

/**
 * One credential as the cloud compiles it and `openBundle` gives it back. On the wire the
 * credentials travel as columns instead (schemas/compactBundle.ts): same content, fewer objects.
 */
export const BundleCredential = Type.Object(
  {
    hash: CredentialHash,
    member: Id,
    status: Type.Union([Type.Literal("active"), Type.Literal("revoked")]),
    doors: Type.Array(Id, { maxItems: limits.doorsPerBundle }),
    windows: Type.Array(AccessWindow, { maxItems: limits.windowsPerCredential }),
    passes: Type.Array(PassRule, { maxItems: limits.passesPerCredential }),
    /** Staff open their doors at any hour, also when the centre is closed. */
    staff: Type.Boolean(),
    /** Opens even past valid-until or with an untrusted clock (maintenance, managers on call). */
    offlineStaff: Type.Boolean(),
    /**
     * The credential is an NTAG 424 DNA card enrolled for SUN: it opens only with a verified
     * SUN message, so a UID replayed by an emulator is refused (`credential.uid-only`).
     */
    secureCard: Type.Optional(Type.Boolean()),
    /**
     * The highest SUN read counter the network has seen for this card (from the gateways'
     * events): a gateway refuses a SUN whose counter is not above it, so a message used at one
     * centre is refused at every other once their next bundle arrives.
     */
    readCounter: Type.Optional(Count),
    /** The card's PIN for card + PIN doors, as `pinHash` (pinHash.ts) gives it; never the PIN. */
    pinHash: Type.Optional(PinHash),
  },
  { additionalProperties: false },
);

const bundleHeader = {
  centre: Id,
  version: Version,
  issuedAt: UtcTime,
  validUntil: UtcTime,
};

/** A full bundle with one object per credential; `signFullBundle` encodes it to the wire form. */
export const FullBundle = Type.Object(
  {
    type: Type.Literal("bundle.full"),
    ...bundleHeader,
    /** Salt of the keyed credential hash (credentialHash.ts), base64url. */
    credentialSalt: Type.String({ pattern: "^[A-Za-z0-9_-]{22,86}$" }),
    rules: CentreRules,
    doors: Type.Array(Door, { maxItems: limits.doorsPerBundle }),
    credentials: Type.Array(BundleCredential, { maxItems: limits.credentialsPerBundle }),
  },
  { additionalProperties: false },
);

export const DeltaBundle = Type.Object(
  {
    type: Type.Literal("bundle.delta"),
    ...bundleHeader,
    /** The version this delta applies to; `version` must be `fromVersion + 1`. */
    fromVersion: Version,
    rules: Type.Optional(CentreRules),
    doors: Type.Optional(Type.Array(Door, { maxItems: limits.doorsPerBundle })),
    upsert: Type.Array(BundleCredential, { maxItems: limits.changesPerDelta }),
    remove: Type.Array(CredentialHash, { maxItems: limits.changesPerDelta }),
  },
  { additionalProperties: false },
);

export type WeeklyInterval = Static<typeof WeeklyInterval>;
export type WeeklySchedule = Static<typeof WeeklySchedule>;
export type CentreRules = Static<typeof CentreRules>;
export type Door = Static<typeof Door>;
export type ExitKind = Static<typeof ExitKind>;
export type AccessWindow = Static<typeof AccessWindow>;
export type PassRule = Static<typeof PassRule>;
export type BundleCredential = Static<typeof BundleCredential>;
export type FullBundle = Static<typeof FullBundle>;
export type DeltaBundle = Static<typeof DeltaBundle>;
