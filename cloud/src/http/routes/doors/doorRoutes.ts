import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { GatewayId, Id } from "@passerelle/protocol";
import { Type } from "@sinclair/typebox";
import { getCentre } from "../../../domain/centres.js";
import { createDoor, getDoor, listDoors, removeDoor, updateDoor } from "../../../domain/doors.js";
import type { ServiceDeps } from "../../../domain/serviceDeps.js";
import { CentreParams } from "../centres/centreView.js";
import { actorOf, requireCentreOf } from "../views/centreScope.js";
import { Page, PageQuery, pageOf } from "../views/page.js";
import {
  DoorDirection,
  DoorParams,
  DoorView,
  doorView,
  ExitKind,
  HeldOpenSeconds,
} from "./doorView.js";

const editable = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  direction: DoorDirection,
  exitKind: ExitKind,
  heldOpenSeconds: HeldOpenSeconds,
  pinRequired: Type.Boolean({
    description: "card + PIN (staff-only doors with a keypad reader): the card's PIN is asked",
  }),
  gatewayId: Type.Union([GatewayId, Type.Null()], { description: "the gateway driving it" }),
  resourceIds: Type.Array(Id, { maxItems: 256, description: "what the door leads to" }),
};

/**
 * A centre's doors, which gateway drives them and what they lead to: staff data (its managers
 * and the coordinator). Every change recompiles the centre's access bundle.
 */
export const doorRoutes: FastifyPluginAsyncTypebox<{ deps: ServiceDeps }> = async (
  app,
  { deps },
) => {
  const manageable = async (request: Parameters<typeof actorOf>[0], doorId: string) => {
    const door = await getDoor(deps, doorId);
    requireCentreOf(request, door.centreId, { what: "door", id: doorId, field: "doorId" });
    return door;
  };

  app.get(
    "/centres/:centreId/doors",
    {
      schema: {
        tags: ["doors"],
        summary: "A centre's doors",
        params: CentreParams,
        querystring: Type.Object(PageQuery, { additionalProperties: false }),
        response: { 200: Page(DoorView) },
      },
      config: { access: ["manager", "coordinator"] },
    },
    async (request) => {
      const { centreId } = request.params;
      requireCentreOf(request, centreId, { what: "centre", id: centreId, field: "centreId" });
      await getCentre(deps, centreId);
      const page = pageOf(await listDoors(deps, { centreId }), request.query);
      return { ...page, items: page.items.map(doorView) };
    },
  );

  app.post(
    "/centres/:centreId/doors",
    {
      schema: {
        tags: ["doors"],
        summary: "Add a door",
        params: CentreParams,
        body: Type.Object(
          {
            id: Type.Optional(Id),
            name: editable.name,
            direction: editable.direction,
            exitKind: Type.Optional(editable.exitKind),
            heldOpenSeconds: Type.Optional(editable.heldOpenSeconds),
            pinRequired: Type.Optional(editable.pinRequired),
            gatewayId: Type.Optional(editable.gatewayId),
            resourceIds: Type.Optional(editable.resourceIds),
          },
          { additionalProperties: false },
        ),
        response: { 201: DoorView },
      },
      config: { access: ["manager", "coordinator"] },
    },
    async (request, reply) => {
      const { centreId } = request.params;
      requireCentreOf(request, centreId, { what: "centre", id: centreId, field: "centreId" });
      const door = await createDoor(deps, actorOf(request), { ...request.body, centreId });
      return reply.status(201).send(doorView(door));
    },
  );

  app.patch(
    "/doors/:doorId",
    {
      schema: {
        tags: ["doors"],
        summary:
          "Rename a door, change its direction, exit kind, held-open time, gateway or the resources it leads to",
        params: DoorParams,
        body: Type.Partial(Type.Object(editable), {
          additionalProperties: false,
          minProperties: 1,
        }),
        response: { 200: DoorView },
      },
      config: { access: ["manager", "coordinator"] },
    },
    async (request) => {
      await manageable(request, request.params.doorId);
      return doorView(
        await updateDoor(deps, actorOf(request), request.params.doorId, request.body),
      );
    },
  );

  app.delete(
    "/doors/:doorId",
    {
      schema: {
        tags: ["doors"],
        summary: "Remove a door",
        params: DoorParams,
        response: { 204: Type.Null() },
      },
      config: { access: ["manager", "coordinator"] },
    },
    async (request, reply) => {
      await manageable(request, request.params.doorId);
      await removeDoor(deps, actorOf(request), request.params.doorId);
      return reply.status(204).send(null);
    },
  );
};
