import { Id } from "@passerelle/protocol";
import { type Static, Type } from "@sinclair/typebox";
import { type Resource, resourceKinds } from "../../../domain/resources.js";
import { isoOrNull, UtcInstant } from "../views/instant.js";
import { StringEnum } from "../views/stringEnum.js";

export const ResourceKind = StringEnum(resourceKinds);
export type ResourceKind = Static<typeof ResourceKind>;

export const ResourceView = Type.Object({
  id: Type.String(),
  centreId: Type.String(),
  kind: ResourceKind,
  name: Type.String(),
  capacity: Type.Integer(),
  createdAt: UtcInstant,
  archivedAt: Type.Union([UtcInstant, Type.Null()]),
});
export type ResourceView = Static<typeof ResourceView>;

export const ResourceParams = Type.Object({ resourceId: Id });

export function resourceView(resource: Resource) {
  return {
    id: resource.id,
    centreId: resource.centreId,
    kind: resource.kind,
    name: resource.name,
    capacity: resource.capacity,
    createdAt: resource.createdAt.toISOString(),
    archivedAt: isoOrNull(resource.archivedAt),
  };
}
