import { Id } from "@passerelle/protocol";
import { type Static, Type } from "@sinclair/typebox";
import { type Alarm, alarmKinds } from "../../../domain/alarms.js";
import { isoOrNull, UtcInstant } from "../views/instant.js";
import { StringEnum } from "../views/stringEnum.js";

export const AlarmKind = StringEnum(
  alarmKinds,
  "held-open (door open too long), forced-open (opened while locked, no request), gateway-offline, clock-untrusted (the gateway's clock went back), bundle-rejected (the gateway refused a signed bundle)",
);

export const AlarmView = Type.Object({
  id: Type.String(),
  centreId: Type.String(),
  kind: AlarmKind,
  doorId: Type.Union([Type.String(), Type.Null()]),
  gatewayId: Type.Union([Type.String(), Type.Null()]),
  detail: Type.Union([Type.String(), Type.Null()]),
  raisedAt: UtcInstant,
  /** When the condition ended (door closed, gateway back); null while it lasts. */
  clearedAt: Type.Union([UtcInstant, Type.Null()]),
  acknowledgedAt: Type.Union([UtcInstant, Type.Null()]),
  acknowledgedBy: Type.Union([Type.String(), Type.Null()]),
  note: Type.Union([Type.String(), Type.Null()]),
});
export type AlarmView = Static<typeof AlarmView>;

export const AlarmParams = Type.Object({ alarmId: Id });

export function alarmView(alarm: Alarm): AlarmView {
  return {
    id: alarm.id,
    centreId: alarm.centreId,
    kind: alarm.kind,
    doorId: alarm.doorId,
    gatewayId: alarm.gatewayId,
    detail: alarm.detail,
    raisedAt: alarm.raisedAt.toISOString(),
    clearedAt: isoOrNull(alarm.clearedAt),
    acknowledgedAt: isoOrNull(alarm.acknowledgedAt),
    acknowledgedBy: alarm.acknowledgedBy,
    note: alarm.note,
  };
}
