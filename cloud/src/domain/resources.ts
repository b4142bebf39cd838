import { uuidv7 } from "@passerelle/protocol";
import type { ResourceKind, ResourcesTable } from "../store/database.js";
import type { Executor } from "../store/openStore.js";
import { loadCentre } from "./centres.js";
import { commitChange } from "./commitChange.js";
import { conflict, invalid, notFound } from "./domainError.js";
import type { Actor, ServiceDeps } from "./serviceDeps.js";
import { entityId, integer, oneOf, text } from "./validation.js";

export const resourceKinds: readonly ResourceKind[] = ["desk", "zone", "room"];

/**
 * Something bookable in a centre: a desk (one person), an open-space zone (up to `capacity`
 * overlapping bookings) or a meeting room (booked whole, with a buffer between bookings).
 */
export interface Resource {
  readonly id: string;
  readonly centreId: string;
  readonly kind: ResourceKind;
  readonly name: string;
  readonly capacity: number;
  readonly createdAt: Date;
  readonly archivedAt: Date | null;
}

export interface ResourceInput {
  /** Defaults to a UUIDv7; a readable id ("redu-desk-4") helps in logs and bundles. */
  readonly id?: string;
  readonly centreId: string;
  readonly kind: ResourceKind;
  readonly name: string;
  /** Required for zones and rooms; a desk always has 1. */
  readonly capacity?: number;
}

export function resourceFromRow(row: ResourcesTable): Resource {
  return {
    id: row.id,
    centreId: row.centre_id,
    kind: row.kind,
    name: row.name,
    capacity: row.capacity,
    createdAt: new Date(row.created_at),
    archivedAt: row.archived_at === null ? null : new Date(row.archived_at),
  };
}

function validCapacity(kind: ResourceKind, capacity: number | undefined): number {
  if (kind === "desk") {
    if (capacity !== undefined && capacity !== 1) throw invalid("capacity", "a desk seats one");
    return 1;
  }
  if (capacity === undefined) throw invalid("capacity", `a ${kind} needs a capacity`);
  return integer("capacity", capacity, 1, 10_000);
}

export async function loadResource(db: Executor, id: string): Promise<Resource> {
  const row = await db.selectFrom("resources").selectAll().where("id", "=", id).executeTakeFirst();
  if (row === undefined) throw notFound("resource", id, "resourceId");
  return resourceFromRow(row);
}

export async function getResource(deps: ServiceDeps, id: string): Promise<Resource> {
  return loadResource(deps.store.db, id);
}

export async function listResources(
  deps: ServiceDeps,
  filter: { centreId?: string; kind?: ResourceKind; includeArchived?: boolean } = {},
): Promise<Resource[]> {
  let query = deps.store.db.selectFrom("resources").selectAll().orderBy("centre_id").orderBy("id");
  if (filter.centreId !== undefined) query = query.where("centre_id", "=", filter.centreId);
  if (filter.kind !== undefined) query = query.where("kind", "=", filter.kind);
  if (!filter.includeArchived) query = query.where("archived_at", "is", null);
  return (await query.execute()).map(resourceFromRow);
}

export async function createResource(
  deps: ServiceDeps,
  actor: Actor,
  input: ResourceInput,
): Promise<Resource> {
  const kind = oneOf("kind", input.kind, resourceKinds);
  const row: ResourcesTable = {
    id: input.id === undefined ? uuidv7(deps.clock.now()) : entityId("id", input.id),
    centre_id: input.centreId,
    kind,
    name: text("name", input.name),
    capacity: validCapacity(kind, input.capacity),
    created_at: deps.clock.now(),
    archived_at: null,
  };
  return commitChange(deps, async (trx) => {
    const centre = await loadCentre(trx, row.centre_id);
    if (centre.archivedAt !== null) throw invalid("centreId", "the centre is archived");
    const taken = await trx
      .selectFrom("resources")
      .select("id")
      .where("id", "=", row.id)
      .executeTakeFirst();
    if (taken !== undefined) throw conflict(`resource ${row.id} already exists`, "id");
    await trx.insertInto("resources").values(row).execute();
    return {
      result: resourceFromRow(row),
      audit: [
        {
          actor,
          action: "resource.create",
          subject: `resource:${row.id}`,
          centre: row.centre_id,
          detail: { kind, capacity: row.capacity },
        },
      ],
    };
  });
}

/**
 * Renames or resizes a resource. Shrinking a zone below the bookings it already holds is
 * allowed (a fire-safety change must be possible); the extra bookings stay and new ones wait.
 */
export async function updateResource(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  patch: { name?: string; capacity?: number },
): Promise<Resource> {
  return commitChange(deps, async (trx) => {
    const current = await loadResource(trx, id);
    const set: Partial<ResourcesTable> = {};
    if (patch.name !== undefined) set.name = text("name", patch.name);
    if (patch.capacity !== undefined) set.capacity = validCapacity(current.kind, patch.capacity);
    if (Object.keys(set).length > 0) {
      await trx.updateTable("resources").set(set).where("id", "=", id).execute();
    }
    return {
      result: await loadResource(trx, id),
      audit: [
        {
          actor,
          action: "resource.update",
          subject: `resource:${id}`,
          centre: current.centreId,
          detail: { changed: Object.keys(patch) },
        },
      ],
    };
  });
}

/**
 * An archived resource keeps its past bookings and takes no new ones. Refused while future
 * bookings hold it: those members must be told, so they are cancelled first, explicitly.
 */
export async function archiveResource(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
): Promise<Resource> {
  return commitChange(deps, async (trx) => {
    const current = await loadResource(trx, id);
    const upcoming = await trx
      .selectFrom("bookings")
      .select("id")
      .where("resource_id", "=", id)
      .where("status", "=", "confirmed")
      .where("ends_at", ">", deps.clock.now())
      .limit(1)
      .executeTakeFirst();
    if (upcoming !== undefined) {
      throw conflict("the resource still has upcoming bookings; cancel them first", "id");
    }
    await trx
      .updateTable("resources")
      .set({ archived_at: deps.clock.now() })
      .where("id", "=", id)
      .execute();
    return {
      result: await loadResource(trx, id),
      audit: [
        {
          actor,
          action: "resource.archive",
          subject: `resource:${id}`,
          centre: current.centreId,
          detail: {},
        },
      ],
      accessChangedAt: [current.centreId],
    };
  });
}
