import { type Static, Type } from "@sinclair/typebox";
import { EventId, GatewayId, Id, Text, UtcTime } from "./common.js";

/** A signed, expiring order from the cloud to one gateway. */
export const Command = Type.Object(
  {
    type: Type.Literal("command"),
    /** Unique; the gateway refuses an id it has already executed (replay). */
    id: EventId,
    gateway: GatewayId,
    action: Type.Union([Type.Literal("unlock"), Type.Literal("resync")]),
    door: Type.Optional(Id),
    /** How long a remote unlock keeps the door open. */
    durationMs: Type.Optional(Type.Integer({ minimum: 1000, maximum: 60_000 })),
    issuedBy: Type.Optional(Text),
    issuedAt: UtcTime,
    expiresAt: UtcTime,
  },
  { additionalProperties: false },
);

export type Command = Static<typeof Command>;
