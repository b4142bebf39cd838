import { type Static, Type } from "@sinclair/typebox";
import { limits } from "../limits.js";
import { Count, Id, Text, UtcTime, Version } from "./common.js";

const ReaderState = Type.Object(
  {
    id: Id,
    state: Type.Union([
      Type.Literal("connected"),
      Type.Literal("disconnected"),
      Type.Literal("error"),
    ]),
    error: Type.Optional(Text),
  },
  { additionalProperties: false },
);

const DoorState = Type.Object(
  {
    id: Id,
    lock: Type.Union([Type.Literal("locked"), Type.Literal("unlocked")]),
    contact: Type.Union([Type.Literal("open"), Type.Literal("closed"), Type.Literal("unknown")]),
    alarm: Type.Union([Type.Literal("held-open"), Type.Literal("forced-open"), Type.Null()]),
  },
  { additionalProperties: false },
);

/** Retained `status` of a running gateway. */
export const OnlineStatus = Type.Object(
  {
    state: Type.Literal("online"),
    time: UtcTime,
    software: Text,
    centre: Id,
    bundleVersion: Type.Union([Version, Type.Null()]),
    bundleValidUntil: Type.Union([UtcTime, Type.Null()]),
    /** When the cloud issued the bundle in force (its age on a dashboard); optional, added in v1. */
    bundleIssuedAt: Type.Optional(Type.Union([UtcTime, Type.Null()])),
    clock: Type.Object(
      { trusted: Type.Boolean(), lastTrustedTime: Type.Union([UtcTime, Type.Null()]) },
      { additionalProperties: false },
    ),
    outbox: Type.Object(
      {
        depth: Count,
        capacity: Count,
        full: Type.Boolean(),
        droppedSamples: Count,
        /** Events that failed their schema when recorded, kept aside on the gateway's disk. */
        quarantined: Type.Optional(Count),
      },
      { additionalProperties: false },
    ),
    readers: Type.Array(ReaderState, { maxItems: 16 }),
    doors: Type.Array(DoorState, { maxItems: limits.doorsPerBundle }),
  },
  { additionalProperties: false },
);

/** The last will the broker publishes when a gateway vanishes ([MQTT-3.1.2-8]). */
export const OfflineStatus = Type.Object(
  { state: Type.Literal("offline") },
  { additionalProperties: false },
);

export const GatewayStatus = Type.Union([OnlineStatus, OfflineStatus]);

/**
 * The gateway's live count. `inside` is the headcount (what the board shows); `headcount` says
 * the same explicitly (absent from gateways older than exit counting, whose `inside` was the
 * attributed count); `attributed` counts the members with an open session, `members` names them
 * (up to `membersPerOccupancySample`), and `zones` counts attributed members per zone.
 */
export const OccupancySample = Type.Object(
  {
    time: UtcTime,
    centre: Id,
    inside: Count,
    /** Entries − exits counted at the doors, never below 0. */
    headcount: Type.Optional(Count),
    /** Members with an open presence session at the centre. */
    attributed: Type.Optional(Count),
    /** Their member ids, sorted; cut to the limit (then `attributed` is larger than its length). */
    members: Type.Optional(Type.Array(Id, { maxItems: limits.membersPerOccupancySample })),
    zones: Type.Array(Type.Object({ zone: Id, inside: Count }, { additionalProperties: false }), {
      maxItems: limits.zonesPerCentre,
    }),
  },
  { additionalProperties: false },
);

export const BundleRequest = Type.Object(
  {
    heldVersion: Type.Union([Version, Type.Null()]),
    reason: Type.Union([
      Type.Literal("start"),
      Type.Literal("gap"),
      Type.Literal("rejected"),
      Type.Literal("expired"),
      Type.Literal("resync"),
    ]),
  },
  { additionalProperties: false },
);

/** Application ack: every event with seq ≤ upToSeq is durably stored by the cloud. */
export const Ack = Type.Object({ upToSeq: Count }, { additionalProperties: false });

export type OnlineStatus = Static<typeof OnlineStatus>;
export type OfflineStatus = Static<typeof OfflineStatus>;
export type GatewayStatus = Static<typeof GatewayStatus>;
export type OccupancySample = Static<typeof OccupancySample>;
export type BundleRequest = Static<typeof BundleRequest>;
export type Ack = Static<typeof Ack>;
