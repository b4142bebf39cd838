import { type Static, Type } from "@sinclair/typebox";
import { limits } from "../limits.js";
import { AccessReason, Decision } from "./access.js";
import { Count, CredentialHash, EventId, Id, Text, UtcTime } from "./common.js";

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

export const EventType = Type.Union(eventTypes.map((t) => Type.Literal(t)));

export const GatewayEvent = Type.Object(
  {
    id: EventId,
    /** Per-gateway sequence number, strictly increasing, never reused (the cloud's dedupe key). */
    seq: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
    time: UtcTime,
    type: EventType,
    centre: Id,
    door: Type.Optional(Id),
    direction: Type.Optional(Type.Union([Type.Literal("in"), Type.Literal("out")])),
    /** Keyed hash of the badge; a raw UID never leaves the reader adapter. */
    credential: Type.Optional(CredentialHash),
    member: Type.Optional(Id),
    decision: Type.Optional(Decision),
    reason: Type.Optional(AccessReason),
    bundleVersion: Type.Optional(Count),
    detail: Type.Optional(Text),
  },
  { additionalProperties: false },
);

export const EventBatch = Type.Object(
  {
    events: Type.Array(GatewayEvent, { minItems: 1, maxItems: limits.eventsPerBatch }),
  },
  { additionalProperties: false },
);

export type EventType = Static<typeof EventType>;
export type GatewayEvent = Static<typeof GatewayEvent>;
export type EventBatch = Static<typeof EventBatch>;
