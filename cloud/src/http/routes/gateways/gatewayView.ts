import { GatewayId } from "@passerelle/protocol";
import { type Static, Type } from "@sinclair/typebox";
import type { Gateway } from "../../../domain/gateways.js";
import type { GatewayState } from "../../../occupancy/gatewayStatusBoard.js";
import { isoOrNull, UtcInstant } from "../views/instant.js";

/** What the gateway last said on its retained status topic; nulls until it said it. */
const LiveStatus = Type.Object({
  online: Type.Boolean(),
  /** When the cloud last heard its status (online or its last will); null: not since start. */
  lastSeen: Type.Union([UtcInstant, Type.Null()]),
  software: Type.Union([Type.String(), Type.Null()]),
  bundleVersion: Type.Union([Type.Integer(), Type.Null()]),
  bundleValidUntil: Type.Union([UtcInstant, Type.Null()]),
  clockTrusted: Type.Union([Type.Boolean(), Type.Null()]),
  outboxDepth: Type.Union([Type.Integer(), Type.Null()]),
  outboxFull: Type.Union([Type.Boolean(), Type.Null()]),
  /** Events that failed their schema on the gateway, kept aside there: an operator should look. */
  outboxQuarantined: Type.Union([Type.Integer(), Type.Null()]),
});

export const GatewayView = Type.Object({
  id: Type.String(),
  centreId: Type.String(),
  name: Type.String(),
  createdAt: UtcInstant,
  secretRotatedAt: UtcInstant,
  disabled: Type.Boolean(),
  disabledAt: Type.Union([UtcInstant, Type.Null()]),
  /** When the bundle version the gateway holds was issued (its age); null: not known. */
  bundleIssuedAt: Type.Union([UtcInstant, Type.Null()]),
  status: LiveStatus,
});
export type GatewayView = Static<typeof GatewayView>;

/** Shown once, at provisioning and rotation; never stored in clear, never shown again. */
export const GatewayCredentialsView = Type.Object({
  gateway: GatewayView,
  /** Broker login: username = the gateway id. */
  username: Type.String(),
  secret: Type.String(),
  /** The key its bundles are signed with, for the gateway's configuration. */
  bundleKeyId: Type.String(),
  bundlePublicKeyPem: Type.String(),
});

export const GatewayParams = Type.Object({ gatewayId: GatewayId });

const unknownStatus = {
  online: false,
  lastSeen: null,
  software: null,
  bundleVersion: null,
  bundleValidUntil: null,
  clockTrusted: null,
  outboxDepth: null,
  outboxFull: null,
  outboxQuarantined: null,
};

export function gatewayView(
  gateway: Gateway,
  live: GatewayState | undefined,
  bundleIssuedAt?: number,
) {
  return {
    id: gateway.id,
    centreId: gateway.centreId,
    name: gateway.name,
    createdAt: gateway.createdAt.toISOString(),
    secretRotatedAt: gateway.secretRotatedAt.toISOString(),
    disabled: gateway.disabledAt !== null,
    disabledAt: isoOrNull(gateway.disabledAt),
    bundleIssuedAt: bundleIssuedAt === undefined ? null : new Date(bundleIssuedAt).toISOString(),
    status:
      live === undefined
        ? unknownStatus
        : {
            online: live.online,
            lastSeen: live.receivedAt,
            software: live.software,
            bundleVersion: live.bundleVersion,
            bundleValidUntil: live.bundleValidUntil,
            clockTrusted: live.clockTrusted,
            outboxDepth: live.outboxDepth,
            outboxFull: live.outboxFull,
            outboxQuarantined: live.outboxQuarantined,
          },
  };
}
