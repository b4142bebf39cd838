import { limits, uuidv7 } from "@passerelle/protocol";
import type { DoorDirection, DoorsTable, ExitKind } from "../store/database.js";
import type { Executor } from "../store/openStore.js";
import { loadCentre } from "./centres.js";
import { commitChange } from "./commitChange.js";
import { conflict, invalid, notFound } from "./domainError.js";
import type { Actor, ServiceDeps } from "./serviceDeps.js";
import { entityId, oneOf, text } from "./validation.js";

export const doorDirections: readonly DoorDirection[] = ["in", "out", "both"];
/**
 * How people leave through a door (docs/hours.md "What counts as an exit"): a badge to leave,
 * a request-to-exit button with a door contact (today's doors, hence the default), or a lever
 * handle with a contact only.
 */
export const exitKinds: readonly ExitKind[] = ["exit-reader", "exit-button", "free-egress"];
export const defaultExitKind: ExitKind = "exit-button";
/** The held-open times a manager may set (the gateway's own default applies without one). */
export const heldOpenSecondsRange = { min: 1, max: 3600 } as const;

/** A door of a centre, driven by one gateway, leading to some of the centre's resources. */
export interface Door {
  readonly id: string;
  readonly centreId: string;
  readonly gatewayId: string | null;
  readonly name: string;
  readonly direction: DoorDirection;
  readonly exitKind: ExitKind;
  /** Seconds open before "held open" is raised; null: the gateway's configured default. */
  readonly heldOpenSeconds: number | null;
  /** Card + PIN: a card opens only with its PIN typed on the keypad reader (staff-only doors). */
  readonly pinRequired: boolean;
  /** Resources (zones, rooms, desks' areas) this door leads to. */
  readonly resourceIds: readonly string[];
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface DoorInput {
  readonly id?: string;
  readonly centreId: string;
  readonly gatewayId?: string | null;
  readonly name: string;
  readonly direction: DoorDirection;
  readonly exitKind?: ExitKind;
  readonly heldOpenSeconds?: number | null;
  readonly pinRequired?: boolean;
  readonly resourceIds?: readonly string[];
}

export type DoorPatch = Partial<Omit<DoorInput, "id" | "centreId">>;

function doorFromRow(row: DoorsTable, resourceIds: readonly string[]): Door {
  return {
    id: row.id,
    centreId: row.centre_id,
    gatewayId: row.gateway_id,
    name: row.name,
    direction: row.direction,
    exitKind: row.exit_kind,
    heldOpenSeconds: row.held_open_seconds,
    pinRequired: row.pin_required === 1,
    resourceIds,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

async function loadDoors(db: Executor, where: { id?: string; centreId?: string }): Promise<Door[]> {
  let query = db.selectFrom("doors").selectAll().orderBy("id");
  if (where.id !== undefined) query = query.where("id", "=", where.id);
  if (where.centreId !== undefined) query = query.where("centre_id", "=", where.centreId);
  const rows = await query.execute();
  if (rows.length === 0) return [];
  const links = await db
    .selectFrom("door_resources")
    .selectAll()
    .where(
      "door_id",
      "in",
      rows.map((row) => row.id),
    )
    .orderBy("resource_id")
    .execute();
  return rows.map((row) =>
    doorFromRow(
      row,
      links.filter((link) => link.door_id === row.id).map((link) => link.resource_id),
    ),
  );
}

async function loadDoor(db: Executor, id: string): Promise<Door> {
  const [door] = await loadDoors(db, { id });
  if (door === undefined) throw notFound("door", id, "doorId");
  return door;
}

export async function getDoor(deps: ServiceDeps, id: string): Promise<Door> {
  return loadDoor(deps.store.db, id);
}

export async function listDoors(
  deps: ServiceDeps,
  filter: { centreId?: string } = {},
): Promise<Door[]> {
  return loadDoors(deps.store.db, filter);
}

/** The gateway and resources must belong to the door's centre: a door cannot cross centres. */
async function checkLinks(
  trx: Executor,
  centreId: string,
  gatewayId: string | null | undefined,
  resourceIds: readonly string[] | undefined,
): Promise<void> {
  if (gatewayId !== undefined && gatewayId !== null) {
    const gateway = await trx
      .selectFrom("gateways")
      .select("centre_id")
      .where("id", "=", gatewayId)
      .executeTakeFirst();
    if (gateway === undefined) throw notFound("gateway", gatewayId, "gatewayId");
    if (gateway.centre_id !== centreId) {
      throw invalid("gatewayId", "the gateway belongs to another centre");
    }
  }
  if (resourceIds === undefined) return;
  if (resourceIds.length > limits.zonesPerCentre) {
    throw invalid("resourceIds", `at most ${limits.zonesPerCentre} resources per door`);
  }
  if (new Set(resourceIds).size !== resourceIds.length) {
    throw invalid("resourceIds", "lists a resource twice");
  }
  if (resourceIds.length === 0) return;
  const found = await trx
    .selectFrom("resources")
    .select(["id", "centre_id"])
    .where("id", "in", [...resourceIds])
    .execute();
  for (const id of resourceIds) {
    const resource = found.find((row) => row.id === id);
    if (resource === undefined) throw notFound("resource", id, "resourceIds");
    if (resource.centre_id !== centreId) {
      throw invalid("resourceIds", `resource ${id} belongs to another centre`);
    }
  }
}

function heldOpenSeconds(value: number | null | undefined): number | null {
  if (value === undefined || value === null) return null;
  const { min, max } = heldOpenSecondsRange;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw invalid("heldOpenSeconds", `a whole number of seconds from ${min} to ${max}`);
  }
  return value;
}

async function linkResources(trx: Executor, doorId: string, resourceIds: readonly string[]) {
  await trx.deleteFrom("door_resources").where("door_id", "=", doorId).execute();
  if (resourceIds.length === 0) return;
  await trx
    .insertInto("door_resources")
    .values(resourceIds.map((resourceId) => ({ door_id: doorId, resource_id: resourceId })))
    .execute();
}

export async function createDoor(deps: ServiceDeps, actor: Actor, input: DoorInput): Promise<Door> {
  const now = deps.clock.now();
  const row: DoorsTable = {
    id: input.id === undefined ? uuidv7(now) : entityId("id", input.id),
    centre_id: input.centreId,
    gateway_id: input.gatewayId ?? null,
    name: text("name", input.name),
    direction: oneOf("direction", input.direction, doorDirections),
    exit_kind: oneOf("exitKind", input.exitKind ?? defaultExitKind, exitKinds),
    held_open_seconds: heldOpenSeconds(input.heldOpenSeconds),
    pin_required: input.pinRequired === true ? 1 : 0,
    created_at: now,
    updated_at: now,
  };
  const resourceIds = input.resourceIds ?? [];
  return commitChange(deps, async (trx) => {
    await loadCentre(trx, row.centre_id);
    const taken = await trx
      .selectFrom("doors")
      .select("id")
      .where("id", "=", row.id)
      .executeTakeFirst();
    if (taken !== undefined) throw conflict(`door ${row.id} already exists`, "id");
    await checkLinks(trx, row.centre_id, row.gateway_id, resourceIds);
    await trx.insertInto("doors").values(row).execute();
    await linkResources(trx, row.id, resourceIds);
    return {
      result: await loadDoor(trx, row.id),
      audit: [
        {
          actor,
          action: "door.create",
          subject: `door:${row.id}`,
          centre: row.centre_id,
          detail: {
            gatewayId: row.gateway_id,
            direction: row.direction,
            exitKind: row.exit_kind,
            heldOpenSeconds: row.held_open_seconds,
            pinRequired: row.pin_required === 1,
            resourceIds,
          },
        },
      ],
      accessChangedAt: [row.centre_id],
    };
  });
}

export async function updateDoor(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  patch: DoorPatch,
): Promise<Door> {
  return commitChange(deps, async (trx) => {
    const current = await loadDoor(trx, id);
    await checkLinks(trx, current.centreId, patch.gatewayId, patch.resourceIds);
    const set: Partial<DoorsTable> = { updated_at: deps.clock.now() };
    if (patch.name !== undefined) set.name = text("name", patch.name);
    if (patch.direction !== undefined) {
      set.direction = oneOf("direction", patch.direction, doorDirections);
    }
    if (patch.exitKind !== undefined) set.exit_kind = oneOf("exitKind", patch.exitKind, exitKinds);
    if (patch.gatewayId !== undefined) set.gateway_id = patch.gatewayId;
    if (patch.heldOpenSeconds !== undefined) {
      set.held_open_seconds = heldOpenSeconds(patch.heldOpenSeconds);
    }
    if (patch.pinRequired !== undefined) set.pin_required = patch.pinRequired ? 1 : 0;
    await trx.updateTable("doors").set(set).where("id", "=", id).execute();
    if (patch.resourceIds !== undefined) await linkResources(trx, id, patch.resourceIds);
    return {
      result: await loadDoor(trx, id),
      audit: [
        {
          actor,
          action: "door.update",
          subject: `door:${id}`,
          centre: current.centreId,
          detail: { changed: Object.keys(patch) },
        },
      ],
      accessChangedAt: [current.centreId],
    };
  });
}

export async function removeDoor(deps: ServiceDeps, actor: Actor, id: string): Promise<void> {
  return commitChange(deps, async (trx) => {
    const current = await loadDoor(trx, id);
    await trx.deleteFrom("doors").where("id", "=", id).execute();
    return {
      result: undefined,
      audit: [
        {
          actor,
          action: "door.remove",
          subject: `door:${id}`,
          centre: current.centreId,
          detail: {},
        },
      ],
      accessChangedAt: [current.centreId],
    };
  });
}
