import { type Static, Type } from "@sinclair/typebox";
import { limits } from "../limits.js";
import { eventTypes } from "../vocabulary.js";
import { AccessReason, Decision } from "./access.js";
import { Count, CredentialHash, EventId, Id, Text, UtcTime } from "./common.js";

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
    /**
     * The SUN read counter of a verified NTAG 424 DNA message this gateway accepted as fresh:
     * the cloud keeps the highest per card and sends it to every centre in the next bundle.
     */
    readCounter: Type.Optional(Count),
    /**
     * Granted access only: ms from the card read to the relay commanded, as the gateway timed it
     * (the door's own reaction is not in it). Added in v1 as optional: a cloud must accept it
     * before gateways send it (upgrade the cloud first).
     */
    latencyMs: Type.Optional(Type.Number({ minimum: 0, maximum: 60_000 })),
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
