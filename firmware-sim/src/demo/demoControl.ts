import {
  type Actor,
  createBooking,
  createMember,
  createPass,
  issueBadge,
  type RunningCloud,
  revokeBadge,
} from "@passerelle/cloud";

/**
 * A control channel into the demo cloud over the child-process IPC pipe: what the launcher's
 * tests need before (or besides) the HTTP API. Only the parent that forked the cloud holds the
 * pipe; nothing listens on a port. Each request is a domain call, so its hooks (bundle
 * compilation, audit) run exactly as for the API.
 */
export type ControlRequest =
  | { op: "revoke-badge"; badgeId: string; reason: string }
  | { op: "book"; memberId: string; resourceId: string; start: number; end: number }
  | { op: "create-member"; name: string; email: string; homeCentreId: string; uid: string }
  | { op: "create-pass"; memberId: string; validFrom: number; validTo: number }
  | { op: "access-events"; gatewayId?: string; sinceMs?: number }
  | { op: "occupancy"; centreId: string }
  | { op: "gateway-status"; gatewayId: string };

export interface ControlEnvelope {
  type: "control";
  id: number;
  request: ControlRequest;
}

export interface ControlReply {
  type: "control-reply";
  id: number;
  ok: boolean;
  value?: unknown;
  error?: string;
}

const actor: Actor = "cli:demo-control";

export async function runControl(cloud: RunningCloud, request: ControlRequest): Promise<unknown> {
  const deps = cloud.services.deps;
  switch (request.op) {
    case "revoke-badge":
      return revokeBadge(deps, actor, request.badgeId, request.reason);
    case "book":
      return createBooking(deps, actor, request);
    case "create-member": {
      const member = await createMember(deps, actor, {
        name: request.name,
        email: request.email,
        homeCentreId: request.homeCentreId,
      });
      const badge = await issueBadge(deps, actor, { memberId: member.id, uid: request.uid });
      return { memberId: member.id, badgeId: badge.id };
    }
    case "create-pass":
      return createPass(deps, actor, { ...request, kind: "network" });
    case "access-events": {
      let query = cloud.store.db.selectFrom("access_events").selectAll().orderBy("time");
      if (request.gatewayId) query = query.where("gateway_id", "=", request.gatewayId);
      if (request.sinceMs !== undefined) query = query.where("time", ">=", request.sinceMs);
      return (await query.execute()).map((row) => ({
        ...row,
        seq: Number(row.seq),
        time: Number(row.time),
        received_at: Number(row.received_at),
      }));
    }
    case "occupancy":
      return cloud.services.mqtt.occupancy.centre(request.centreId) ?? null;
    case "gateway-status":
      return cloud.services.mqtt.gatewayStatus.get(request.gatewayId) ?? null;
  }
}

export function serveControl(cloud: RunningCloud): void {
  process.on("message", (message: ControlEnvelope) => {
    if (message?.type !== "control") return;
    runControl(cloud, message.request).then(
      (value) => process.send?.({ type: "control-reply", id: message.id, ok: true, value }),
      (error: Error) =>
        process.send?.({ type: "control-reply", id: message.id, ok: false, error: error.message }),
    );
  });
}
