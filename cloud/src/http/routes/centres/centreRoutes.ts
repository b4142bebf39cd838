import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { GatewayId } from "@passerelle/protocol";
import { Type } from "@sinclair/typebox";
import {
  archiveCentre,
  createCentre,
  getCentre,
  listCentres,
  updateCentre,
} from "../../../domain/centres.js";
import type { ServiceDeps } from "../../../domain/serviceDeps.js";
import { HttpProblem } from "../../httpProblem.js";
import { principalOf } from "../../plugins/accessControl.js";
import { actorOf, requireCentreOf } from "../views/centreScope.js";
import { Page, PageQuery, pageOf } from "../views/page.js";
import {
  CentreParams,
  CentreSettings,
  CentreView,
  centreView,
  OpeningHours,
} from "./centreView.js";

const editable = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  timeZone: Type.String({ minLength: 1, maxLength: 64, examples: ["Europe/Brussels"] }),
  openingHours: OpeningHours,
  closedDates: Type.Array(Type.String({ format: "date" }), { maxItems: 366 }),
  capacity: Type.Integer({ minimum: 0, maximum: 100_000 }),
  hourlyRateCents: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
  settings: Type.Partial(CentreSettings),
};

const CentreBody = Type.Object(
  {
    id: GatewayId,
    ...editable,
    closedDates: Type.Optional(editable.closedDates),
    settings: Type.Optional(editable.settings),
  },
  { additionalProperties: false },
);
const CentrePatchBody = Type.Partial(Type.Object(editable, { additionalProperties: false }), {
  additionalProperties: false,
  minProperties: 1,
});

const centreOf = (what: string, id: string) => ({ what, id, field: "centreId" });

/**
 * The network directory. Everyone logged in reads it (a worker books anywhere); the coordinator
 * opens and archives centres; a centre's manager edits its hours and settings, but not the rate
 * the network pays it.
 */
export const centreRoutes: FastifyPluginAsyncTypebox<{ deps: ServiceDeps }> = async (
  app,
  { deps },
) => {
  app.get(
    "/centres",
    {
      schema: {
        tags: ["centres"],
        summary: "The network's centres",
        querystring: Type.Object(
          { ...PageQuery, includeArchived: Type.Optional(Type.Boolean({ default: false })) },
          { additionalProperties: false },
        ),
        response: { 200: Page(CentreView) },
      },
      config: { access: "authenticated" },
    },
    async (request) => {
      const viewer = principalOf(request);
      const centres = await listCentres(deps, {
        includeArchived: request.query.includeArchived ?? false,
      });
      const page = pageOf(centres, request.query);
      return { ...page, items: page.items.map((centre) => centreView(centre, viewer)) };
    },
  );

  app.get(
    "/centres/:centreId",
    {
      schema: {
        tags: ["centres"],
        summary: "One centre",
        params: CentreParams,
        response: { 200: CentreView },
      },
      config: { access: "authenticated" },
    },
    async (request) =>
      centreView(await getCentre(deps, request.params.centreId), principalOf(request)),
  );

  app.post(
    "/centres",
    {
      schema: {
        tags: ["centres"],
        summary: "Open a centre (coordinator)",
        body: CentreBody,
        response: { 201: CentreView },
      },
      config: { access: ["coordinator"] },
    },
    async (request, reply) => {
      const centre = await createCentre(deps, actorOf(request), request.body);
      return reply.status(201).send(centreView(centre, principalOf(request)));
    },
  );

  app.patch(
    "/centres/:centreId",
    {
      schema: {
        tags: ["centres"],
        summary: "Edit a centre (its manager, or the coordinator)",
        params: CentreParams,
        body: CentrePatchBody,
        response: { 200: CentreView },
      },
      config: { access: ["manager", "coordinator"] },
    },
    async (request) => {
      const { centreId } = request.params;
      const principal = requireCentreOf(request, centreId, centreOf("centre", centreId));
      if (request.body.hourlyRateCents !== undefined && !principal.coordinator) {
        const field = "body/hourlyRateCents";
        const message = "only the coordinator sets what the network pays a centre";
        throw new HttpProblem(403, "Forbidden", `${field}: ${message}`, [{ field, message }]);
      }
      const centre = await updateCentre(deps, actorOf(request), centreId, request.body);
      return centreView(centre, principal);
    },
  );

  app.delete(
    "/centres/:centreId",
    {
      schema: {
        tags: ["centres"],
        summary: "Archive a centre (coordinator): it keeps its history and takes no new bookings",
        params: CentreParams,
        response: { 200: CentreView },
      },
      config: { access: ["coordinator"] },
    },
    async (request) =>
      centreView(
        await archiveCentre(deps, actorOf(request), request.params.centreId),
        principalOf(request),
      ),
  );
};
