import { defaultBaseTopic, messageKinds, ProtocolError, parseTopic } from "@passerelle/protocol";

/** Who is on the other end of a broker connection, once authenticated. */
export type BrokerPrincipal =
  | { readonly kind: "gateway"; readonly gatewayId: string; readonly centreId: string }
  /** The cloud's own client (external-broker mode, tools): everything under the base topic. */
  | { readonly kind: "service"; readonly username: string };

export type RefusalReason =
  | "foreign-gateway"
  | "wildcard"
  | "wrong-direction"
  | "retain-not-allowed"
  | "not-a-contract-topic"
  | "outside-base"
  | "client-id";

export type AccessVerdict =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly reason: RefusalReason };

const allowed: AccessVerdict = { allowed: true };
const refuse = (reason: RefusalReason): AccessVerdict => ({ allowed: false, reason });

function refusalOf(error: unknown): AccessVerdict {
  if (error instanceof ProtocolError) {
    if (error.code === "topic.foreign-gateway") return refuse("foreign-gateway");
    if (error.code === "topic.wildcard") return refuse("wildcard");
  }
  return refuse("not-a-contract-topic");
}

/**
 * A gateway publishes only the gateway-to-cloud kinds of its own subtree (protocol/README.md
 * "Topics"); only its status may be retained, so it cannot fill the broker's retained store.
 */
export function publishVerdict(
  principal: BrokerPrincipal,
  topic: string,
  retain: boolean,
  base: string = defaultBaseTopic,
): AccessVerdict {
  if (principal.kind === "service") {
    // [MQTT-3.3.2-2]: a PUBLISH topic holds no wildcard; the broker's parser refuses those first.
    return topic.startsWith(`${base}/`) ? allowed : refuse("outside-base");
  }
  try {
    const { kind } = parseTopic(topic, { base, expectedGatewayId: principal.gatewayId });
    if (messageKinds[kind].from !== "gateway") return refuse("wrong-direction");
    if (retain && kind !== "status") return refuse("retain-not-allowed");
    return allowed;
  } catch (error) {
    return refusalOf(error);
  }
}

/**
 * A gateway subscribes only to the cloud-to-gateway kinds of its own subtree, one concrete topic
 * at a time: no `#`, no `+`, so it never hears another gateway's bundles, acks or commands.
 */
export function subscribeVerdict(
  principal: BrokerPrincipal,
  filter: string,
  base: string = defaultBaseTopic,
): AccessVerdict {
  if (principal.kind === "service") {
    return filter === `${base}/#` || filter.startsWith(`${base}/`)
      ? allowed
      : refuse("outside-base");
  }
  try {
    const { kind } = parseTopic(filter, { base, expectedGatewayId: principal.gatewayId });
    return messageKinds[kind].from === "cloud" ? allowed : refuse("wrong-direction");
  } catch (error) {
    return refusalOf(error);
  }
}

/**
 * [MQTT-3.1.4-2]: a new connection with a client id already connected closes the old one, so a
 * gateway free to pick any client id could knock another gateway (or the cloud) offline. A
 * gateway uses `gw-{its id}`, or `gw-{its id}:{anything}` for a second tool connection; ':' never
 * occurs in a gateway id, so no gateway's prefix is another's.
 */
export function clientIdVerdict(principal: BrokerPrincipal, clientId: string): AccessVerdict {
  if (principal.kind === "service")
    return clientId.startsWith("gw-") ? refuse("client-id") : allowed;
  const own = `gw-${principal.gatewayId}`;
  return clientId === own || clientId.startsWith(`${own}:`) ? allowed : refuse("client-id");
}
