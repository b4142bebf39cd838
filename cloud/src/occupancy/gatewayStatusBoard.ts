import { EventEmitter } from "node:events";
import type { GatewayStatus } from "@passerelle/protocol";
import type { GatewayIdentity } from "../ports/gatewayCredentials.js";
import type { GatewayState } from "../ports/liveState.js";

export type { GatewayState } from "../ports/liveState.js";

interface StatusEvents {
  change: [GatewayState];
}

/**
 * Online/offline state of every gateway, in memory, from the retained `status` topic: the
 * gateway publishes `online` with its health when it connects and on changes, and the broker
 * publishes its last will `offline` when it vanishes ([MQTT-3.1.2-8]). Retained, so a cloud that
 * (re)subscribes to an external broker learns every gateway's state at once.
 */
export class GatewayStatusBoard extends EventEmitter<StatusEvents> {
  private readonly states = new Map<string, GatewayState>();

  constructor() {
    super();
    this.setMaxListeners(0);
  }

  record(identity: GatewayIdentity, status: GatewayStatus, receivedAt: number): GatewayState {
    const previous = this.states.get(identity.gatewayId);
    const base = {
      gatewayId: identity.gatewayId,
      centreId: identity.centreId,
      receivedAt: new Date(receivedAt).toISOString(),
    };
    const state: GatewayState =
      status.state === "online"
        ? {
            ...base,
            online: true,
            software: status.software,
            bundleVersion: status.bundleVersion,
            bundleValidUntil: status.bundleValidUntil,
            clockTrusted: status.clock.trusted,
            outboxDepth: status.outbox.depth,
            outboxFull: status.outbox.full,
            outboxQuarantined: status.outbox.quarantined ?? 0,
            lastOnline: status,
          }
        : {
            // Offline keeps what it last reported: the console shows "offline since, with v12".
            ...base,
            online: false,
            software: previous?.software ?? null,
            bundleVersion: previous?.bundleVersion ?? null,
            bundleValidUntil: previous?.bundleValidUntil ?? null,
            clockTrusted: previous?.clockTrusted ?? null,
            outboxDepth: previous?.outboxDepth ?? null,
            outboxFull: previous?.outboxFull ?? null,
            outboxQuarantined: previous?.outboxQuarantined ?? null,
            lastOnline: previous?.lastOnline ?? null,
          };
    this.states.set(identity.gatewayId, state);
    this.emit("change", state);
    return state;
  }

  get(gatewayId: string): GatewayState | undefined {
    return this.states.get(gatewayId);
  }

  /** Every known gateway, or those of the given centres. */
  list(centreIds?: readonly string[]): GatewayState[] {
    const wanted = centreIds ? new Set(centreIds) : undefined;
    return [...this.states.values()]
      .filter((state) => !wanted || wanted.has(state.centreId))
      .sort((a, b) => a.gatewayId.localeCompare(b.gatewayId));
  }
}
