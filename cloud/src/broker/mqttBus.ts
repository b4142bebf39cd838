/**
 * The cloud's side of MQTT, whatever the broker: subscribe to filters and publish. Ingest and the
 * bundle publisher talk only to this port, so the same code runs in-process against the embedded
 * aedes (aedesBus.ts) and over the network against an external Mosquitto (externalBroker.ts).
 */
export interface MqttBus {
  /**
   * Calls `handler` for every message whose topic matches `filter` (MQTT wildcards allowed).
   * Resolves once the subscription is in place; the returned function removes it.
   */
  subscribe(
    filter: string,
    handler: MessageHandler,
    options?: SubscribeOptions,
  ): Promise<() => Promise<void>>;
  /** Resolves when the broker has taken the message (QoS 1: PUBACK, or in-process delivery). */
  publish(topic: string, payload: Buffer, options: PublishOptions): Promise<void>;
}

/** May be async; the bus never awaits it before taking the next message, and never throws. */
export type MessageHandler = (
  topic: string,
  payload: Buffer,
  delivery: MessageDelivery,
) => void | Promise<void>;

/** How a message arrived. */
export interface MessageDelivery {
  /**
   * Sent with the retain flag: the broker had stored it (Mosquitto on a new subscription, at
   * every cloud restart), or aedes passed a retained publish on as it came.
   */
  readonly retain: boolean;
}

export interface SubscribeOptions {
  /**
   * Work to share between cloud instances: on a broker that has a shared-subscription group
   * configured (externalBroker.ts), each message goes to one subscriber of the group
   * (MQTT 5 §4.8.2, `$share/{group}/{filter}`) instead of to every instance. Ignored in-process.
   */
  readonly shared?: boolean;
}

export interface PublishOptions {
  qos: 0 | 1;
  retain?: boolean;
}

/**
 * Whether a concrete topic matches a subscription filter, as MQTT 3.1.1 §4.7 defines it: `+` is
 * one level, a trailing `#` is any number of levels (also none, [MQTT-4.7.1-2]), and a filter
 * starting with a wildcard never matches a `$` topic ([MQTT-4.7.2-1]).
 */
export function topicMatches(filter: string, topic: string): boolean {
  if (topic.startsWith("$") && (filter.startsWith("+") || filter.startsWith("#"))) return false;
  const filterLevels = filter.split("/");
  const topicLevels = topic.split("/");
  for (let i = 0; i < filterLevels.length; i += 1) {
    const level = filterLevels[i];
    if (level === "#") return i === filterLevels.length - 1;
    if (i >= topicLevels.length) return false;
    if (level !== "+" && level !== topicLevels[i]) return false;
  }
  return filterLevels.length === topicLevels.length;
}
