import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Id } from "@passerelle/protocol";
import { Type } from "@sinclair/typebox";
import { getCentre } from "../../../domain/centres.js";
import {
  archiveResource,
  createResource,
  getResource,
  listResources,
  updateResource,
} from "../../../domain/resources.js";
import type { ServiceDeps } from "../../../domain/serviceDeps.js";
import { CentreParams } from "../centres/centreView.js";
import { actorOf, requireCentreOf } from "../views/centreScope.js";
import { Page, PageQuery, pageOf } from "../views/page.js";
import { ResourceKind, ResourceParams, ResourceView, resourceView } from "./resourceView.js";

const Name = Type.String({ minLength: 1, maxLength: 200 });
const Capacity = Type.Integer({
  minimum: 1,
  maximum: 10_000,
  description: "people at once; a desk always seats 1",
});

/**
 * What can be booked. Everyone logged in lists a centre's resources (to book them); its
 * managers and the coordinator add, rename, resize and archive them.
 */
export const resourceRoutes: FastifyPluginAsyncTypebox<{ deps: ServiceDeps }> = async (
  app,
  { deps },
) => {
  /** The resource, if the caller may manage its centre; the same 404 as a missing one if not. */
  const manageable = async (request: Parameters<typeof actorOf>[0], resourceId: string) => {
    const resource = await getResource(deps, resourceId);
    requireCentreOf(request, resource.centreId, {
      what: "resource",
      id: resourceId,
      field: "resourceId",
    });
    return resource;
  };

  app.get(
    "/centres/:centreId/resources",
    {
      schema: {
        tags: ["resources"],
        summary: "A centre's bookable resources",
        params: CentreParams,
        querystring: Type.Object(
          {
            ...PageQuery,
            kind: Type.Optional(ResourceKind),
            includeArchived: Type.Optional(Type.Boolean({ default: false })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Page(ResourceView) },
      },
      config: { access: "authenticated" },
    },
    async (request) => {
      const { centreId } = request.params;
      await getCentre(deps, centreId); // 404 for a centre that does not exist, not an empty list
      const resources = await listResources(deps, {
        centreId,
        ...(request.query.kind ? { kind: request.query.kind } : {}),
        includeArchived: request.query.includeArchived ?? false,
      });
      const page = pageOf(resources, request.query);
      return { ...page, items: page.items.map(resourceView) };
    },
  );

  app.post(
    "/centres/:centreId/resources",
    {
      schema: {
        tags: ["resources"],
        summary: "Add a desk, zone or room (its centre's manager, or the coordinator)",
        params: CentreParams,
        body: Type.Object(
          {
            id: Type.Optional(Id),
            kind: ResourceKind,
            name: Name,
            capacity: Type.Optional(Capacity),
          },
          { additionalProperties: false },
        ),
        response: { 201: ResourceView },
      },
      config: { access: ["manager", "coordinator"] },
    },
    async (request, reply) => {
      const { centreId } = request.params;
      requireCentreOf(request, centreId, { what: "centre", id: centreId, field: "centreId" });
      const resource = await createResource(deps, actorOf(request), {
        ...request.body,
        centreId,
      });
      return reply.status(201).send(resourceView(resource));
    },
  );

  app.patch(
    "/resources/:resourceId",
    {
      schema: {
        tags: ["resources"],
        summary: "Rename or resize a resource",
        params: ResourceParams,
        body: Type.Object(
          { name: Type.Optional(Name), capacity: Type.Optional(Capacity) },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: ResourceView },
      },
      config: { access: ["manager", "coordinator"] },
    },
    async (request) => {
      await manageable(request, request.params.resourceId);
      return resourceView(
        await updateResource(deps, actorOf(request), request.params.resourceId, request.body),
      );
    },
  );

  app.delete(
    "/resources/:resourceId",
    {
      schema: {
        tags: ["resources"],
        summary: "Archive a resource (refused while upcoming bookings hold it: 409)",
        params: ResourceParams,
        response: { 200: ResourceView },
      },
      config: { access: ["manager", "coordinator"] },
    },
    async (request) => {
      await manageable(request, request.params.resourceId);
      return resourceView(await archiveResource(deps, actorOf(request), request.params.resourceId));
    },
  );
};
