import { Id } from "@passerelle/protocol";
import { type Static, Type } from "@sinclair/typebox";
import {
  type Door,
  doorDirections,
  exitKinds,
  heldOpenSecondsRange,
} from "../../../domain/doors.js";
import { UtcInstant } from "../views/instant.js";
import { StringEnum } from "../views/stringEnum.js";

export const DoorDirection = StringEnum(doorDirections, "which way its reader lets people through");

export const ExitKind = StringEnum(
  exitKinds,
  "how people leave: exit-reader (a badge to leave), exit-button (request-to-exit button and door contact; the default), free-egress (lever handle, contact only)",
);

export const HeldOpenSeconds = Type.Union(
  [
    Type.Integer({ minimum: heldOpenSecondsRange.min, maximum: heldOpenSecondsRange.max }),
    Type.Null(),
  ],
  { description: "seconds open before the held-open alarm; null: the gateway's default" },
);

export const DoorView = Type.Object({
  id: Type.String(),
  centreId: Type.String(),
  gatewayId: Type.Union([Type.String(), Type.Null()]),
  name: Type.String(),
  direction: DoorDirection,
  exitKind: ExitKind,
  heldOpenSeconds: Type.Union([Type.Integer(), Type.Null()]),
  pinRequired: Type.Boolean({
    description: "card + PIN: a card opens only with its PIN typed on the keypad reader",
  }),
  resourceIds: Type.Array(Type.String()),
  createdAt: UtcInstant,
  updatedAt: UtcInstant,
});
export type DoorView = Static<typeof DoorView>;

export const DoorParams = Type.Object({ doorId: Id });

export function doorView(door: Door) {
  return {
    id: door.id,
    centreId: door.centreId,
    gatewayId: door.gatewayId,
    name: door.name,
    direction: door.direction,
    exitKind: door.exitKind,
    heldOpenSeconds: door.heldOpenSeconds,
    pinRequired: door.pinRequired,
    resourceIds: [...door.resourceIds],
    createdAt: door.createdAt.toISOString(),
    updatedAt: door.updatedAt.toISOString(),
  };
}
