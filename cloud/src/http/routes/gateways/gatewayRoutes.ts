import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { GatewayId } from "@passerelle/protocol";
import { Type } from "@sinclair/typebox";
import type { FastifyReply } from "fastify";
import type { CloudSigningKey } from "../../../bundles/signingKeyFile.js";
import { getCentre } from "../../../domain/centres.js";
import {
  type GatewayCredentials,
  listGateways,
  provisionGateway,
  rotateGatewaySecret,
  setGatewayDisabled,
} from "../../../domain/gateways.js";
import type { ServiceDeps } from "../../../domain/serviceDeps.js";
import type { GatewayStatusBoard } from "../../../occupancy/gatewayStatusBoard.js";
import { CentreParams } from "../centres/centreView.js";
import { actorOf, requireCentreOf } from "../views/centreScope.js";
import { Page, PageQuery, pageOf } from "../views/page.js";
import { GatewayCredentialsView, GatewayParams, GatewayView, gatewayView } from "./gatewayView.js";

export interface GatewayRoutesOptions {
  deps: ServiceDeps;
  /** Live state from the retained status topic (CloudMqtt.gatewayStatus). */
  gatewayStatus: GatewayStatusBoard;
  signingKey: CloudSigningKey;
}

/**
 * The door controllers. A centre's managers watch theirs (online, bundle version, clock trust,
 * outbox depth); only the coordinator provisions them, rotates their broker secret or disables
 * them, since a gateway's credentials let it publish access events for its centre.
 */
export const gatewayRoutes: FastifyPluginAsyncTypebox<GatewayRoutesOptions> = async (
  app,
  { deps, gatewayStatus, signingKey },
) => {
  /** The secret travels in this body only: no cache, no intermediary, may keep it. */
  const sendCredentials = (reply: FastifyReply, status: number, credentials: GatewayCredentials) =>
    reply
      .status(status)
      .header("cache-control", "no-store")
      .send({
        gateway: gatewayView(credentials.gateway, gatewayStatus.get(credentials.gateway.id)),
        username: credentials.username,
        secret: credentials.secret,
        bundleKeyId: signingKey.keyId,
        bundlePublicKeyPem: signingKey.publicKeyPem,
      });

  app.get(
    "/centres/:centreId/gateways",
    {
      schema: {
        tags: ["gateways"],
        summary: "A centre's gateways with their live status",
        params: CentreParams,
        querystring: Type.Object(PageQuery, { additionalProperties: false }),
        response: { 200: Page(GatewayView) },
      },
      config: { access: ["manager", "coordinator"] },
    },
    async (request) => {
      const { centreId } = request.params;
      requireCentreOf(request, centreId, { what: "centre", id: centreId, field: "centreId" });
      await getCentre(deps, centreId);
      const page = pageOf(await listGateways(deps, { centreId }), request.query);
      return {
        ...page,
        items: page.items.map((gateway) => gatewayView(gateway, gatewayStatus.get(gateway.id))),
      };
    },
  );

  app.post(
    "/centres/:centreId/gateways",
    {
      schema: {
        tags: ["gateways"],
        summary: "Provision a gateway: its broker secret is in this response only",
        params: CentreParams,
        body: Type.Object(
          { id: GatewayId, name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) },
          { additionalProperties: false },
        ),
        response: { 201: GatewayCredentialsView },
      },
      config: { access: ["coordinator"] },
    },
    async (request, reply) => {
      const credentials = await provisionGateway(deps, actorOf(request), {
        ...request.body,
        centreId: request.params.centreId,
      });
      return sendCredentials(reply, 201, credentials);
    },
  );

  app.post(
    "/gateways/:gatewayId/rotate-secret",
    {
      schema: {
        tags: ["gateways"],
        summary: "New broker secret (shown once); the old one stops working at once",
        params: GatewayParams,
        response: { 200: GatewayCredentialsView },
      },
      config: { access: ["coordinator"] },
    },
    async (request, reply) =>
      sendCredentials(
        reply,
        200,
        await rotateGatewaySecret(deps, actorOf(request), request.params.gatewayId),
      ),
  );

  app.patch(
    "/gateways/:gatewayId",
    {
      schema: {
        tags: ["gateways"],
        summary: "Disable or re-enable a gateway (a disabled one cannot log into the broker)",
        params: GatewayParams,
        body: Type.Object({ disabled: Type.Boolean() }, { additionalProperties: false }),
        response: { 200: GatewayView },
      },
      config: { access: ["coordinator"] },
    },
    async (request) => {
      const { gatewayId } = request.params;
      const gateway = await setGatewayDisabled(
        deps,
        actorOf(request),
        gatewayId,
        request.body.disabled,
      );
      return gatewayView(gateway, gatewayStatus.get(gatewayId));
    },
  );
};
