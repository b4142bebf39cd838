import { limits } from "@passerelle/protocol";
import type { FrameLimits } from "./mqttFrameGuard.js";
import type { BrokerPrincipal } from "./topicAccess.js";

/**
 * The embedded broker's limits (docs/cloud-mqtt.md "Limits", docs/security.md). A CONNECT
 * holds a client id, a username, a password and a last will of a few hundred bytes: 8 KiB is
 * plenty and is all an unauthenticated client can make the broker hold.
 */
export const frameLimits: FrameLimits = {
  beforeAuthPacketBytes: 8 * 1024,
  beforeAuthTotalBytes: 16 * 1024,
};

/** Topic, fixed header and packet id around a payload: far less than this. */
const packetOverheadBytes = 64 * 1024;

/**
 * The largest packet an authenticated client may send. A gateway publishes only ordinary
 * messages (events, status, occupancy, bundle requests: protocol limits.messageBytes); bundles
 * travel the other way. The cloud's own service login may publish bundle frames.
 */
export function packetCapOf(principal: BrokerPrincipal): number {
  return (
    (principal.kind === "gateway" ? limits.messageBytes : limits.bundleBytes) + packetOverheadBytes
  );
}

/** New connections a minute from one address before the next is closed unread. */
export const connectionsPerAddressPerMinute = 30;
