import type { GatewayState } from "./gatewayStatusBoard.js";

export interface CentreStaleness {
  /** True while a gateway of the centre is offline: its counts are the last it sent. */
  readonly stale: boolean;
  /** When the cloud learnt the first of them went offline (UTC ISO); null while none is. */
  readonly offlineSince: string | null;
}

/**
 * Whether a centre's live figures are stale (docs/api.md "Occupancy"): one of its gateways is
 * known offline (its last will, or an offline status) on the gateway status board. A gateway
 * that never reported since the cloud started is unknown, not stale: its retained status
 * arrives at once on (re)subscription, so "unknown" lasts a moment.
 */
export function centreStaleness(gateways: readonly GatewayState[]): CentreStaleness {
  let offlineSince: string | null = null;
  for (const gateway of gateways) {
    if (gateway.online) continue;
    if (offlineSince === null || gateway.receivedAt < offlineSince) {
      offlineSince = gateway.receivedAt;
    }
  }
  return { stale: offlineSince !== null, offlineSince };
}
