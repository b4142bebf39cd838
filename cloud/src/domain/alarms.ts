import { uuidv7 } from "@passerelle/protocol";
import type { AlarmKind, AlarmsTable } from "../store/database.js";
import { commitChange } from "./commitChange.js";
import { conflict, notFound } from "./domainError.js";
import type { Actor, ServiceDeps } from "./serviceDeps.js";
import { text } from "./validation.js";

export type { AlarmKind };

export const alarmKinds: readonly AlarmKind[] = [
  "held-open",
  "forced-open",
  "gateway-offline",
  "clock-untrusted",
  "bundle-rejected",
];

/**
 * Something at a door or a gateway that staff should look at. Raised from what the gateways
 * report (features/alarmsFeature.ts), cleared when the condition ends (door closed, gateway
 * back, clock trusted again; a rejected bundle never clears by itself), and acknowledged by a
 * manager or the coordinator with a note. Kept: the list is the centre's alarm history.
 */
export interface Alarm {
  readonly id: string;
  readonly centreId: string;
  readonly kind: AlarmKind;
  readonly doorId: string | null;
  readonly gatewayId: string | null;
  readonly detail: string | null;
  readonly raisedAt: Date;
  readonly clearedAt: Date | null;
  readonly acknowledgedAt: Date | null;
  readonly acknowledgedBy: string | null;
  readonly note: string | null;
}

const date = (value: number | null) => (value === null ? null : new Date(Number(value)));

function alarmFromRow(row: AlarmsTable): Alarm {
  return {
    id: row.id,
    centreId: row.centre_id,
    kind: row.kind,
    doorId: row.door_id,
    gatewayId: row.gateway_id,
    detail: row.detail,
    raisedAt: new Date(Number(row.raised_at)),
    clearedAt: date(row.cleared_at),
    acknowledgedAt: date(row.acknowledged_at),
    acknowledgedBy: row.acknowledged_by,
    note: row.note,
  };
}

/** What the alarm is about: a door, or a gateway for its own health. */
export interface AlarmSubject {
  readonly centreId: string;
  readonly kind: AlarmKind;
  readonly doorId?: string | null;
  readonly gatewayId?: string | null;
}

/**
 * Raises an alarm unless the same one (kind, door, gateway) is still active: a retained status
 * replayed at a cloud restart must not raise a second "gateway offline". Returns the new alarm,
 * or undefined when one was already active.
 */
export async function raiseAlarm(
  deps: ServiceDeps,
  subject: AlarmSubject & { readonly detail?: string | null },
): Promise<Alarm | undefined> {
  const doorId = subject.doorId ?? null;
  const gatewayId = subject.gatewayId ?? null;
  return deps.store.write(async (trx) => {
    let active = trx
      .selectFrom("alarms")
      .select("id")
      .where("centre_id", "=", subject.centreId)
      .where("kind", "=", subject.kind)
      .where("cleared_at", "is", null);
    active =
      doorId === null ? active.where("door_id", "is", null) : active.where("door_id", "=", doorId);
    active =
      gatewayId === null
        ? active.where("gateway_id", "is", null)
        : active.where("gateway_id", "=", gatewayId);
    // A bundle rejection is one occurrence, not a state: each one is its own alarm.
    if (subject.kind !== "bundle-rejected" && (await active.executeTakeFirst()) !== undefined) {
      return undefined;
    }
    const now = deps.clock.now();
    const row: AlarmsTable = {
      id: uuidv7(now),
      centre_id: subject.centreId,
      kind: subject.kind,
      door_id: doorId,
      gateway_id: gatewayId,
      detail: subject.detail ?? null,
      raised_at: now,
      cleared_at: null,
      acknowledged_at: null,
      acknowledged_by: null,
      note: null,
    };
    await trx.insertInto("alarms").values(row).execute();
    return alarmFromRow(row);
  });
}

/** The condition ended: every active alarm of that subject is marked cleared; returns them. */
export async function clearAlarms(deps: ServiceDeps, subject: AlarmSubject): Promise<Alarm[]> {
  return deps.store.write(async (trx) => {
    let query = trx
      .selectFrom("alarms")
      .selectAll()
      .where("centre_id", "=", subject.centreId)
      .where("kind", "=", subject.kind)
      .where("cleared_at", "is", null);
    if (subject.doorId != null) query = query.where("door_id", "=", subject.doorId);
    if (subject.gatewayId != null) query = query.where("gateway_id", "=", subject.gatewayId);
    const rows = await query.execute();
    if (rows.length === 0) return [];
    const now = deps.clock.now();
    await trx
      .updateTable("alarms")
      .set({ cleared_at: now })
      .where(
        "id",
        "in",
        rows.map((row) => row.id),
      )
      .execute();
    return rows.map((row) => alarmFromRow({ ...row, cleared_at: now }));
  });
}

export async function getAlarm(deps: ServiceDeps, id: string): Promise<Alarm> {
  const row = await deps.store.db
    .selectFrom("alarms")
    .selectAll()
    .where("id", "=", id)
    .executeTakeFirst();
  if (row === undefined) throw notFound("alarm", id, "alarmId");
  return alarmFromRow(row);
}

/** A centre's alarms, newest first; `open` keeps those not yet acknowledged. */
export async function listAlarms(
  deps: ServiceDeps,
  filter: { centreId: string; open?: boolean; before?: string; limit: number },
): Promise<Alarm[]> {
  let query = deps.store.db
    .selectFrom("alarms")
    .selectAll()
    .where("centre_id", "=", filter.centreId)
    .orderBy("id", "desc")
    .limit(filter.limit);
  if (filter.open === true) query = query.where("acknowledged_at", "is", null);
  // Ids are UUIDv7: their order is the order they were raised in.
  if (filter.before !== undefined) query = query.where("id", "<", filter.before);
  return (await query.execute()).map(alarmFromRow);
}

/** Staff saw it and say what they did about it; audited. Acknowledging twice is a conflict. */
export async function acknowledgeAlarm(
  deps: ServiceDeps,
  actor: Actor,
  input: { alarmId: string; note: string },
): Promise<Alarm> {
  const note = text("note", input.note, 1000);
  return commitChange(deps, async (trx) => {
    const row = await trx
      .selectFrom("alarms")
      .selectAll()
      .where("id", "=", input.alarmId)
      .executeTakeFirst();
    if (row === undefined) throw notFound("alarm", input.alarmId, "alarmId");
    if (row.acknowledged_at !== null) throw conflict("the alarm is already acknowledged");
    const now = deps.clock.now();
    await trx
      .updateTable("alarms")
      .set({ acknowledged_at: now, acknowledged_by: actor, note })
      .where("id", "=", row.id)
      .execute();
    return {
      result: alarmFromRow({ ...row, acknowledged_at: now, acknowledged_by: actor, note }),
      audit: [
        {
          actor,
          action: "alarm.acknowledge",
          subject: `alarm:${row.id}`,
          centre: row.centre_id,
          detail: { kind: row.kind, doorId: row.door_id, gatewayId: row.gateway_id, note },
        },
      ],
    };
  });
}
