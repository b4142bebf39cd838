import type { Aedes, AedesPublishPacket } from "aedes";
import type { Logger } from "pino";
import type { MessageDelivery, MessageHandler, MqttBus, PublishOptions } from "./mqttBus.js";

/**
 * The cloud's bus on the embedded aedes, in-process: no socket, no credential, no extra copy.
 * aedes.subscribe bypasses authorizeSubscribe (the cloud is trusted) and aedes.publish stores a
 * retained message like a client's would. The handler is not awaited: aedes 1.x writes a QoS 1
 * PUBACK before it delivers the message to listeners, and delivery to every other listener must
 * not wait on a database commit (the application ack after the commit is what the gateway
 * waits for, docs/cloud-mqtt.md "Group commit and the application ack").
 */
export function aedesBus(aedes: Aedes, logger: Logger): MqttBus {
  const log = logger.child({ module: "cloud:broker" });

  function safely(
    handler: MessageHandler,
    topic: string,
    payload: Buffer,
    delivery: MessageDelivery,
  ): void {
    try {
      const pending = handler(topic, payload, delivery);
      if (pending instanceof Promise) {
        pending.catch((error: unknown) =>
          log.error({ err: error, topic }, "message handler failed"),
        );
      }
    } catch (error) {
      log.error({ err: error, topic }, "message handler failed");
    }
  }

  return {
    subscribe(filter, handler) {
      const deliver = (packet: AedesPublishPacket, done: () => void) => {
        const payload =
          typeof packet.payload === "string" ? Buffer.from(packet.payload) : packet.payload;
        safely(handler, packet.topic, payload, { retain: packet.retain === true });
        done();
      };
      return new Promise((resolve) => {
        aedes.subscribe(filter, deliver, () =>
          resolve(
            () =>
              new Promise<void>((removed) => aedes.unsubscribe(filter, deliver, () => removed())),
          ),
        );
      });
    },
    publish(topic: string, payload: Buffer, options: PublishOptions) {
      return new Promise<void>((resolve, reject) => {
        aedes.publish(
          {
            cmd: "publish",
            topic,
            payload,
            qos: options.qos,
            retain: options.retain ?? false,
            dup: false,
          },
          (error) => (error ? reject(error) : resolve()),
        );
      });
    },
  };
}
