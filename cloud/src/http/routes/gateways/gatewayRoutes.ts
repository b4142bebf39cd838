import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { GatewayId } from "@passerelle/protocol";
import { Type } from "@sinclair/typebox";
import type { FastifyReply } from "fastify";
import type { CloudSigningKey } from "../../../bundles/signingKeyFile.js";
import { getCentre } from "../../../domain/centres.js";
import {
  type GatewayCredentials,
  getGateway,
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
 * The door controllers. A centre's managers watch theirs (online, bundle version and age, clock
 * trust, outbox depth), provision them and rotate their broker secret (docs/console.md "Doors
 * and gateways": a centre is onboarded without the coordinator at the Pi); disabling one stays
 * the coordinator's. A gateway's credentials only let it publish for its own centre.
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
      const issued = await bundleIssueTimes(deps, centreId);
      return {
        ...page,
        items: page.items.map((gateway) => {
          const live = gatewayStatus.get(gateway.id);
          const version = live?.bundleVersion;
          return gatewayView(gateway, live, version == null ? undefined : issued.get(version));
        }),
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
      config: { access: ["manager", "coordinator"] },
    },
    async (request, reply) => {
      const { centreId } = request.params;
      requireCentreOf(request, centreId, { what: "centre", id: centreId, field: "centreId" });
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
      config: { access: ["manager", "coordinator"] },
    },
    async (request, reply) => {
      const { gatewayId } = request.params;
      const gateway = await getGateway(deps, gatewayId);
      requireCentreOf(request, gateway.centreId, {
        what: "gateway",
        id: gatewayId,
        field: "gatewayId",
      });
      return sendCredentials(
        reply,
        200,
        await rotateGatewaySecret(deps, actorOf(request), gatewayId),
      );
    },
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

/** When each bundle version of the centre was issued: a gateway's bundle age. */
async function bundleIssueTimes(deps: ServiceDeps, centreId: string): Promise<Map<number, number>> {
  const rows = await deps.store.db
    .selectFrom("bundle_versions")
    .select(["version", "issued_at"])
    .where("centre_id", "=", centreId)
    .execute();
  return new Map(rows.map((row) => [Number(row.version), Number(row.issued_at)]));
}
