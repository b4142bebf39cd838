import type { Logger } from "pino";
import type { MessageDelivery, MqttBus } from "../broker/mqttBus.js";

/**
 * Uplink kinds that must never be retained. A gateway's status IS retained by design (with its
 * last will, so a cloud that starts knows who is offline) and stays ingested.
 */
const notRetainable = new Set(["events", "occupancy", "bundleRequest"]);

/**
 * Retained messages on a gateway's uplink topics (docs/cloud-mqtt.md "Retained messages").
 * Mosquitto's ACL cannot refuse the retain flag, so a gateway (or a stolen gateway secret) can
 * leave an events batch retained: it would come back at every cloud restart, be counted as a
 * duplicate and acked although the gateway sent nothing. The cloud ignores such a message and
 * clears it: an empty retained publish on the same topic deletes it on aedes and Mosquitto (the
 * cloud's broker user may publish there: deploy/mosquitto/acl). Returns true when the message
 * must not be ingested.
 */
export function retainedUplinkFilter(bus: MqttBus, logger: Logger) {
  const log = logger.child({ module: "cloud:ingest" });
  return (kind: string, topic: string, payload: Buffer, delivery: MessageDelivery): boolean => {
    if (!delivery.retain || !notRetainable.has(kind)) return false;
    // An empty payload is our own clearing publish coming back (aedes passes it on as sent).
    if (payload.length === 0) return true;
    log.warn({ topic: topic.slice(0, 200), kind }, "retained uplink message ignored and cleared");
    bus
      .publish(topic, Buffer.alloc(0), { qos: 1, retain: true })
      .catch((error: Error) =>
        log.warn(
          { err: error.message, topic: topic.slice(0, 200) },
          "clearing a retained message failed",
        ),
      );
    return true;
  };
}
