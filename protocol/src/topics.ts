import { ProtocolError } from "./errors.js";
import { limits } from "./limits.js";

/** The base of every topic; a deployment may choose another (e.g. per tenant). */
export const defaultBaseTopic = "passerelle/v1";

/**
 * Every message kind of the MQTT contract (protocol/README.md, "Topics"), with the
 * sub-path under `gw/{id}/` and who publishes it.
 */
export const messageKinds = {
  status: { path: "status", from: "gateway" },
  events: { path: "events", from: "gateway" },
  occupancy: { path: "occupancy", from: "gateway" },
  bundleRequest: { path: "bundle/request", from: "gateway" },
  bundle: { path: "bundle", from: "cloud" },
  bundleDelta: { path: "bundle/delta", from: "cloud" },
  ack: { path: "ack", from: "cloud" },
  command: { path: "cmd", from: "cloud" },
} as const;

export type MessageKind = keyof typeof messageKinds;

const kindByPath = new Map<string, MessageKind>(
  Object.entries(messageKinds).map(([kind, { path }]) => [path, kind as MessageKind]),
);

/** Gateway ids are lowercase slugs: safe in topics, file names, broker usernames and ACLs. */
export const gatewayIdPattern = "^[a-z0-9][a-z0-9-]{0,62}$";
const gatewayIdRegExp = new RegExp(gatewayIdPattern);

export function isGatewayId(value: string): boolean {
  return value.length <= limits.idLength && gatewayIdRegExp.test(value);
}

/** The topic for one message kind of one gateway. The only place that spells a topic. */
export function topicFor(gatewayId: string, kind: MessageKind, base = defaultBaseTopic): string {
  if (!isGatewayId(gatewayId)) {
    throw new ProtocolError("topic.invalid", `invalid gateway id ${JSON.stringify(gatewayId)}`);
  }
  return `${base}/gw/${gatewayId}/${messageKinds[kind].path}`;
}

/** The subtree a gateway owns; the broker ACL confines it here. */
export function gatewaySubtree(gatewayId: string, base = defaultBaseTopic): string {
  return `${topicFor(gatewayId, "status", base).slice(0, -"status".length)}#`;
}

/** What the cloud subscribes to in order to hear every gateway's messages of one kind. */
export function allGatewaysFilter(kind: MessageKind, base = defaultBaseTopic): string {
  return `${base}/gw/+/${messageKinds[kind].path}`;
}

export interface ParsedTopic {
  gatewayId: string;
  kind: MessageKind;
}

/**
 * Reads a concrete topic back into gateway id and message kind. Wildcards are refused
 * ([MQTT-4.7.1-1]: they are only legal in subscriptions), and when `expectedGatewayId` is given
 * a topic of another gateway is refused too.
 */
export function parseTopic(
  topic: string,
  options: { base?: string; expectedGatewayId?: string } = {},
): ParsedTopic {
  const base = options.base ?? defaultBaseTopic;
  if (topic.includes("+") || topic.includes("#")) {
    throw new ProtocolError("topic.wildcard", `topic ${JSON.stringify(topic)} holds a wildcard`);
  }
  const prefix = `${base}/gw/`;
  if (!topic.startsWith(prefix)) {
    throw new ProtocolError(
      "topic.invalid",
      `topic ${JSON.stringify(topic)} is not under ${prefix}`,
    );
  }
  const rest = topic.slice(prefix.length);
  const slash = rest.indexOf("/");
  const gatewayId = slash < 0 ? rest : rest.slice(0, slash);
  if (!isGatewayId(gatewayId)) {
    throw new ProtocolError(
      "topic.invalid",
      `topic ${JSON.stringify(topic)} has no valid gateway id`,
    );
  }
  const kind = kindByPath.get(slash < 0 ? "" : rest.slice(slash + 1));
  if (kind === undefined) {
    throw new ProtocolError("topic.invalid", `topic ${JSON.stringify(topic)} is no message kind`);
  }
  if (options.expectedGatewayId !== undefined && gatewayId !== options.expectedGatewayId) {
    throw new ProtocolError(
      "topic.foreign-gateway",
      `topic belongs to gateway ${gatewayId}, not ${options.expectedGatewayId}`,
    );
  }
  return { gatewayId, kind };
}
