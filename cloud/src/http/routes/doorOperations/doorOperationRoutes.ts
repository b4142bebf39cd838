import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import { conflict } from "../../../domain/domainError.js";
import { getDoor } from "../../../domain/doors.js";
import { getLockdown, type Lockdown, setLockdown } from "../../../domain/lockdown.js";
import { maxRemoteUnlockSeconds, orderRemoteUnlock } from "../../../domain/remoteUnlock.js";
import type { ServiceDeps } from "../../../domain/serviceDeps.js";
import type { LiveBoards } from "../../cloudServices.js";
import { HttpProblem } from "../../httpProblem.js";
import { CentreParams } from "../centres/centreView.js";
import { DoorParams } from "../doors/doorView.js";
import { actorOf, requireCentreOf } from "../views/centreScope.js";
import { isoOrNull, UtcInstant } from "../views/instant.js";

export interface DoorOperationRoutesOptions {
  deps: ServiceDeps;
  mqtt: Pick<LiveBoards, "gatewayStatus" | "commands">;
}

const Reason = Type.String({
  minLength: 1,
  maxLength: 500,
  description: "why, for the audit log",
});

const LockdownView = Type.Object({
  centreId: Type.String(),
  active: Type.Boolean(),
  since: Type.Union([UtcInstant, Type.Null()]),
  by: Type.Union([Type.String(), Type.Null()]),
});

const lockdownView = (lockdown: Lockdown) => ({
  centreId: lockdown.centreId,
  active: lockdown.since !== null,
  since: isoOrNull(lockdown.since),
  by: lockdown.by,
});

/**
 * Operating doors from the console (docs/api.md "Doors and gateways"): remote unlock of one door
 * for some seconds, and a centre's lockdown. A manager acts on their centres' doors only (a door
 * of another centre answers the 404 an unknown door does); the coordinator everywhere.
 */
export const doorOperationRoutes: FastifyPluginAsyncTypebox<DoorOperationRoutesOptions> = async (
  app,
  { deps, mqtt },
) => {
  app.post(
    "/doors/:doorId/remote-unlock",
    {
      schema: {
        tags: ["doors"],
        summary: `Unlock a door remotely for 1 to ${maxRemoteUnlockSeconds} seconds (a signed, expiring command to its gateway; audited)`,
        params: DoorParams,
        body: Type.Object(
          {
            seconds: Type.Integer({
              minimum: 1,
              maximum: maxRemoteUnlockSeconds,
              description: "how long the door stays unlocked",
            }),
            reason: Reason,
          },
          { additionalProperties: false },
        ),
        response: {
          202: Type.Object({
            commandId: Type.String(),
            doorId: Type.String(),
            gatewayId: Type.String(),
            seconds: Type.Integer(),
            expiresAt: UtcInstant,
          }),
        },
      },
      config: { access: ["manager", "coordinator"] },
    },
    async (request, reply) => {
      const { doorId } = request.params;
      const door = await getDoor(deps, doorId);
      requireCentreOf(request, door.centreId, { what: "door", id: doorId, field: "doorId" });
      if (door.gatewayId !== null && mqtt.gatewayStatus.get(door.gatewayId)?.online !== true) {
        // Said now rather than after a minute of nothing: the command would expire unheard.
        throw conflict(`the gateway ${door.gatewayId} of this door is offline`, "doorId");
      }
      const order = await orderRemoteUnlock(deps, actorOf(request), {
        doorId,
        seconds: request.body.seconds,
        reason: request.body.reason,
      });
      try {
        await mqtt.commands.send(order.command);
      } catch (error) {
        request.log.error({ err: error, gatewayId: order.gatewayId }, "remote unlock not sent");
        throw new HttpProblem(503, "Service Unavailable", "the broker did not take the command");
      }
      return reply.status(202).send({
        commandId: order.command.id,
        doorId,
        gatewayId: order.gatewayId,
        seconds: request.body.seconds,
        expiresAt: order.command.expiresAt,
      });
    },
  );

  app.get(
    "/centres/:centreId/lockdown",
    {
      schema: {
        tags: ["doors"],
        summary: "Whether the centre is in lockdown (its doors open for staff only)",
        params: CentreParams,
        response: { 200: LockdownView },
      },
      config: { access: ["manager", "coordinator"] },
    },
    async (request) => {
      const { centreId } = request.params;
      requireCentreOf(request, centreId, { what: "centre", id: centreId, field: "centreId" });
      return lockdownView(await getLockdown(deps, centreId));
    },
  );

  app.put(
    "/centres/:centreId/lockdown",
    {
      schema: {
        tags: ["doors"],
        summary:
          "Start (active: true) or lift (active: false) a lockdown: every door of the centre refuses everyone but staff until lifted, offline too (carried in the signed bundle)",
        params: CentreParams,
        body: Type.Object(
          { active: Type.Boolean(), reason: Reason },
          { additionalProperties: false },
        ),
        response: { 200: LockdownView },
      },
      config: { access: ["manager", "coordinator"] },
    },
    async (request) => {
      const { centreId } = request.params;
      requireCentreOf(request, centreId, { what: "centre", id: centreId, field: "centreId" });
      return lockdownView(
        await setLockdown(deps, actorOf(request), {
          centreId,
          on: request.body.active,
          reason: request.body.reason,
        }),
      );
    },
  );
};
